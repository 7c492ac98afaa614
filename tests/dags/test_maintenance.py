"""Retention (``cctns_maintenance``): landed uploads and published warehouse versions."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from core.settings import SAMPLE_DIR, Paths
from ingestion.pipeline import ingest
from ingestion.store import Store
from warehouse import publish
from warehouse.build import committed_loads
from warehouse.maintenance import (
    ENV_LANDING_DAYS,
    MaintenanceError,
    landing_retention,
    landing_retention_days,
    version_retention,
)

YEAR_AGO = (dt.datetime.now(dt.UTC) - dt.timedelta(days=365)).timestamp()


@pytest.fixture
def home(tmp_path: Path) -> Paths:
    home = Paths(tmp_path / "home").ensure()
    ingest(sorted(SAMPLE_DIR.glob("35_*")), home, channel="35")
    return home


def _landed(home: Paths) -> list[Path]:
    return sorted(p for hh in home.landing.iterdir() for p in hh.iterdir())


def _age(path: Path, when: float = YEAR_AGO) -> None:
    for p in [path, *path.rglob("*")]:
        os.utime(p, (when, when))


def test_landed_uploads_of_recent_loads_are_kept_even_if_the_files_look_old(home: Paths) -> None:
    landed = _landed(home)
    assert len(landed) == 7
    for p in landed:
        _age(p)  # e.g. copied with their original times
    report = landing_retention(home, days=30)
    assert report.deleted == [] and len(report.kept_young_load) == 7
    assert _landed(home) == landed


def test_landed_uploads_go_once_their_loads_are_older_than_the_retention(home: Paths) -> None:
    loads_before = len(committed_loads(home))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    dry = landing_retention(home, days=30, now=later, dry_run=True)
    assert len(dry.deleted) == 7 and len(_landed(home)) == 7 and dry.bytes_freed > 0
    report = landing_retention(home, days=30, now=later)
    assert len(report.deleted) == 7
    assert not list(home.landing.iterdir())  # empty <hh> folders removed too
    assert len(committed_loads(home)) == loads_before  # the lake is never touched
    assert landing_retention(home, days=30, now=later).deleted == []


def test_a_landed_folder_without_a_committed_load_is_kept_while_young(home: Paths) -> None:
    orphan = home.landing / "ab" / ("ab" + "0" * 62)  # an ingest that died before its commit
    orphan.mkdir(parents=True)
    (orphan / "fir.csv").write_text("x\n", encoding="utf-8")
    report = landing_retention(home, days=30)
    assert report.kept_young_folder == [f"ab/{orphan.name}"] and orphan.exists()
    _age(orphan)
    report = landing_retention(home, days=30)
    assert report.deleted == [f"ab/{orphan.name}"] and not orphan.exists()
    assert len(_landed(home)) == 7


def test_a_moved_home_still_matches_its_loads(home: Paths, tmp_path: Path) -> None:
    moved = Paths(tmp_path / "moved")
    shutil.copytree(home.home, moved.home, copy_function=shutil.copy2)
    for p in _landed(moved):
        _age(p)
    report = landing_retention(moved, days=30)
    assert report.deleted == [] and len(report.kept_young_load) == 7


def test_landing_retention_waits_for_a_running_ingest(home: Paths) -> None:
    with Store(home).lock(), pytest.raises(RuntimeError, match="another ingest"):
        landing_retention(home, days=30)


def test_landing_retention_setting(monkeypatch: pytest.MonkeyPatch, home: Paths) -> None:
    monkeypatch.delenv(ENV_LANDING_DAYS, raising=False)
    assert landing_retention_days() == 90
    monkeypatch.setenv(ENV_LANDING_DAYS, "14")
    assert landing_retention(home).days == 14
    for bad in ("0", "-3", "two weeks"):
        monkeypatch.setenv(ENV_LANDING_DAYS, bad)
        with pytest.raises(MaintenanceError, match=ENV_LANDING_DAYS):
            landing_retention_days()
    with pytest.raises(MaintenanceError, match="at least 1 day"):
        landing_retention(home, days=0)


def _publish_version(paths: Paths, n: int) -> str:
    cand = publish.new_candidate(paths, copy_current=False)
    con = duckdb.connect(str(cand))
    try:
        con.execute("create table build_marker as select ? as n", [n])
    finally:
        con.close()
    return publish.publish(paths, cand, {"n": n}, required_tables=["build_marker"], keep=100).version_id


def test_version_retention_keeps_the_configured_number(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "wh").ensure()
    ids = [_publish_version(paths, n) for n in range(4)]
    assert [v.version_id for v in publish.list_versions(paths)] == ids
    out = version_retention(paths, keep=2)
    assert out["versions"] == ids[-2:]
    assert len([p for p in out["deleted"] if p.endswith(".duckdb")]) == 2
    assert publish.current(paths).version_id == ids[-1]
    con = publish.connect_readonly(paths)
    try:
        assert con.execute("select n from build_marker").fetchone() == (3,)
    finally:
        con.close()
