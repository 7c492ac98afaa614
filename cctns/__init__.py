"""The application layer: the ``cctns`` command, the Airflow orchestration glue and the demo.

It imports every layer below (``core`` → ``ingestion`` → ``quality`` → ``warehouse`` →
``dashboards``); nothing below imports it.
"""
