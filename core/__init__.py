"""The base layer: what every other package stands on, importing nothing of ours.

Settings and runtime paths, the State extract interface, reference-data access, name keys and
transliteration, safe text for files people open. Layers above, in data-flow order:
``ingestion`` → ``quality`` → ``warehouse`` (build and publish) → ``dashboards`` → ``cctns`` (the
command line, orchestration glue, the demo) and ``dags/``. ``sample_data`` (the generator) and
``bench`` stand beside them and only import downwards.
"""
