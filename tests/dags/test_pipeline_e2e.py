"""The sample through Airflow (``dag.test()``) publishes what the ``cctns`` command line publishes.

Airflow runs in a subprocess (``python -m cctns.airflow_demo``: its own ``CCTNS_HOME`` and
``AIRFLOW_HOME``, SQLite, the sample staged into the inbox, then ``cctns_ingest``,
``cctns_nightly_build`` and ``cctns_feedback`` with ``dag.test()``), started before the
session's command-line warehouse (``sample_warehouse``: ingest, gate, build) is built, so both
run at the same time. The subprocess keeps Airflow's process-wide configuration and dbt's
in-process state out of the test process.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from core.settings import REPO_ROOT, SAMPLE_DIR, Paths

pytestmark = pytest.mark.slow


def _sample_uploads() -> list[str]:
    return sorted(p.name for p in SAMPLE_DIR.iterdir() if not p.name.startswith(("_", ".")))


@pytest.fixture(scope="session")
def airflow_pipeline(
    tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path
) -> Iterator[Callable[[], Paths]]:
    """Start the Airflow run now; the returned function waits for it and returns its home.

    Session-scoped so that pytest starts it before the (session-scoped) command-line warehouse.
    """
    root = tmp_path_factory.mktemp("airflow_pipeline")
    home = Paths(root / "home")
    log_path = root / "airflow_run.log"
    env = os.environ.copy()
    env.update(CCTNS_HOME=str(home.home), CCTNS_AIRFLOW_RETRIES="0")  # fail fast, no retry delays
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cctns.airflow_demo"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait() -> Paths:
        rc = proc.wait(timeout=1800)
        if rc != 0:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-6000:]
            pytest.fail(f"the Airflow run failed (exit {rc}); end of {log_path}:\n{tail}")
        return home

    try:
        yield wait
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _ledger(home: Paths) -> set[tuple]:
    from warehouse.build import committed_loads

    return {
        (ld["load_id"], ld["outcome"], ld["rows_in"], ld["rows_loaded"], ld["rows_quarantined"])
        for ld in committed_loads(home)
    }


def _mart_figures(home: Paths) -> dict[str, tuple]:
    """Per marts table: row count, and sum(cases) where the table has it; fct_firs: its FIR versions."""
    con = duckdb.connect(str(home.warehouse / "current.duckdb"), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        out: dict[str, tuple] = {}
        for t in tables:
            cols = {
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = 'marts' "
                    "and table_name = ?",
                    [t],
                ).fetchall()
            }
            cases = "sum(cases)" if "cases" in cols else "null"
            out[t] = tuple(con.execute(f'select count(*), {cases} from marts."{t}"').fetchone())
        out["fct_firs versions"] = tuple(
            con.execute(
                "select count(*), sum(hash(fir_key || ':' || record_version)) from marts.fct_firs"
            ).fetchone()
        )
        return out
    finally:
        con.close()


def _gate_status(home: Paths) -> set[tuple[str, str]]:
    from quality.gate import batch_status

    return {(r["load_id"], r["status"]) for r in batch_status(home).iter_rows(named=True)}


def _state_asset_events(home: Paths) -> dict[str, int]:
    """Asset URI -> events, from the run's Airflow metadata database."""
    con = sqlite3.connect(home.airflow / "airflow.db")
    try:
        rows = con.execute(
            "select a.uri, count(*) from asset_event e join asset a on a.id = e.asset_id group by a.uri"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def test_airflow_run_publishes_what_the_command_line_publishes(
    airflow_pipeline: Callable[[], Paths], sample_warehouse: Paths
) -> None:
    home = airflow_pipeline()  # the command-line warehouse was built meanwhile
    summary = json.loads((home.airflow / "last_run.json").read_text(encoding="utf-8"))
    assert summary["dag_runs"] == {
        "cctns_ingest": "success",
        "cctns_nightly_build": "success",
        "cctns_feedback": "success",
    }
    uploads = _sample_uploads()
    assert summary["uploads_ingested"] == len(uploads), "one mapped ingest task per upload"

    # the same loads, with the same outcomes and row accounting, and the same gate verdicts
    ledger = _ledger(home)
    assert len(ledger) == len(uploads)
    assert ledger == _ledger(sample_warehouse)
    assert _gate_status(home) == _gate_status(sample_warehouse)

    # the published warehouse: every mart has the same rows and case counts
    ours, theirs = _mart_figures(home), _mart_figures(sample_warehouse)
    assert len(ours) > 20
    assert ours["fct_firs"][0] > 0 and ours["mart_crime_state_year"][1] > 0
    assert ours == theirs

    # each State's Asset got an event for every committed upload of that State
    states = {ld[0][:2] for ld in ledger}
    events = _state_asset_events(home)
    assert {u for u in events if u.startswith("cctns://lake/state/")} == {
        f"cctns://lake/state/{s}" for s in states
    }
    assert events["cctns://warehouse/published"] == 1

    # every feedback file was delivered once
    files = sorted(home.outbox.glob("[0-9][0-9]/*.csv"))
    assert len(files) == 2 * len(uploads)
    assert summary["feedback_files"] == len(files)
    for f in files:
        assert (f.parent / "delivered" / f.name).read_bytes() == f.read_bytes()
