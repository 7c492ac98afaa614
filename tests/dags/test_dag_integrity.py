"""Every DAG file imports cleanly through Airflow's DagBag and follows the project's DAG rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cctns.airflow_demo import DAGS_DIR
from cctns.orchestration import (
    LAKE_POOL,
    POOLS,
    STATE_ALIAS,
    WAREHOUSE_POOL,
    state_asset_uri,
    state_codes,
)

DAG_FILES = sorted(DAGS_DIR.glob("*.py"))
EXPECTED_DAGS = {"cctns_ingest", "cctns_nightly_build", "cctns_feedback", "cctns_maintenance"}
#: Modules a DAG file must never import while it is parsed (ruff's TID253 enforces it statically).
HEAVY = ("polars", "duckdb", "dbt", "great_expectations", "pandas", "pyarrow", "ingestion", "quality")


def _bag(path: Path) -> Any:  # Airflow is imported lazily (after its configuration)
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(path), safe_mode=True)


def test_every_expected_dag_has_a_file() -> None:
    assert {p.stem for p in DAG_FILES} == EXPECTED_DAGS


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_dag_file_imports_and_follows_the_rules(dag_file: Path, airflow_session: Path) -> None:
    bag = _bag(dag_file)
    assert bag.import_errors == {}, bag.import_errors
    assert list(bag.dags) == [dag_file.stem], "one DAG per file, named like the file"
    dag = bag.dags[dag_file.stem]
    dag.check_cycle()  # raises on a cycle
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.dagrun_timeout is not None
    assert "cctns" in dag.tags and len(dag.tags) >= 2
    assert dag.doc_md and dag.doc_md.lstrip().startswith(f"### {dag.dag_id}"), "a markdown doc"
    assert dag.tasks
    for task in dag.tasks:
        assert task.retries >= 1, f"{task.task_id} has no retries"
        assert task.execution_timeout is not None, f"{task.task_id} has no timeout"
        assert task.owner == "cctns"
        assert task.pool in ("default_pool", *POOLS), f"{task.task_id}: unknown pool {task.pool}"


def test_dag_files_parse_without_heavy_imports(airflow_session: Path) -> None:
    """Parsing all DAGs in a fresh interpreter loads none of the heavy libraries or packages."""
    code = (
        "import json, sys\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        "before = set(sys.modules)\n"
        f"bag = DagBag(dag_folder={str(DAGS_DIR)!r}, safe_mode=True)\n"
        "loaded = sorted({m.split('.')[0] for m in set(sys.modules) - before})\n"
        "print(json.dumps({'errors': bag.import_errors, 'dags': sorted(bag.dags), 'loaded': loaded}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
        timeout=300,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == {}
    assert set(result["dags"]) == EXPECTED_DAGS
    assert not set(HEAVY) & set(result["loaded"]), sorted(set(HEAVY) & set(result["loaded"]))


def test_ingest_maps_one_task_per_upload_and_emits_state_assets(airflow_session: Path) -> None:
    dag = _bag(DAGS_DIR / "cctns_ingest.py").dags["cctns_ingest"]
    ingest = dag.get_task("ingest_upload")
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    assert isinstance(ingest, MappedOperator)  # dynamic task mapping over the uploads
    assert ingest.upstream_task_ids == {"find_new_uploads"}
    assert ingest.partial_kwargs.get("pool", ingest.pool) == LAKE_POOL
    assert [getattr(o, "name", None) for o in ingest.outlets] == [STATE_ALIAS]


def test_nightly_build_wires_gate_cosmos_and_publish(airflow_session: Path, dbt_manifest: Path) -> None:
    dag = _bag(DAGS_DIR / "cctns_nightly_build.py").dags["cctns_nightly_build"]
    # scheduled on every State's Asset, with a nightly cut-off
    uris = {a.uri for a in dag.timetable.asset_condition.objects}
    assert uris == {state_asset_uri(c) for c in state_codes()}
    assert type(dag.timetable.asset_condition).__name__ == "AssetAll"
    assert dag.timetable.timetable.expression == "30 2 * * *"
    # gate -> prepare -> dbt (cosmos, one task per dbt node, rendered from the manifest) -> publish
    assert dag.get_task("prepare").upstream_task_ids == {"quality_gate"}
    dbt_tasks = [t for t in dag.tasks if t.task_id.startswith("dbt_build.")]
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    n_models = sum(1 for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed"))
    assert len(dbt_tasks) > n_models
    assert all(t.pool == WAREHOUSE_POOL for t in dbt_tasks if t.task_type != "EmptyOperator")
    producer = dag.get_task("dbt_build.dbt_producer_watcher")
    assert "prepare" in producer.upstream_task_ids
    assert producer.env["CCTNS_DBT_DUCKDB_PATH"].startswith("{{")  # templated from prepare's XCom
    assert {t.task_id for t in dag.get_task("publish").upstream_list} >= {"prepare"}
    assert dag.get_task("publish").pool == WAREHOUSE_POOL
    assert [o.uri for o in dag.get_task("publish").outlets] == ["cctns://warehouse/published"]


def test_nightly_build_imports_on_a_fresh_deployment_and_says_what_to_run(
    airflow_session: Path, tmp_path: Path
) -> None:
    """No dbt manifest prepared yet (a fresh CCTNS_HOME): no import error, one task naming the step."""
    code = (
        "import json\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag(dag_folder={str(DAGS_DIR / 'cctns_nightly_build.py')!r}, safe_mode=True)\n"
        "dag = bag.dags.get('cctns_nightly_build')\n"
        "said = None\n"
        "if dag is not None:\n"
        "    try:\n"
        "        dag.get_task('deployment_incomplete').python_callable()\n"
        "    except Exception as exc:\n"
        "        said = str(exc)\n"
        "print(json.dumps({'errors': {k: str(v) for k, v in bag.import_errors.items()},\n"
        "    'tasks': sorted(t.task_id for t in dag.tasks) if dag else None, 'said': said}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CCTNS_DBT_MANIFEST"}
    env["CCTNS_HOME"] = str(tmp_path / "fresh_home")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, timeout=300
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == {}
    assert result["tasks"] == ["deployment_incomplete"]
    assert "cctns deploy" in result["said"] and "make deploy" in result["said"]
    assert not (tmp_path / "fresh_home" / "warehouse" / "dbt_manifest" / "manifest.json").exists()


def test_nightly_build_rebuilds_without_the_loads_a_failing_dbt_test_traces_to(
    airflow_session: Path, dbt_manifest: Path
) -> None:
    dag = _bag(DAGS_DIR / "cctns_nightly_build.py").dags["cctns_nightly_build"]
    rebuild = dag.get_task("isolate_and_rebuild")
    # all_done + an explicit check of the producer's state: a failed gate or prepare
    # (producer upstream_failed) never starts a rebuild
    assert rebuild.trigger_rule == "all_done"
    assert "dbt_build.dbt_producer_watcher" in rebuild.upstream_task_ids
    assert rebuild.pool == WAREHOUSE_POOL
    assert [o.uri for o in rebuild.outlets] == ["cctns://warehouse/published"]
    done = dag.get_task("done")
    assert done.trigger_rule == "one_success" and done.upstream_task_ids == {"publish", "isolate_and_rebuild"}
    assert [t.task_id for t in dag.tasks if not t.downstream_task_ids] == ["done"]


class _FakeTI:
    dag_id = "cctns_nightly_build"
    run_id = "scheduled__2026-12-04"

    def __init__(self, producer_state: str | None) -> None:
        self.producer_state = producer_state

    def get_task_states(self, dag_id: str, task_ids: list[str], run_ids: list[str]) -> dict:
        assert (dag_id, run_ids) == (self.dag_id, [self.run_id])
        return {self.run_id: {t: self.producer_state for t in task_ids}}


@pytest.mark.parametrize(
    ("state", "runs"),
    [("failed", True), ("upstream_failed", False), ("success", False), ("skipped", False), (None, False)],
)
def test_isolate_and_rebuild_runs_only_when_dbt_itself_failed(state: str | None, runs: bool) -> None:
    from cctns.orchestration import dbt_step_failed

    assert dbt_step_failed(_FakeTI(state), "dbt_build.dbt_producer_watcher") is runs
