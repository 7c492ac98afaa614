"""
### cctns_ingest: every new State upload in the inbox channels, one mapped task per upload

The same code as `cctns ingest` (`ingestion/pipeline.py`), run by Airflow every 5 minutes:

1. **find_new_uploads** lists the uploads in the State channels `$CCTNS_HOME/inbox/<SS>/` that no
   committed load has recorded yet (same channel, name and content hash), in the order they must
   be applied (extract date, State, sequence), each with the channel it arrived in (its sender:
   an upload naming another State is rejected, rule 025; one outside a channel, 026). Content
   hashes are cached by size and mtime in `ops/inbox_hashes.json`.
2. **ingest_upload** is mapped over them (dynamic task mapping: one task instance per upload,
   named by its upload id). Each verifies, lands, checks, versions and commits its upload
   atomically and writes the State's errors and warnings files to `outbox/<SS>/`. It then emits
   an event of its State's Asset, `cctns://lake/state/SS` (through the Asset alias
   `cctns-state-loads`), which `cctns_nightly_build` and `cctns_feedback` are scheduled on.

**Ordering and safety.** Ingestion takes an exclusive lock per `CCTNS_HOME` (a second ingest
fails instead of interleaving), so the mapped tasks run in the one-slot pool
`cctns_lake_writer`. A State's uploads must be applied in order; mapped tasks have no guaranteed
order (and a retried one runs after its siblings), so each task first applies the pending
uploads of its State that sort before it: whichever task reaches an upload first ingests it, the
others see it as already done (`SKIPPED`). A rejected upload is an outcome, not a task failure:
it is in the ledger and in the State's errors file.
"""

from __future__ import annotations

import datetime as dt

import pendulum
from airflow.sdk import Asset, AssetAlias, dag, get_current_context, task

from cctns import orchestration as orch

STATE_ALIAS = AssetAlias(orch.STATE_ALIAS)


@dag(
    dag_id="cctns_ingest",
    schedule="*/5 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=orch.TIMEZONE),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=2),
    default_args=orch.default_args(timeout_minutes=30),
    tags=["cctns", "ingestion", "lake"],
    doc_md=__doc__,
)
def cctns_ingest() -> None:
    @task(execution_timeout=dt.timedelta(minutes=10), multiple_outputs=False)
    def find_new_uploads() -> list[dict]:
        """Uploads in the inbox not ingested yet, each with the earlier pending uploads of its State."""
        return orch.find_new_uploads()

    @task(
        pool=orch.LAKE_POOL,
        outlets=[STATE_ALIAS],
        map_index_template="{{ upload_id }}",
        multiple_outputs=False,
    )
    def ingest_upload(item: dict) -> dict:
        """Ingest one upload and emit the Asset event of its State."""
        context = get_current_context()
        context["upload_id"] = item["upload_id"]  # type: ignore[typeddict-unknown-key]
        result = orch.ingest_upload(item)
        for state in orch.changed_states(result):
            context["outlet_events"][STATE_ALIAS].add(
                Asset(orch.state_asset_uri(state)),
                extra={
                    "upload_id": item["upload_id"],
                    "load_id": result["load_id"],
                    "outcome": result["outcome"],
                },
            )
        return result

    ingest_upload.expand(item=find_new_uploads())


cctns_ingest()
