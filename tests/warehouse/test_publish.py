"""Publication of the warehouse: atomic swap, rollback, retention, readers, crash safety.

Every test uses real DuckDB files. Each test "build" writes tables ``a`` and ``b`` with the same
number of rows (``rows_for(build)``) and its build number in every row, writing ``a`` before
``b`` so that a half-built file is recognisable; a reader checks both agree.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from cctns.publish_cli import publish_app
from core.settings import REPO_ROOT, Paths, paths
from warehouse import publish as pub
from warehouse.publish import (
    CandidateError,
    NothingPublishedError,
    NothingToRollBackError,
    PublishedReader,
    PublishError,
    apply_retention,
    connect_readonly,
    current,
    history,
    layout,
    list_versions,
    new_candidate,
    publish,
    rollback,
)


def rows_for(build: int) -> int:
    return 200 + 37 * build


def build_candidate(p: Paths, build: int, *, pause: float = 0.0) -> Path:
    """A full build: a fresh candidate with tables ``a`` and ``b`` of ``rows_for(build)`` rows."""
    cand = new_candidate(p, copy_current=False)
    assert not cand.exists()
    con = duckdb.connect(str(cand))
    try:
        n = rows_for(build)
        con.execute("CREATE TABLE a AS SELECT range AS i, ?::INTEGER AS build FROM range(?)", [build, n])
        time.sleep(pause)  # a reader that could see the candidate would find `b` missing here
        con.execute("CREATE TABLE b AS SELECT range AS i, ?::INTEGER AS build FROM range(?)", [build, n])
    finally:
        con.close()
    return cand


def check(con: duckdb.DuckDBPyConnection) -> int:
    """Assert the warehouse behind ``con`` is one complete build; return its build number."""
    na, nb, a_lo, a_hi, b_lo, b_hi = con.execute(
        "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b), (SELECT min(build) FROM a), "
        "(SELECT max(build) FROM a), (SELECT min(build) FROM b), (SELECT max(build) FROM b)"
    ).fetchone()  # type: ignore[misc]
    assert a_lo == a_hi == b_lo == b_hi, (a_lo, a_hi, b_lo, b_hi)
    assert na == nb == rows_for(a_lo), (na, nb, a_lo)
    return int(a_lo)


def served_build(p: Paths) -> int:
    con = connect_readonly(p)
    try:
        return check(con)
    finally:
        con.close()


def publish_build(p: Paths, build: int, **kw: object) -> pub.PublishedVersion:
    return publish(p, build_candidate(p, build), {"build": build}, required_tables=["a", "main.b"], **kw)  # type: ignore[arg-type]


# --- semantics ---------------------------------------------------------------------------------------


def test_publish_lays_out_an_immutable_version_and_swaps_current() -> None:
    p = paths()
    assert current(p) is None and list_versions(p) == []
    with pytest.raises(NothingPublishedError):
        connect_readonly(p)
    cand = build_candidate(p, 1)
    v1 = publish(p, cand, {"build": 1, "mode": "full"}, required_tables=["a", "main.b"])
    lay = layout(p)
    assert pub.VERSION_ID_RE.match(v1.version_id)
    assert not cand.exists() and not Path(f"{cand}.wal").exists()
    assert v1.path == lay.version_db(v1.version_id) and v1.is_current and v1.previous is None
    assert v1.tables == {"a": rows_for(1), "main.b": rows_for(1)}
    assert v1.build_info == {"build": 1, "mode": "full"}
    assert os.stat(lay.current).st_ino == os.stat(v1.path).st_ino  # a hard link, not a copy
    assert stat.S_IMODE(os.stat(v1.path).st_mode) == 0o444
    state = json.loads(lay.current_json.read_text())
    assert state["version_id"] == v1.version_id and state["event"] == "publish"
    assert state["build_info"] == {"build": 1, "mode": "full"} and state["previous"] is None
    assert served_build(p) == 1

    v2 = publish_build(p, 2)
    assert v2.version_id > v1.version_id and v2.previous == v1.version_id
    assert os.stat(lay.current).st_ino == os.stat(v2.path).st_ino
    assert served_build(p) == 2
    assert [v.version_id for v in list_versions(p)] == [v1.version_id, v2.version_id]
    assert [v.is_current for v in list_versions(p)] == [False, True]
    events = [(e["event"], e["version_id"], e["replaced"]) for e in history(p)]
    assert events == [("publish", v1.version_id, None), ("publish", v2.version_id, v1.version_id)]
    # the published path itself is readable by any DuckDB client, and is the same file
    con = duckdb.connect(str(lay.current), read_only=True)
    assert check(con) == 2
    con.close()
    assert sorted(x.name for x in lay.root.iterdir()) == sorted(
        ["builds", "versions", "current.duckdb", "CURRENT.json", "publish_log.jsonl", ".publish.lock"]
    )


def test_a_bad_candidate_is_refused_and_the_published_version_stays() -> None:
    p = paths()
    publish_build(p, 1)
    before = current(p)
    with pytest.raises(CandidateError, match="does not exist"):
        publish(p, layout(p).builds / "nope.duckdb", {})
    junk = layout(p).builds / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CandidateError, match="DuckDB"):
        publish(p, junk, {})
    cand = build_candidate(p, 2)
    with pytest.raises(CandidateError, match=r"lacks the required tables \['marts.fct_firs'\]"):
        publish(p, cand, {}, required_tables=["a", "marts.fct_firs"])
    assert cand.exists()  # left in place for inspection
    con = duckdb.connect(str(cand))  # still open for writing in this process
    with pytest.raises(CandidateError, match="still open in this process"):
        publish(p, cand, {})
    con.close()
    con = duckdb.connect(str(cand), read_only=True)  # e.g. a quality check that forgot to close
    with pytest.raises(CandidateError, match="still open in this process"):
        publish(p, cand, {})
    con.close()
    held = subprocess.Popen(  # open for writing by another process
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(cand)!r}); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert held.stdout is not None and held.stdout.readline().strip() == "ok"
        with pytest.raises(CandidateError, match="another process"):
            publish(p, cand, {})
    finally:
        held.kill()
        held.wait()
    with pytest.raises(CandidateError, match="already published"):
        publish(p, before.path, {})  # type: ignore[union-attr]
    with pytest.raises(TypeError):
        publish(p, cand, ["not", "a", "dict"])  # type: ignore[arg-type]
    assert current(p) == before and served_build(p) == 1
    assert [e["event"] for e in history(p)] == ["publish"]
    # the refused candidate, once fixed, publishes fine
    assert publish(p, cand, {"build": 2}, required_tables=["a", "b"]).previous == before.version_id  # type: ignore[union-attr]
    assert served_build(p) == 2


def test_rollback_walks_back_the_chain_and_a_new_publish_continues_from_there() -> None:
    p = paths()
    with pytest.raises(NothingPublishedError):
        rollback(p)
    vs = [publish_build(p, b) for b in (1, 2, 3, 4)]
    ids = [v.version_id for v in vs]
    r = rollback(p)
    assert r.version_id == ids[2] and served_build(p) == 3 and r.is_current
    state = json.loads(layout(p).current_json.read_text())
    assert (
        state["event"] == "rollback" and state["rolled_back_from"] == ids[3] and state["previous"] == ids[1]
    )
    assert rollback(p).version_id == ids[1] and served_build(p) == 2
    assert rollback(p).version_id == ids[0] and served_build(p) == 1
    with pytest.raises(NothingToRollBackError, match="first published version"):
        rollback(p)
    assert served_build(p) == 1
    v5 = publish_build(p, 5)
    assert v5.previous == ids[0]
    assert rollback(p).version_id == ids[0]  # back along the chain, not to the newest id
    log = [(e["event"], e["version_id"]) for e in history(p)]
    assert log == [
        *(("publish", i) for i in ids),
        ("rollback", ids[2]), ("rollback", ids[1]), ("rollback", ids[0]),
        ("publish", v5.version_id), ("rollback", ids[0]),
    ]  # fmt: skip
    assert [v.version_id for v in list_versions(p)] == [*ids, v5.version_id]


def test_retention_keeps_the_last_n_plus_current_and_previous(monkeypatch: pytest.MonkeyPatch) -> None:
    p = paths()
    lay = layout(p)
    monkeypatch.setenv("CCTNS_KEEP_VERSIONS", "2")
    vs = [publish_build(p, b) for b in range(1, 6)]
    ids = [v.version_id for v in vs]
    assert [v.version_id for v in list_versions(p)] == ids[-2:]
    assert sorted(x.name for x in lay.versions.iterdir()) == sorted(
        [f"{i}.duckdb" for i in ids[-2:]] + [f"{i}.json" for i in ids[-2:]]
    )
    assert history(p)[-1]["event"] == "retention"
    # after a rollback, the current and its previous are protected even outside the last N
    monkeypatch.setenv("CCTNS_KEEP_VERSIONS", "10")
    more = [publish_build(p, b).version_id for b in (6, 7)]  # kept: ids[3], ids[4], 6, 7
    rollback(p)
    rollback(p)  # current = ids[4] (build 5), previous = ids[3] (build 4)
    assert served_build(p) == 5
    # stale candidates (untouched for longer than a DAG run: 9 hours) go; fresh ones stay
    old = build_candidate(p, 8)
    Path(f"{old}.wal").write_bytes(b"x")
    long_ago = time.time() - 10 * 3600
    for f in (old, Path(f"{old}.wal")):
        os.utime(f, (long_ago, long_ago))
    fresh = build_candidate(p, 9)
    # an orphan of a crashed publish: renamed into versions/ but never made current
    orphan = "20000101T000000Z-abcdef"
    (lay.versions / f"{orphan}.duckdb").write_bytes(b"")
    (lay.versions / f"{orphan}.json").write_text(json.dumps({"version_id": orphan, "published_at": None}))
    deleted = apply_retention(p, keep=1)
    kept = [v.version_id for v in list_versions(p)]
    assert kept == [ids[3], ids[4], more[1]]  # previous, current, last 1
    assert current(p).version_id == ids[4]  # type: ignore[union-attr]
    assert old in deleted and Path(f"{old}.wal") in deleted and not old.exists()
    assert fresh.exists() and fresh not in deleted
    assert not (lay.versions / f"{orphan}.duckdb").exists() and not (lay.versions / f"{orphan}.json").exists()
    assert lay.version_db(more[0]) in deleted
    assert served_build(p) == 5
    with pytest.raises(PublishError, match="at least 1"):
        apply_retention(p, keep=0)
    monkeypatch.setenv("CCTNS_KEEP_VERSIONS", "many")
    with pytest.raises(PublishError, match="CCTNS_KEEP_VERSIONS"):
        publish_build(p, 10)


def test_incremental_candidate_starts_as_a_private_copy_of_the_current_version() -> None:
    p = paths()
    with pytest.raises(NothingPublishedError, match="full build"):
        new_candidate(p, copy_current=True)
    v1 = publish_build(p, 1)
    cand = new_candidate(p, copy_current=True)
    assert cand.parent == layout(p).builds and cand.exists()
    assert os.stat(cand).st_ino != os.stat(v1.path).st_ino
    reader = connect_readonly(p)  # a reader keeps its version while the copy is extended
    con = duckdb.connect(str(cand))
    con.execute("INSERT INTO a SELECT range + 1000000, 1 FROM range(37)")
    con.execute("INSERT INTO b SELECT range + 1000000, 1 FROM range(37)")
    con.execute("UPDATE a SET build = 2; UPDATE b SET build = 2")
    con.close()
    assert check(reader) == 1
    reader.close()
    assert served_build(p) == 1  # the published file is untouched by the incremental build
    v2 = publish(p, cand, {"build": 2, "mode": "incremental"}, required_tables=["a", "b"])
    assert served_build(p) == 2 and v2.previous == v1.version_id and v2.tables["a"] == rows_for(2)
    assert not any(layout(p).builds.iterdir())


def test_published_reader_follows_new_versions_and_is_safe_across_threads(
    caplog: pytest.LogCaptureFixture,
) -> None:
    p = paths()
    reader = PublishedReader(p)
    with pytest.raises(NothingPublishedError):
        reader.connection()
    publish_build(p, 1)
    held = reader.connection()
    assert check(held) == 1 and reader.reopens == 1
    with reader.connection() as con:
        assert check(con) == 1
    assert reader.reopens == 1  # no change, no reopen
    v2 = publish_build(p, 2)
    with reader.connection() as con:
        assert check(con) == 2
    assert reader.version_id == v2.version_id and reader.reopens == 2
    assert check(held) == 1  # a connection handed out earlier still reads its version
    held.close()
    rollback(p)
    with reader.connection() as con:
        assert check(con) == 1
    # a broken published folder (current.duckdb replaced by hand): keep serving, with a warning
    lay = layout(p)
    saved = lay.root / "saved.duckdb"
    os.replace(lay.current, saved)
    shutil.copyfile(saved, lay.current)
    with caplog.at_level(logging.WARNING, logger="warehouse.publish"), reader.connection() as con:
        assert check(con) == 1
    assert "still serving version" in caplog.text
    with pytest.raises(PublishError, match="not a hard link"):
        connect_readonly(p)
    os.replace(saved, lay.current)

    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            try:
                with reader.connection() as con:
                    seen.add(check(con))
                time.sleep(0.005)
            except BaseException as exc:  # the test fails on any error at all
                errors.append(exc)
                return

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for b in (3, 4, 5):
        publish_build(p, b)
        time.sleep(0.15)
    stop.set()
    for t in threads:
        t.join()
    reader.close()
    assert errors == []
    assert {5} <= seen and len(seen) >= 2


# --- concurrency with real processes -----------------------------------------------------------------


def reader_main(home: str, stop_file: str, ready_file: str, deadline_s: float) -> None:
    """Run in a separate process: read the published warehouse in a loop, print a JSON report."""
    p = Paths(Path(home))
    reader = PublishedReader(p)
    current_path = str(layout(p).current)
    seen: dict[str, list[int]] = {"fresh": [], "reader": [], "raw": []}
    pairs: set[tuple[str, int]] = set()
    errors: list[str] = []
    n = 0
    end = time.monotonic() + deadline_s
    final_round = 3  # after the writer stops, one more read in each mode
    while final_round and time.monotonic() < end:
        if os.path.exists(stop_file):
            final_round -= 1
        mode = ("fresh", "reader", "raw")[n % 3]
        try:
            if mode == "fresh":
                con = connect_readonly(p)
            elif mode == "reader":
                con = reader.connection()
            else:  # what an external DuckDB client does: open the published path itself
                con = duckdb.connect(current_path, read_only=True)
            try:
                build = check(con)
            finally:
                con.close()
            if mode == "reader":
                pairs.add((str(reader.version_id), build))
            if not seen[mode] or seen[mode][-1] != build:
                seen[mode].append(build)
        except BaseException as exc:
            errors.append(f"{mode}: {exc!r}")
        n += 1
        if n == 3:
            Path(ready_file).touch()
    reader.close()
    print(json.dumps({"n": n, "seen": seen, "pairs": sorted(pairs), "errors": errors[:20]}))


@pytest.mark.integration
def test_readers_in_another_process_never_see_a_partial_warehouse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCTNS_KEEP_VERSIONS", "3")  # retention deletes versions readers may hold open
    p = paths()
    home = p.home
    published = {publish_build(p, 1).version_id: 1}
    stop, ready = home / "stop", home / "ready"
    code = (
        "import sys; from tests.warehouse.test_publish import reader_main; "
        f"reader_main({str(home)!r}, {str(stop)!r}, {str(ready)!r}, 25.0)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        t0 = time.monotonic()
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() - t0 < 20, "the reader process did not start"
            time.sleep(0.02)
        for b in range(2, 12):
            v = publish(p, build_candidate(p, b, pause=0.02), {"build": b}, required_tables=["a", "b"])
            published[v.version_id] = b
            time.sleep(0.1)
            if b == 7:
                assert published[rollback(p).version_id] == 6
                time.sleep(0.1)
    finally:
        stop.touch()
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-3000:]
    report = json.loads(out.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["n"] > 30
    for mode, builds in report["seen"].items():
        assert len(builds) >= 2, (mode, builds)  # every way of reading picked up new versions
        assert builds[-1] == 11, (mode, builds)
        order = iter([1, 2, 3, 4, 5, 6, 7, 6, 8, 9, 10, 11])  # publication order, with the rollback
        assert all(b in order for b in builds), (mode, builds)  # never back in time, never a mix
    for vid, build in report["pairs"]:
        assert published[vid] == build  # the reader's version label matches the data it served
    assert served_build(p) == 11
    assert len(list_versions(p)) == 3


# --- crash safety ------------------------------------------------------------------------------------

PUBLISH_POINTS = {
    # point inside publish(): True if it is after the commit (the new version is then served)
    "after_verify": False,
    "after_sidecar": False,
    "after_version_rename": False,
    "after_link": False,
    "after_swap": True,
    "after_current_json": True,
    "after_log": True,
    "mid_retention": True,
}

_CRASH_CODE = """
import sys, time
from pathlib import Path
import duckdb
from warehouse.publish import new_candidate, publish, rollback
from core.settings import Paths
p = Paths(Path(sys.argv[1]))
if sys.argv[2] == "publish":  # the same build as build_candidate(), without importing the tests
    build = int(sys.argv[3])
    cand = new_candidate(p, copy_current=False)
    con = duckdb.connect(str(cand))
    for t in ("a", "b"):
        con.execute(f"CREATE TABLE {t} AS SELECT range AS i, ?::INTEGER AS build FROM range(?)",
                    [build, 200 + 37 * build])
    con.close()
    publish(p, cand, {"build": build}, required_tables=["a", "b"])
