"""cctns-warehouse: the quality gate (Great Expectations batch checks), see ``docs/quality.md``.

* :mod:`quality.gate`: ``run_upload_gate``, ``batch_status``, ``excluded_loads``, ``release``,
  ``reject``, ``gate_results`` (per-upload suites and batch status);
* :mod:`quality.marts`: ``run_mart_suites`` (checks on a built warehouse before publication)
  (the ``cctns quality`` commands are in :mod:`cctns.quality_cli`);
* :mod:`quality.suites`: the expectation suites as code; :mod:`quality.engine`: the only module
  that imports Great Expectations (inside functions: importing this package never does).
"""
