"""The warehouse build: real ``dbt build`` on the ingested sample, incremental = full, publication.

The dbt tests (keys, relationships, accepted values, invariants) and the dbt unit tests of every
NCRB formula run inside each ``dbt build`` here: a failing one fails the build and the test.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from cctns.cli import app
from core.settings import Paths
from tests.conftest import copy_home
from warehouse import publish as pub
from warehouse.build import BuildError, build, committed_loads

MARTS_COMPARED_EXCEPT = {"dim_build"}  # build id, time and mode differ by construction


def _published(home: Paths) -> duckdb.DuckDBPyConnection:
    return pub.connect_readonly(home)


def _lake(home: Paths, entity: str) -> pl.DataFrame:
    files = sorted(home.lake.glob(f"state_code=*/load_id=*/{entity}.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")


def test_fct_firs_counts_what_the_lake_says_ncrb_would_count(sample_warehouse: Paths) -> None:
    """Independent recount from the lake with Polars: latest version, no tombstone, no transferred zero FIR."""
    fir = _lake(sample_warehouse, "fir")
    latest = fir.sort("record_version").group_by("fir_key").last()
    expected = latest.filter(
        ~pl.col("is_tombstone") & ~(pl.col("is_zero_fir") & (pl.col("status") == "TRANSFERRED"))
    )
    con = _published(sample_warehouse)
    got = con.execute("select count(*), count(distinct fir_key) from marts.fct_firs").fetchall()[0]
    assert got == (expected.height, expected.height)
    keys = {r[0] for r in con.execute("select fir_key from marts.fct_firs").fetchall()}
    assert keys == set(expected["fir_key"].to_list())
    # Expunged FIRs and transferred zero FIRs exist in the sample and are left out.
    assert latest.filter(pl.col("is_tombstone")).height > 0
    assert latest.filter(pl.col("is_zero_fir") & (pl.col("status") == "TRANSFERRED")).height > 0


def test_marts_cover_every_state_and_reconcile(sample_warehouse: Paths) -> None:
    con = _published(sample_warehouse)
    n_states = con.execute("select count(*) from marts.mart_state_cctns_usage").fetchall()[0][0]
    assert n_states == 36
    assert (
        con.execute("select sum(stations_total) from marts.mart_state_cctns_usage").fetchall()[0][0] == 17074
    )
    firs, cases, registered = con.execute(
        "select (select count(*) from marts.fct_firs), (select sum(cases) from marts.mart_crime_state_year), "
        "(select sum(registered) from marts.mart_police_disposal)"
    ).fetchall()[0]
    assert firs == cases == registered > 1000
    as_of = con.execute("select data_as_on, mode from marts.dim_build").fetchall()[0]
    assert str(as_of[0]) == "2026-11-07" and as_of[1] == "full"
    # IPC and BNS FIRs land on the same heads: theft is one unbroken series across 1 July 2024.
    laws = con.execute(
        "select distinct law_code from marts.fct_firs where crime_head_code = 'THEFT' order by 1"
    ).fetchall()
    assert [r[0] for r in laws] == ["BNS", "IPC"]


def test_no_victim_identity_in_the_warehouse(sample_warehouse: Paths) -> None:
    """Victim names in the lake never reach any table or view of the published warehouse."""
    person = _lake(sample_warehouse, "person")
    victims = person.filter(pl.col("role") != "ACCUSED")
    names = {n for n in victims["name"].drop_nulls().to_list() if len(n) > 5}
    addresses = {a for a in victims["address"].drop_nulls().to_list() if len(a) > 8}
    assert len(names) > 100
    con = _published(sample_warehouse)
    # The same string can legitimately be an accused's (or an accused's father's) name elsewhere.
    acc = person.filter(pl.col("role") == "ACCUSED")
    accused = {
        v for c in ("name", "name_latin", "alias", "relative_name", "address") for v in acc[c].drop_nulls()
    }
    leaked: set[str] = set()
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema not in ('information_schema', 'pg_catalog')"
    ).fetchall()
    for schema, table in tables:
        cols = con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "and data_type = 'VARCHAR'",
            [schema, table],
        ).fetchall()
        for (col,) in cols:
            values = con.execute(f'select distinct "{col}" from "{schema}"."{table}"').fetchall()
            found = {v[0] for v in values} & (names | addresses)
            leaked |= found - accused  # the same name can belong to an accused elsewhere
    assert not leaked, f"victim identity in the warehouse: {sorted(leaked)[:5]}"


READER = textwrap.dedent(
    """
    import sys, time
    from core.settings import Paths
    from warehouse import publish as pub
    home = Paths(__import__("pathlib").Path(sys.argv[1]))
    stop = __import__("pathlib").Path(sys.argv[2])
    seen, queries = set(), 0
    while not stop.exists():
        con = pub.connect_readonly(home)
        try:
            build_id, firs, cases, reg = con.execute(
                "select (select build_id from marts.dim_build), (select count(*) from marts.fct_firs), "
                "(select sum(cases) from marts.mart_crime_state_year), "
                "(select sum(registered) from marts.mart_police_disposal)"
            ).fetchall()[0]
        finally:
            con.close()
        assert firs == cases == reg and firs > 0, (build_id, firs, cases, reg)
        seen.add(build_id)
        queries += 1
    print(len(seen), queries)
    """
)


def _stash_last_day(home: Paths, day: str) -> Path:
    stash = home.home / "stash"
    stash.mkdir()
    for ld in committed_loads(home):
        if str(ld.get("extract_date")) == day:
            src = Path(ld["_dir"])
            dest = stash / src.parent.name / src.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(src, dest)
    return stash


def _restore(home: Paths, stash: Path) -> None:
    for d in stash.glob("state_code=*/load_id=*"):
        (home.lake / d.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.move(d, home.lake / d.parent.name / d.name)


def _mart_tables(con: duckdb.DuckDBPyConnection, db: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'marts'",
        [db],
    ).fetchall()
    return sorted(r[0] for r in rows if r[0] not in MARTS_COMPARED_EXCEPT)


def test_nightly_incremental_build_equals_a_full_rebuild_while_readers_keep_reading(
    sample_lake: tuple[Paths, list], tmp_path: Path
) -> None:
    """Nightly build after one more day = full rebuild, mart for mart; a reader process querying
    the published file throughout gets no error and never sees a half-built warehouse."""
    home = copy_home(sample_lake[0], tmp_path / "home", parts=("lake",))
    stash = _stash_last_day(home, "2026-11-07")
    first = build(home, "auto")
    assert first.mode == "full" and first.loads_new > 200
    _restore(home, stash)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(home.home), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        nightly = build(home, "auto")
        time.sleep(1.0)
    finally:
        stop.touch()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    versions, queries = map(int, out.split())
    assert queries > 10
    assert versions == 2  # the reader saw the first build, then picked up the nightly one
    assert nightly.mode == "incremental"
    assert 0 < nightly.loads_new <= 36  # only the last night's loads were read from the lake
    rebuilt = build(home, "full", publish=False)

    con = duckdb.connect()
    con.execute(f"attach '{home.warehouse / 'current.duckdb'}' as inc (read_only)")
    con.execute(f"attach '{rebuilt.candidate}' as fresh (read_only)")
    tables = _mart_tables(con, "inc")
    assert tables == _mart_tables(con, "fresh") and len(tables) >= 20
    for t in tables:
        diff = con.execute(
            f"select count(*) from ((select * from inc.marts.{t} except all select * from fresh.marts.{t}) "
            f"union all (select * from fresh.marts.{t} except all select * from inc.marts.{t}))"
        ).fetchall()[0][0]
        assert diff == 0, f"marts.{t} differs between the incremental and the full build"
    n = con.execute("select count(*) from inc.marts.fct_firs").fetchall()[0][0]
    assert n > 1000
    assert con.execute("select mode from inc.marts.dim_build").fetchall()[0][0] == "incremental"


def test_held_loads_stay_out_and_cli_builds_publishes_rolls_back_and_documents(
    sample_lake: tuple[Paths, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = copy_home(sample_lake[0], tmp_path / "home", parts=("lake",))
    monkeypatch.setenv("CCTNS_HOME", str(home.home))
    loads = [ld for ld in committed_loads(home) if ld["outcome"] == "LOADED" and ld["state_code"] == "09"]
    held = loads[-1]
    home.quality.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(
        {
            "load_id": [held["load_id"]],
            "state_code": ["09"],
            "extract_date": [dt.date.fromisoformat(str(held["extract_date"]))],
            "status": ["HELD"],
            "reason": ["volume: 10% of the trailing median"],
            "decided_at": [dt.datetime(2026, 11, 8, tzinfo=dt.UTC)],
            "decided_by": ["gate"],
            "run_id": ["r1"],
        }
    ).write_parquet(home.quality / "batch_status.parquet")
    runner = CliRunner()
    res = runner.invoke(app, ["build"])
    assert res.exit_code == 0, res.output
    assert "full" in res.output and "published" in res.output
    first = pub.current(home)
    con = _published(home)
    assert not con.execute(
        "select count(*) from intermediate.int_loads_in_build where load_id = ?", [held["load_id"]]
    ).fetchall()[0][0]
    row = con.execute(
        "select gate_status, gate_reason, in_build from marts.mart_upload_health where load_id = ?",
        [held["load_id"]],
    ).fetchall()
    assert row == [("HELD", "volume: 10% of the trailing median", False)]
    # The rest of Uttar Pradesh's week and every other State go on.
    states = {r[0] for r in con.execute("select distinct state_code from marts.fct_firs").fetchall()}
    assert "09" in states and len(states) > 30
    con.close()

    # Released by an operator: the next nightly build takes the held load in.
    from quality.gate import release

    release(home, held["load_id"], by="ncrb.statistician", note="volume confirmed by the SCRB")
    res = runner.invoke(app, ["build"])
    assert res.exit_code == 0, res.output
    assert "incremental" in res.output
    assert pub.current(home).version_id != first.version_id
    con = _published(home)
    assert con.execute(
        "select count(*) from intermediate.int_loads_in_build where load_id = ?", [held["load_id"]]
    ).fetchall()[0][0]
    con.close()
    res = runner.invoke(app, ["publish", "--rollback"])
    assert res.exit_code == 0, res.output
    assert pub.current(home).version_id == first.version_id
    res = runner.invoke(app, ["docs"])
    assert res.exit_code == 0, res.output
    target = home.warehouse / "dbt_target"
    catalog = json.loads((target / "catalog.json").read_text())
    assert "model.cctns.fct_firs" in catalog["nodes"]
    assert (target / "index.html").is_file()


def test_build_refuses_an_empty_lake(tmp_path: Path) -> None:
    home = Paths(tmp_path / "empty").ensure()
    with pytest.raises(BuildError, match="nothing to build"):
        build(home, "full")
    assert pub.current(home) is None