else:
    rollback(p)
"""


def _run_crashing(home: Path, crash_at: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CCTNS_CRASH_AT": crash_at, "CCTNS_HOME": str(home), "CCTNS_KEEP_VERSIONS": "1"}
    return subprocess.run(
        [sys.executable, "-c", _CRASH_CODE, str(home), *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )


def _assert_consistent(p: Paths) -> None:
    """No temporary files, no orphans: every version file is published and has its sidecar."""
    lay = layout(p)
    assert not list(lay.root.glob(".*.tmp-*")) and not list(lay.versions.glob(".*.tmp-*"))
    listed = {v.version_id for v in list_versions(p)}
    on_disk = {f.stem for f in lay.versions.iterdir()}
    assert on_disk == listed, (on_disk, listed)
    assert json.loads(lay.current_json.read_text())["version_id"] == current(p).version_id  # type: ignore[union-attr]


@pytest.mark.parametrize("point", list(PUBLISH_POINTS))
def test_publish_killed_at_any_point_serves_a_whole_version_and_recovers(
    point: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCTNS_KEEP_VERSIONS", "1")
    p = paths()
    ids = [publish_build(p, b, keep=10).version_id for b in (1, 2)]  # keep=1: retention will delete 1
    r = _run_crashing(p.home, f"publish:{point}", "publish", "3")
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    committed = PUBLISH_POINTS[point]
    expected = 3 if committed else 2
    # readers are served a whole version at once, before any recovery
    assert served_build(p) == expected
    con = duckdb.connect(str(layout(p).current), read_only=True)
    assert check(con) == expected
    con.close()
    with PublishedReader(p) as reader, reader.connection() as con:
        assert check(con) == expected
    cur = current(p)
    assert cur is not None and (cur.version_id == ids[1]) != committed
    # the next publish works, and the chain of versions is intact
    v4 = publish_build(p, 4)
    assert served_build(p) == 4
    assert v4.previous == cur.version_id
    _assert_consistent(p)
    assert rollback(p).version_id == cur.version_id and served_build(p) == expected
    events = [(e["event"], e["version_id"], e["recovered"]) for e in history(p) if e["event"] != "retention"]
    recorded_by_crashed = [(e, v) for e, v, rec in events if not rec and v == cur.version_id and committed]
    recovered = [(e, v) for e, v, rec in events if rec]
    if point in ("after_swap", "after_current_json"):  # died before its log line: recovery wrote it
        assert recovered == [("publish", cur.version_id)] and recorded_by_crashed == [
            ("rollback", cur.version_id)
        ]
    else:
        assert recovered == []
    assert [e for e, _, _ in events] == [
        "publish",
        "publish",
        *(["publish"] if committed else []),
        "publish",
        "rollback",
    ]


@pytest.mark.parametrize("point", ["after_link", "after_swap", "after_current_json"])
def test_rollback_killed_at_any_point_recovers(point: str) -> None:
    p = paths()
    ids = [publish_build(p, b).version_id for b in (1, 2, 3)]
    r = _run_crashing(p.home, f"rollback:{point}", "rollback")
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    committed = point != "after_link"
    assert served_build(p) == (2 if committed else 3)
    v4 = publish_build(p, 4, keep=10)
    assert v4.previous == (ids[1] if committed else ids[2])
    _assert_consistent(p)
    if committed:
        recovered = [(e["event"], e["version_id"]) for e in history(p) if e.get("recovered")]
        assert recovered == [("rollback", ids[1])]  # the recovery recorded the crashed rollback


def test_crash_hook_is_inert_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCTNS_CRASH_AT", "publish:after_swapX")
    pub.crashpoint("publish:after_swap")  # a different point: must not kill us
    monkeypatch.setenv("CCTNS_CRASH_AT", "after_swap")
    pub.crashpoint("publish:after_swap")
    monkeypatch.delenv("CCTNS_CRASH_AT")
    publish_build(paths(), 1)


# --- command line ------------------------------------------------------------------------------------


def _cli() -> typer.Typer:
    """A parent app mounting ``publish_app`` exactly as ``cctns/cli.py`` does."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """cctns"""

    app.add_typer(publish_app, name="publish")
    return app


def test_cli_shows_lists_and_rolls_back() -> None:
    runner = CliRunner()
    app = _cli()
    r = runner.invoke(app, ["publish"])
    assert r.exit_code == 1 and "nothing is published" in r.output
    p = paths()
    ids = [publish_build(p, b).version_id for b in (1, 2)]
    r = runner.invoke(app, ["publish"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert ids[1] in r.output and ids[0] in r.output and "build=2" not in r.output
    r = runner.invoke(app, ["publish", "--list"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    lines = {ln for ln in r.output.splitlines() if ids[0] in ln or ids[1] in ln}
    assert any("current" in ln and ids[1] in ln.split("current")[1][:40] for ln in lines), r.output
    r = runner.invoke(app, ["publish", "--rollback"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert f"to {ids[0]}" in r.output and served_build(p) == 1
    r = runner.invoke(app, ["publish", "--rollback"], env={"COLUMNS": "200"})
    assert r.exit_code == 2 and "nothing to roll back" in r.output
