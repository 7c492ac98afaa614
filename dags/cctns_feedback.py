"""
### cctns_feedback: each upload's errors and warnings files delivered to its State, once

Ingestion writes `outbox/<SS>/<load_id>_errors.csv` and `_warnings.csv` for every upload (the
rows rejected or loaded with a warning, with rule code, file, row and message, so the SCRB can
fix them at source). This DAG delivers every such file not delivered yet
(`warehouse.feedback.deliver_feedback`):

* to `$CCTNS_FEEDBACK_TARGET/<SS>/` if set (e.g. each SCRB's SFTP share), else to
  `outbox/<SS>/delivered/`;
* atomically (temporary name, fsync, rename), and **once**: `outbox/deliveries.jsonl` records
  each delivery (State, load, kind, file, sha256, bytes, rows, destination, time); a file with
  the same name and content is never delivered twice.

**Schedule**: any State Asset (`cctns://lake/state/SS`, emitted by `cctns_ingest` for every
committed upload) or, as a safety net, every hour (ingestion's crash recovery can rewrite a
feedback file without an Asset event). Only file names and counts are logged, never content.
"""

from __future__ import annotations

import datetime as dt

import pendulum
from airflow.sdk import Asset, AssetAny, AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from cctns import orchestration as orch


@dag(
    dag_id="cctns_feedback",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("15 * * * *", timezone=orch.TIMEZONE),
        assets=AssetAny(*(Asset(orch.state_asset_uri(code)) for code in orch.state_codes())),
    ),
    start_date=pendulum.datetime(2026, 1, 1, tz=orch.TIMEZONE),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=1),
    default_args=orch.default_args(timeout_minutes=30),
    tags=["cctns", "feedback", "states"],
    doc_md=__doc__,
)
def cctns_feedback() -> None:
    @task(multiple_outputs=False)
    def deliver() -> dict:
        """Deliver every feedback file not delivered yet and record each delivery."""
        from warehouse.feedback import deliver_feedback, summarise

        return summarise(deliver_feedback())

    deliver()


cctns_feedback()
