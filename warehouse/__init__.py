"""Build and publish: dbt builds over the lake, the atomic publish, State feedback delivery
and maintenance. Stands on ``core``, ``ingestion`` and ``quality``."""
