"""Run the real pipeline through Airflow on one machine: project-local ``AIRFLOW_HOME``, SQLite.

``make demo`` calls :func:`run_pipeline` after delivering the sample into the State channels
``inbox/<SS>/`` (:func:`stage_sample`). It:

1. points Airflow at ``$CCTNS_HOME/airflow`` (``AIRFLOW_HOME``), the repository's ``dags/``
   folder and a SQLite metadata database, without the example DAGs (:func:`airflow_env`);
2. migrates the metadata database (``airflow db migrate``, in-process) and creates the one-slot
   pools the DAGs use (:func:`ensure_pools`);
3. prepares the dbt manifest cosmos renders from (:func:`cctns.dbt_manifest.prepare_manifest`);
4. runs ``cctns_ingest``, then ``cctns_nightly_build``, then ``cctns_feedback`` with
   ``dag.test()`` (each DAG run in-process, its tasks one after another, recorded in the
   metadata database so ``airflow standalone`` shows them afterwards);
5. returns what happened (:class:`AirflowRunSummary`).

Airflow reads its configuration once, when it is first imported: call :func:`run_pipeline`
before anything in the process imports ``airflow`` with another ``AIRFLOW_HOME`` (it refuses
otherwise). ``python -m cctns.airflow_demo`` stages the sample and runs it from the shell.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cctns.dbt_manifest import prepare_manifest
from cctns.orchestration import POOLS
from core import settings
from core.settings import Paths
from ingestion.upload import stage
from quality.gate import excluded_loads
from warehouse import publish
from warehouse.build import committed_loads
from warehouse.feedback import deliveries

DAGS_DIR = settings.REPO_ROOT / "dags"
DEMO_DAGS = ("cctns_ingest", "cctns_nightly_build", "cctns_feedback")
#: The last run's summary, written under ``AIRFLOW_HOME``.
SUMMARY_FILE = "last_run.json"


class AirflowRunError(RuntimeError):
    """A DAG run did not succeed (the message names the failed tasks)."""


@dataclass
class AirflowRunSummary:
    """What the Airflow run did."""

    airflow_home: Path
    dag_runs: dict[str, str] = field(default_factory=dict)  # dag_id -> final state
    uploads_ingested: int = 0  # mapped ingest task instances that succeeded
    outcomes: dict[str, int] = field(default_factory=dict)  # ledger outcome -> loads
    loads_held: int = 0
    version_id: str | None = None
    tables: dict[str, int] = field(default_factory=dict)  # row counts of the required tables
    feedback_files: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["airflow_home"] = str(self.airflow_home)
        return out


def airflow_env(paths: Paths | None = None) -> dict[str, str]:
    """Environment for Airflow on this machine: project-local home, SQLite, the repo's DAGs."""
    paths = paths or settings.paths()
    home = paths.airflow
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAG_DISCOVERY_SAFE_MODE": "True",
        # closed network: astronomer-cosmos must not try to send usage metrics
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "AIRFLOW__COSMOS__CACHE_DIR": str(home / "cosmos_cache"),
        "CCTNS_HOME": str(paths.home),
    }


def configure(paths: Paths | None = None) -> dict[str, str]:
    """Set :func:`airflow_env` in ``os.environ``; refuse if Airflow already runs on another home."""
    env = airflow_env(paths)
    if "airflow.configuration" in sys.modules:
        from airflow.configuration import AIRFLOW_HOME

        if Path(AIRFLOW_HOME).resolve() != Path(env["AIRFLOW_HOME"]).resolve():
            raise AirflowRunError(
                f"Airflow was already imported in this process with AIRFLOW_HOME={AIRFLOW_HOME}; "
                f"run this in a fresh process (python -m cctns.airflow_demo)"
            )
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    return env


def init_metadata_db() -> None:
    """``airflow db migrate`` in-process (creates the SQLite database on first use)."""
    from airflow.utils import db

    db.upgradedb()


def ensure_pools() -> None:
    """Create or update the one-slot pools of :data:`cctns.orchestration.POOLS`."""
    from airflow.models.pool import Pool

    for name, description in POOLS.items():
        Pool.create_or_update_pool(name, slots=1, description=description, include_deferred=False)


