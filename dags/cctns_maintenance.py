"""
### cctns_maintenance: retention of published warehouse versions and landed uploads

Every night at 04:00 IST:

* **version_retention** keeps the last `$CCTNS_KEEP_VERSIONS` (default 5) published warehouse
  versions, never the current one or the one before it (rollback), and removes candidates of
  failed builds untouched for an hour (`warehouse.publish.apply_retention`). Pool
  `cctns_warehouse_writer`.
* **landing_retention** deletes landed uploads (`landing/<hh>/<hash>/`, the uploads as received)
  older than `$CCTNS_LANDING_RETENTION_DAYS` (default 90) whose loads all finished longer ago
  than that; a landed upload of a recent load, or of an ingest in progress, is never deleted
  (`warehouse.maintenance.landing_retention`). It holds the ingestion lock while deleting. Pool
  `cctns_lake_writer`.

The lake and the quarantine are never touched: they are the record of every load.
"""

from __future__ import annotations

import datetime as dt

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, task

from cctns import orchestration as orch


@dag(
    dag_id="cctns_maintenance",
    schedule=CronTriggerTimetable("0 4 * * *", timezone=orch.TIMEZONE),
    start_date=pendulum.datetime(2026, 1, 1, tz=orch.TIMEZONE),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=2),
    default_args=orch.default_args(timeout_minutes=60),
    tags=["cctns", "maintenance", "retention"],
    doc_md=__doc__,
)
def cctns_maintenance() -> None:
    @task(pool=orch.WAREHOUSE_POOL, multiple_outputs=False)
    def version_retention() -> dict:
        """Keep the configured number of published versions."""
        from warehouse.maintenance import version_retention as run

        return run()

    @task(pool=orch.LAKE_POOL, multiple_outputs=False)
    def landing_retention() -> dict:
        """Delete landed uploads older than the retention whose loads are all older too."""
        from warehouse.maintenance import landing_retention as run

        return run().to_dict()

    version_retention()
    landing_retention()


cctns_maintenance()
