"""
### cctns_nightly_build: quality gate → dbt build (astronomer-cosmos) → publish

The national warehouse build, the same steps as `cctns build` (`warehouse/build.py: build()`),
split into Airflow tasks:

1. **quality_gate**: the Great Expectations upload gate on every load not checked yet
   (`quality.gate.run_upload_gate`). A held load stays in the lake and is left out of the build.
2. **prepare**: plan the build (full the first time, incremental afterwards), create the candidate
   DuckDB file and its `lake_batch` views (`warehouse.build.prepare`). Its XCom holds the
   candidate's path and the dbt flags.
3. **dbt_build**: an astronomer-cosmos `DbtTaskGroup` rendered from the manifest prepared ahead
   of time (`LoadMode.DBT_MANIFEST`, `python -m cctns.dbt_manifest`: no dbt parsing at
   DAG-parse time). `ExecutionMode.WATCHER`: the producer task runs **one** `dbt build` (the
   venv's dbt, as `cctns build` does) against the candidate (`CCTNS_DBT_DUCKDB_PATH` templated
   from the `prepare` XCom, `--full-refresh` on a full build); one sensor task per seed, model
   and model test turns green or red as dbt reports that node. Per-node `ExecutionMode.LOCAL`
   was measured at 5-7 s of dbt start-up per node, 6-8 minutes for a one-minute build
   (`docs/airflow.md`).
4. **publish**: freeze, run the mart quality suites, publish atomically
   (`warehouse.build.finalize`); emits the `cctns://warehouse/published` Asset.

**Schedule: the State Assets with a nightly cut-off.** `AssetOrTimeSchedule` (Airflow 3) with
`AssetAll` of the 36 State Assets (`cctns://lake/state/SS`, emitted by `cctns_ingest`) **or** a
cron at 02:30 IST. The build starts as soon as every State has delivered since the last build,
and at 02:30 at the latest with whatever has arrived: a late State never holds up the nation, and
its upload goes into the next night's (incremental) build. `max_active_runs=1`.

**Serialisation.** DuckDB allows one writer per file: `prepare`, every dbt task and `publish`
run in the one-slot pool `cctns_warehouse_writer`.

**One State's bad data never stops the national publish.** If a dbt node fails, `publish` is
skipped and **isolate_and_rebuild** runs instead. Its trigger rule is `all_done`, and its first
step checks that the dbt producer itself is `failed` (`orch.dbt_step_failed`); otherwise (dbt
succeeded, or the gate or `prepare` failed and dbt never ran) it is skipped: a broken gate never
starts a full rebuild. It runs the same isolated build as `cctns build` (`warehouse.build.build`):
it traces the failing dbt data tests or mart checks to the loads responsible, holds them in the
quality gate (reason: the failing test), rebuilds without them and publishes the rest. A failure
no load explains (a code bug) publishes nothing: readers keep the current version. **done**
(trigger rule `one_success`, the only leaf) is green exactly when `publish` or
`isolate_and_rebuild` published; when neither did it is `upstream_failed` and the run is red.

**One build at a time.** Each warehouse task holds the build lock while it runs
(`warehouse/build.lock`): a manual `cctns build` fails at once with a clear message while one
runs, and vice versa. Between tasks the candidate has no owner lock; a build started by hand
then removes it only once it is older than `CCTNS_CANDIDATE_MAX_AGE_HOURS` (default 9 hours, 3
more than `dagrun_timeout`).

**Fresh deployment.** The dbt tasks are rendered from the manifest the deployment step prepares
(`cctns deploy` / `make deploy`). Until it exists this DAG still imports, as one task,
`deployment_incomplete`, which fails saying what to run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pendulum
from airflow.sdk import Asset, AssetAll, AssetOrTimeSchedule, CronTriggerTimetable, TriggerRule, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from cosmos import (
    DbtTaskGroup,
    ExecutionConfig,
    ExecutionMode,
    InvocationMode,
    LoadMode,
    ProfileConfig,
    ProjectConfig,
    RenderConfig,
    TestBehavior,
)

from cctns import orchestration as orch
from core.settings import DBT_PROJECT_DIR

NIGHTLY_CUTOFF = "30 2 * * *"  # 02:30 IST
STATE_ASSETS = [Asset(orch.state_asset_uri(code)) for code in orch.state_codes()]
PREPARE_XCOM = "ti.xcom_pull(task_ids='prepare')"
#: The cosmos watcher producer: the task that runs the one ``dbt build``.
PRODUCER = "dbt_build.dbt_producer_watcher"
#: dbt of the environment Airflow runs in (the project's virtualenv).
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
#: The manifest the deployment step prepares (`cctns deploy`); cosmos renders the dbt tasks from it.
MANIFEST = orch.dbt_manifest_path()


@dag(
    dag_id="cctns_nightly_build",
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable(NIGHTLY_CUTOFF, timezone=orch.TIMEZONE),
        assets=AssetAll(*STATE_ASSETS),
    ),
    start_date=pendulum.datetime(2026, 1, 1, tz=orch.TIMEZONE),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=dt.timedelta(hours=6),
    default_args=orch.default_args(timeout_minutes=120),
    tags=["cctns", "warehouse", "dbt", "quality", "nightly"],
    doc_md=__doc__,
)
def cctns_nightly_build() -> None:
    if not MANIFEST.is_file():
        # A fresh deployment: no import error, one task that says what to run.
        @task(retries=0)
        def deployment_incomplete() -> None:
            raise RuntimeError(orch.manifest_missing_message(MANIFEST))

        deployment_incomplete()
        return

    @task(multiple_outputs=False)
    def quality_gate() -> dict:
        """Check every committed load not checked yet; held loads are left out of the build."""
        return orch.run_gate()

    @task(pool=orch.WAREHOUSE_POOL, multiple_outputs=False)
    def prepare() -> dict:
        """Create the candidate warehouse file and its lake_batch views."""
        return orch.prepare_build()

    @task(pool=orch.WAREHOUSE_POOL, outlets=[Asset(orch.PUBLISHED_ASSET_URI)], multiple_outputs=False)
    def publish(prepared: dict) -> dict:
        """Freeze, check the marts, publish atomically (a failing mart check: held loads, rebuilt)."""
        return orch.finalize_build(prepared)

    @task(
        pool=orch.WAREHOUSE_POOL,
        outlets=[Asset(orch.PUBLISHED_ASSET_URI)],
        trigger_rule=TriggerRule.ALL_DONE,
        multiple_outputs=False,
    )
    def isolate_and_rebuild(ti=None) -> dict:
        """dbt failed: hold the loads its failing data tests trace to, rebuild without them, publish.

        Skipped unless the dbt producer itself failed (a failed gate or prepare is no dbt failure).
        """
        if not orch.dbt_step_failed(ti, PRODUCER):
            raise AirflowSkipException("the dbt build did not fail: nothing to isolate")
        return orch.rebuild_isolated()

    @task(trigger_rule=TriggerRule.ONE_SUCCESS, multiple_outputs=False)
    def done() -> None:
        """The night published (directly or after holding loads)."""

    dbt_build = DbtTaskGroup(
        group_id="dbt_build",
        project_config=ProjectConfig(
            dbt_project_path=DBT_PROJECT_DIR,
            manifest_path=MANIFEST,
            project_name="cctns",
            install_dbt_deps=False,
            env_vars={
                "CCTNS_HOME": "{{ " + PREPARE_XCOM + "['home'] }}",
                "CCTNS_DBT_DUCKDB_PATH": "{{ " + PREPARE_XCOM + "['candidate'] }}",
            },
        ),
        profile_config=ProfileConfig(
            profile_name="cctns",
            target_name="dev",
            profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER,
            invocation_mode=InvocationMode.SUBPROCESS,
            dbt_executable_path=DBT_EXECUTABLE,
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.AFTER_EACH,
            emit_datasets=False,
        ),
        operator_args={
            "pool": orch.WAREHOUSE_POOL,
            "full_refresh": "{{ " + PREPARE_XCOM + "['full_refresh'] }}",
            # the per-node sensors: poke XCom every 5 s, releasing the pool slot in between
            "deferrable": False,
            "mode": "reschedule",
            "poke_interval": 5,
        },
    )

    prepared = prepare()
    published = publish(prepared)
    quality_gate() >> prepared >> dbt_build >> published
    producer = dbt_build.children[PRODUCER]
    rebuilt = isolate_and_rebuild()
    [producer, dbt_build] >> rebuilt
    [published, rebuilt] >> done()


cctns_nightly_build()