def load_dags(dag_ids: tuple[str, ...] = DEMO_DAGS) -> dict[str, Any]:
    """The DAGs of ``dags/``, parsed as the DAG processor parses them; fails on any import error."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR), safe_mode=True)
    if bag.import_errors:
        detail = "\n".join(f"{f}: {e}" for f, e in bag.import_errors.items())
        raise AirflowRunError(f"DAG import errors:\n{detail}")
    missing = [d for d in dag_ids if d not in bag.dags]
    if missing:
        raise AirflowRunError(f"DAGs not found in {DAGS_DIR}: {', '.join(missing)}")
    return {d: bag.dags[d] for d in dag_ids}


def run_dag(dag: Any) -> Any:
    """``dag.test()``; raise :class:`AirflowRunError` naming the failed tasks unless it succeeded."""
    dr = dag.test()
    state = str(getattr(dr.state, "value", dr.state))
    if state != "success":
        failed = [
            f"{ti.task_id}[{ti.map_index}]" if ti.map_index >= 0 else ti.task_id
            for ti in dr.get_task_instances()
            if str(getattr(ti.state, "value", ti.state)) not in ("success", "skipped")
        ]
        raise AirflowRunError(f"{dag.dag_id} ended {state}; tasks not successful: {', '.join(failed)}")
    return dr


def setup(paths: Paths | None = None) -> dict[str, str]:
    """Configure Airflow, migrate its database, create the pools, prepare the dbt manifest."""
    paths = (paths or settings.paths()).ensure()
    env = configure(paths)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    init_metadata_db()
    ensure_pools()

    prepare_manifest(paths)
    return env


def run_pipeline(paths: Paths | None = None, dag_ids: tuple[str, ...] = DEMO_DAGS) -> AirflowRunSummary:
    """Run ``dag_ids`` (default: ingest, nightly build, feedback) through Airflow on ``paths``."""
    paths = (paths or settings.paths()).ensure()
    t0 = time.perf_counter()
    setup(paths)
    summary = AirflowRunSummary(airflow_home=paths.airflow)
    summary.seconds["setup"] = round(time.perf_counter() - t0, 2)
    dags = load_dags(dag_ids)
    for dag_id, dag in dags.items():
        t = time.perf_counter()
        dr = run_dag(dag)
        summary.seconds[dag_id] = round(time.perf_counter() - t, 2)
        summary.dag_runs[dag_id] = str(getattr(dr.state, "value", dr.state))
        if dag_id == "cctns_ingest":
            summary.uploads_ingested = sum(
                1
                for ti in dr.get_task_instances()
                if ti.task_id == "ingest_upload" and str(getattr(ti.state, "value", ti.state)) == "success"
            )
    _fill_from_home(paths, summary)
    summary.seconds["total"] = round(time.perf_counter() - t0, 2)
    (paths.airflow / SUMMARY_FILE).write_text(json.dumps(summary.to_dict(), indent=2), encoding="utf-8")
    return summary


def _fill_from_home(paths: Paths, summary: AirflowRunSummary) -> None:
    """Outcomes, gate verdicts, the published version and deliveries, read from ``CCTNS_HOME``."""
    for led in committed_loads(paths):
        summary.outcomes[led["outcome"]] = summary.outcomes.get(led["outcome"], 0) + 1
    summary.loads_held = len(excluded_loads(paths))
    cur = publish.current(paths)
    if cur is not None:
        summary.version_id = cur.version_id
        summary.tables = dict(cur.tables)
    summary.feedback_files = len(deliveries(paths))


def stage_sample() -> int:
    """Deliver the committed sample uploads into their State channels ``$CCTNS_HOME/inbox/<SS>/``,
    as each SCRB would (ground truth stays out)."""
    paths = settings.paths().ensure()
    n = 0
    for src in sorted(settings.SAMPLE_DIR.iterdir()):
        if src.name.startswith(("_", ".")):
            continue
        if stage(src, paths.inbox) is not None:
            n += 1
    return n


def main() -> None:
    paths = settings.paths().ensure()
    n = stage_sample()
    print(f"sample staged: {n} new uploads in {paths.inbox}")
    s = run_pipeline(paths)
    print(f"Airflow home: {s.airflow_home} (runs: {s.dag_runs})")
    print(
        f"uploads ingested by mapped tasks: {s.uploads_ingested}; ledger: {s.outcomes}; held: {s.loads_held}"
    )
    print(f"published version: {s.version_id}; feedback files delivered: {s.feedback_files}")
    print(f"seconds: {s.seconds}")


__all__ = [
    "DAGS_DIR",
    "AirflowRunError",
    "AirflowRunSummary",
    "airflow_env",
    "configure",
    "ensure_pools",
    "init_metadata_db",
    "load_dags",
    "run_dag",
    "run_pipeline",
    "setup",
    "stage_sample",
]

if __name__ == "__main__":
    main()
