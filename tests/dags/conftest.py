"""Airflow for the DAG tests: a private ``AIRFLOW_HOME`` (SQLite) and the dbt manifest, once a session.

Airflow reads its configuration when it is first imported, so :func:`airflow_session` sets the
environment before any test imports it (no test module imports Airflow at module level). The
end-to-end test runs Airflow in a subprocess with its own home (``cctns.airflow_demo``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cctns.airflow_demo import DAGS_DIR, airflow_env
from cctns.orchestration import ENV_DBT_MANIFEST
from core.settings import Paths


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The dbt manifest, prepared once (``dbt parse``) and shared through ``$CCTNS_DBT_MANIFEST``."""
    from cctns.dbt_manifest import prepare_manifest

    root = tmp_path_factory.mktemp("dbt_manifest")
    old = os.environ.get(ENV_DBT_MANIFEST)
    os.environ[ENV_DBT_MANIFEST] = str(root / "target" / "manifest.json")
    try:
        yield prepare_manifest(Paths(root / "home"))
    finally:
        if old is None:
            os.environ.pop(ENV_DBT_MANIFEST, None)
        else:
            os.environ[ENV_DBT_MANIFEST] = old


@pytest.fixture(scope="session")
def airflow_session(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Iterator[Path]:
    """A private Airflow configuration for in-process DAG parsing; returns its ``AIRFLOW_HOME``."""
    home = Paths(tmp_path_factory.mktemp("airflow_session"))
    env = {k: v for k, v in airflow_env(home).items() if k != "CCTNS_HOME"}
    if "airflow.configuration" in sys.modules:
        from airflow.configuration import AIRFLOW_HOME

        if Path(AIRFLOW_HOME).resolve() != Path(env["AIRFLOW_HOME"]).resolve():
            pytest.fail(
                f"Airflow was imported before the DAG tests configured it (AIRFLOW_HOME={AIRFLOW_HOME})"
            )
    old = {k: os.environ.get(k) for k in env}
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    try:
        yield Path(env["AIRFLOW_HOME"])
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="session")
def dag_files() -> list[Path]:
    return sorted(DAGS_DIR.glob("*.py"))
