"""``cctns build``: the lake → dbt-duckdb → candidate warehouse file → atomic publication.

A build never writes the published file. It works on a *candidate* in
``$CCTNS_HOME/warehouse/builds/``:

* **full**: an empty candidate; ``dbt build --full-refresh`` reads every included load.
* **incremental** (the nightly default once a warehouse is published): the candidate starts as a
  copy of the published file; the incremental models append only the loads that are new since
  (history is not recomputed); the small current-state and mart tables are rebuilt from the
  intermediate tables already in DuckDB.

Before dbt runs, the runner creates the ``lake_batch`` schema in the candidate: one view per
lake entity over exactly the Parquet files of the loads this build reads, the ledger of every
committed load (with ``in_build``), the issues of the new loads, the quality gate's batch status
and one ``build_info`` row. Loads the gate holds or rejects are left out (they stay in the lake).
After dbt, the views are replaced by empty tables of the same shape so the published file
depends on no path, the mart quality suites run on the candidate, and only then is it published.

**One State's bad data never stops the national publish.** When ``dbt build`` fails a *data*
test (dbt unit tests are code checks and never attributed) or a critical mart check fails,
:func:`build` traces the failing rows to the loads new in this build (``load_id``, else
``fir_key`` through the ``lake_batch`` views, else ``state_code``), holds those loads in the
quality gate (:func:`quality.gate.hold_from_build`: status HELD, decided by ``build``, the
reason names the failing test), discards the candidate and builds again without them, up to
:data:`MAX_ISOLATION_ROUNDS` times. A failure that traces to no new load, a model or test that
errors, or one that would hold loads of more than :data:`MAX_HELD_STATE_SHARE` of the States in
the build is a code or reference-data bug: the build fails as before and publishes nothing.

**Candidates of killed builds.** Each candidate has an owner file (``<candidate>.owner``) that
its build holds an ``flock`` on while it runs. :func:`prepare` removes every candidate in
``builds/`` whose owner lock is free, that no DuckDB process has open **and** that nobody touched
for :func:`warehouse.publish.candidate_max_age` (9 hours, ``CCTNS_CANDIDATE_MAX_AGE_HOURS``), and
logs the removal in ``publish_log.jsonl`` (:func:`warehouse.publish.remove_stale_candidates`). The
age floor is what keeps the nightly DAG's candidate: its owner lock is released when ``prepare``'s
task ends, and dbt and ``publish`` come later in other tasks.

**One build at a time.** :func:`build` (``cctns build``) and each warehouse task of the nightly
DAG hold the build lock (``warehouse/build.lock``, :func:`build_lock`); a second one fails at
once with :class:`BuildRunning`, naming who holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

from core import settings
from core.fs import file_lock, lock_is_held
from core.schema import ENTITY_NAMES
from core.settings import Paths
from quality import marts as quality_marts
from quality.config import DATA_OUTCOMES
from quality.gate import excluded_loads, hold_from_build
from warehouse import publish as pub

#: read_parquet options for lake files: Hive folder keys as text, never guessed numbers.
HIVE = "hive_partitioning = true, hive_types = {'state_code': 'VARCHAR', 'load_id': 'VARCHAR'}"
#: Lake entities (Parquet file name stem) read through ``lake_batch`` (the schema registry's).
ENTITIES: tuple[str, ...] = ENTITY_NAMES
#: Tables a candidate must hold before it may be published.
REQUIRED_TABLES = (
    "marts.dim_build",
    "marts.fct_firs",
    "marts.mart_crime_state_year",
    "marts.mart_police_disposal",
    "marts.mart_court_disposal",
    "marts.mart_itsso_compliance",
    "marts.mart_upload_health",
)

#: Rounds of "hold the loads a failed test traces to, rebuild without them" before giving up.
MAX_ISOLATION_ROUNDS = 3
#: A failure tracing to loads of more than this share of the States in the build (and of more
#: than one State) is not one State's data: it is a code or reference-data bug.
MAX_HELD_STATE_SHARE = 0.5
#: Failing rows of one test read to trace it (a key test failing on a million rows is a bug).
MAX_FAILING_ROWS = 10_000

Mode = Literal["auto", "full", "incremental"]


class BuildError(RuntimeError):
    """A build that cannot go on; nothing was published."""


class BuildRunning(BuildError):
    """Another build holds the build lock (``cctns build`` or a task of the nightly DAG)."""


class DbtFailed(BuildError):
    """``dbt`` reported failing or erroring nodes; ``results`` holds dbt's node results."""

    def __init__(self, message: str, results: list[Any]) -> None:
        super().__init__(message)
        self.results = results


class MartChecksFailed(BuildError):
    """A critical mart quality check failed on the candidate; ``report`` is the mart report."""

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class BuildResult:
    build_id: str
    mode: str
    candidate: Path
    loads_total: int
    loads_in_build: int
    loads_new: int
    loads_excluded: list[str]
    seconds: dict[str, float] = field(default_factory=dict)
    dbt_results: dict[str, int] = field(default_factory=dict)
    published: Any = None
    mart_report: Any = None
    #: Loads this build held because a dbt data test or mart check traced to them: id -> reason.
    loads_held: dict[str, str] = field(default_factory=dict)
    #: Candidates built (1 when nothing had to be held).
    rounds: int = 1


# --- the lake ---------------------------------------------------------------------------------


def committed_loads(paths: Paths) -> list[dict[str, Any]]:
    """Ledger rows of every committed load (a lake folder with its ``_load.json`` commit marker)."""
    rows = []
    for marker in sorted(paths.lake.glob("state_code=*/load_id=*/_load.json")):
        led = json.loads(marker.read_text(encoding="utf-8"))
        led["_dir"] = str(marker.parent)
        rows.append(led)
    return rows


def _sql_list(items: list[str]) -> str:
    """A DuckDB list literal of file paths (paths are ours: quote-escaped, never user input)."""
    return "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in items) + "]"


def _create_lake_batch(
    con: duckdb.DuckDBPyConnection,
    paths: Paths,
    loads: list[dict[str, Any]],
    in_build: set[str],
    new_loads: list[dict[str, Any]],
    unseen_loads: list[dict[str, Any]],
    build_info: dict[str, Any],
) -> None:
    """The ``lake_batch`` schema: what this build reads, as views over Parquet.

    ``state_code`` and ``load_id`` come from the Hive folders ``state_code=SS/load_id=L``, typed
    VARCHAR (:data:`HIVE`): left to DuckDB's autodetection, a night of States 10-38 only (no
    leading zero) types ``state_code`` BIGINT and the marts' enforced contracts refuse the build."""
    con.execute("drop schema if exists lake_batch cascade")
    con.execute("create schema lake_batch")
    any_load = next((ld for ld in loads if ld.get("outcome") in DATA_OUTCOMES), None)
    if any_load is None:
        raise BuildError(f"nothing to build: no load with data in {paths.lake}")
    for entity in (*ENTITIES, "issues"):
        # Issues of every load the warehouse has not seen (held and rejected ones included, so
        # upload health shows them); entity rows only of the new loads the build takes in.
        readers = unseen_loads if entity == "issues" else new_loads
        files = [f for ld in readers if (f := Path(ld["_dir"]) / f"{entity}.parquet").is_file()]
        if files:
            src = f"read_parquet({_sql_list([str(f) for f in files])}, union_by_name = true, {HIVE})"
            con.execute(f"create view lake_batch.{entity} as select * from {src}")
        else:  # same shape, no rows: any committed file of the entity gives the schema
            shape = next((f for ld in loads if (f := Path(ld["_dir"]) / f"{entity}.parquet").is_file()), None)
            if shape is None:
                raise BuildError(f"no {entity}.parquet anywhere in {paths.lake}: is the lake complete?")
            con.execute(
                f"create view lake_batch.{entity} as select * from read_parquet({_sql_list([str(shape)])}, {HIVE}) "
                "where false"
            )
    ledgers = [str(Path(ld["_dir"]) / "load.parquet") for ld in loads]
    con.execute(
        f"create table lake_batch.load_ledger as select *, load_id in (select unnest(?)) as in_build "
        f"from read_parquet({_sql_list(ledgers)}, union_by_name = true, {HIVE})",
        [sorted(in_build)],
    )
    status = paths.quality / "batch_status.parquet"
    if status.is_file():
        con.execute(
            f"create table lake_batch.batch_status as select load_id, state_code, status, reason, "
            f"cast(decided_at as timestamptz) as decided_at, decided_by from read_parquet({_sql_list([str(status)])})"
        )
    else:
        con.execute(
            "create table lake_batch.batch_status (load_id varchar, state_code varchar, status varchar, "
            "reason varchar, decided_at timestamptz, decided_by varchar)"
        )
    con.execute(
        "create table lake_batch.build_info as select ?::varchar as build_id, ?::timestamptz as built_at, "
        "?::varchar as mode",
        [build_info["build_id"], build_info["built_at"], build_info["mode"]],
    )


def _freeze_lake_batch(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the Parquet views by empty tables of the same shape (staging views stay valid)."""
    for entity in (*ENTITIES, "issues"):
        con.execute(
            f"create table lake_batch.{entity}__frozen as select * from lake_batch.{entity} where false"
        )
        con.execute(f"drop view lake_batch.{entity} cascade")
        con.execute(f"alter table lake_batch.{entity}__frozen rename to {entity}")


# --- dbt ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def env_override(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def dbt_args(paths: Paths, command: str, *extra: str) -> list[str]:
    """Arguments for one dbt command on this project, with target and logs under ``CCTNS_HOME``."""
    project = str(settings.DBT_PROJECT_DIR)
    return [
        *command.split(),
        "--project-dir", project,
        "--profiles-dir", project,
        "--target-path", str(paths.warehouse / "dbt_target"),
        "--log-path", str(paths.logs / "dbt"),
        *extra,
    ]  # fmt: skip


def close_dbt_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB instance open in-process after ``invoke``; close it, so the
    candidate can be reopened (read-only by publish) and a later build can use another file."""
    import gc

    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        env = manager._ENV
        manager._ENV = None
        if env is not None:
            with contextlib.suppress(Exception):
                env.close()
    gc.collect()


def run_dbt(paths: Paths, database: Path, command: str, *extra: str) -> dict[str, int]:
    """Run dbt in-process against ``database``; raise :class:`BuildError` naming what failed."""
    from dbt.cli.main import dbtRunner

    with env_override(CCTNS_DBT_DUCKDB_PATH=str(database), CCTNS_HOME=str(paths.home)):
        try:
            res = dbtRunner().invoke(dbt_args(paths, command, "--quiet", *extra))
        finally:
            close_dbt_duckdb()
    counts: dict[str, int] = {}
    failures: list[str] = []
    for r in getattr(res.result, "results", None) or []:
        status = str(getattr(r.status, "value", r.status))
        counts[status] = counts.get(status, 0) + 1
        if status in ("error", "fail", "runtime error"):
            failures.append(f"{r.node.unique_id}: {status}: {(r.message or '').strip()[:300]}")
    if not res.success:
        detail = "\n  ".join(failures) or repr(res.exception)
        raise DbtFailed(
            f"dbt {command} failed on {database}:\n  {detail}",
            list(getattr(res.result, "results", None) or []),
        )
    return counts


# --- the build ----------------------------------------------------------------------------------


def _new_build_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass
class BuildPlan:
    """What :func:`prepare` decided; JSON-serialisable (Airflow passes it between tasks)."""

    build_id: str
    mode: str
    candidate: str
    loads_total: int
    loads_in_build: int
    loads_new: int
    loads_excluded: list[str]
    plan_seconds: float
    #: load_id -> state_code of the loads this build reads from the lake (the ones it can hold).
    new_load_states: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BuildPlan:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    @property
    def dbt_flags(self) -> list[str]:
        """Extra ``dbt build`` flags for this plan (a full build refreshes the incremental models)."""
        return ["--full-refresh"] if self.mode == "full" else []


def prepare(paths: Paths | None = None, mode: Mode = "auto") -> BuildPlan:
    """Plan a build: pick full or incremental, make the candidate, create ``lake_batch`` in it.

    After this, run ``dbt build`` on ``plan.candidate`` (:func:`run_dbt`, or cosmos in Airflow,
    with ``CCTNS_DBT_DUCKDB_PATH`` set to it), then :func:`finalize`.
    """
    paths = (paths or settings.paths()).ensure()
    t0 = time.perf_counter()
    started = time.time()
    current = pub.current(paths)
    if mode == "auto":
        mode = "incremental" if current is not None else "full"
    if mode == "incremental" and current is None:
        raise BuildError("no published warehouse to build on: run a full build first")
    loads = committed_loads(paths)
    excluded = excluded_loads(paths)
    included = [ld for ld in loads if ld.get("outcome") in DATA_OUTCOMES and ld["load_id"] not in excluded]
    build_id = _new_build_id()
    pub.remove_stale_candidates(
        paths, older_than=started, is_running=candidate_owner_running, max_age=pub.candidate_max_age()
    )
    candidate = pub.new_candidate(paths, copy_current=(mode == "incremental"))
    try:
        claim_candidate(candidate, build_id)
    except BaseException:
        discard(candidate)
        raise
    built_before: set[str] = set()
    seen_before: set[str] = set()
    try:
        if mode == "incremental":
            con = duckdb.connect(str(candidate))
            try:
                built_before = {
                    r[0]
                    for r in con.execute("select load_id from intermediate.int_loads_in_build").fetchall()
                }
                seen_before = {
                    r[0] for r in con.execute("select load_id from marts.mart_upload_health").fetchall()
                }
            finally:
                con.close()
        new_loads = [ld for ld in included if ld["load_id"] not in built_before]
        unseen_loads = [ld for ld in loads if ld["load_id"] not in seen_before]
        info = {"build_id": build_id, "built_at": dt.datetime.now(dt.UTC), "mode": mode}
        con = duckdb.connect(str(candidate))
        try:
            _create_lake_batch(
                con, paths, loads, {ld["load_id"] for ld in included}, new_loads, unseen_loads, info
            )
        finally:
            con.close()
    except BaseException:
        discard(candidate)
        raise
    return BuildPlan(
        build_id=build_id,
        mode=mode,
        candidate=str(candidate),
        loads_total=len(loads),
        loads_in_build=len(included),
        loads_new=len(new_loads),
        loads_excluded=sorted(excluded),
        plan_seconds=round(time.perf_counter() - t0, 2),
        new_load_states={str(ld["load_id"]): str(ld.get("state_code")) for ld in new_loads},
    )


# --- one build at a time ---------------------------------------------------------------------------

#: How deep this process is in the build lock (a build may call a build: the DAG's ``publish``
#: task rebuilds in-process when a mart check fails).
_BUILD_DEPTH = [0]


def build_lock_file(paths: Paths) -> Path:
    return paths.warehouse / "build.lock"


@contextlib.contextmanager
def build_lock(paths: Paths, who: str = "cctns build") -> Iterator[None]:
    """Hold the warehouse build lock (:func:`core.fs.file_lock` on ``warehouse/build.lock``) for the block.

    Raises :class:`BuildRunning` at once if another process holds it, with what that process
    wrote there (who, pid, host, since). Re-entrant within a process.
    """
    if _BUILD_DEPTH[0]:
        _BUILD_DEPTH[0] += 1
        try:
            yield
        finally:
            _BUILD_DEPTH[0] -= 1
        return
    path = build_lock_file(paths)

    def busy() -> BuildRunning:
        try:
            holder = path.read_text(encoding="utf-8").strip()
        except OSError:
            holder = ""
        return BuildRunning(
            f"another warehouse build is running ({holder or 'a process that did not say who it is'}); "
            "wait for it to end: a manual `cctns build` and the nightly DAG (cctns_nightly_build) never "
            "build at the same time"
        )

    with file_lock(path, timeout=0, busy=busy):
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        record = {"who": who, "pid": os.getpid(), "host": socket.gethostname(), "since": since}
        path.write_text(json.dumps(record), encoding="utf-8")
        _BUILD_DEPTH[0] = 1
        try:
            yield
        finally:
            _BUILD_DEPTH[0] = 0
            with contextlib.suppress(OSError):
                path.write_text("", encoding="utf-8")


# --- candidate ownership --------------------------------------------------------------------------

#: Owner locks this process holds: candidate path -> the lock's exit stack (held as long as it is open).
_OWNED: dict[str, contextlib.ExitStack] = {}


def owner_file(candidate: Path | str) -> Path:
    return Path(f"{candidate}.owner")


def claim_candidate(candidate: Path | str, build_id: str) -> Path:
    """Write ``<candidate>.owner`` (build id, pid, host, start) and hold a lock on it.

    The lock lives until :func:`release_candidate` (or the process ends: a killed build frees it,
    which is how the next build knows the candidate is stale).
    """
    path = owner_file(candidate)
    with contextlib.ExitStack() as stack:
        stack.enter_context(file_lock(path, timeout=0))
        record = {
            "build_id": build_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": dt.datetime.now(dt.UTC).isoformat(),
        }
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        _OWNED[str(candidate)] = stack.pop_all()
    return path


def release_candidate(candidate: Path | str) -> None:
    """Release this process's owner lock of ``candidate`` (the file stays until the candidate goes)."""
    stack = _OWNED.pop(str(candidate), None)
    if stack is not None:
        with contextlib.suppress(OSError):
            stack.close()


def candidate_owner_running(candidate: Path) -> bool:
    """Is the build that made ``candidate`` still running (its owner lock held by a live process)?"""
    return str(candidate) in _OWNED or lock_is_held(owner_file(candidate))


def discard(candidate: Path | str) -> None:
    """Remove a candidate that will not be published (its write-ahead log and owner file too)."""
    release_candidate(candidate)
    for p in (Path(candidate), Path(f"{candidate}.wal"), owner_file(candidate)):
        p.unlink(missing_ok=True)


def finalize(
    paths: Paths | None,
    plan: BuildPlan,
    *,
    publish: bool = True,
    check_marts: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> BuildResult:
    """After dbt: freeze ``lake_batch``, run the mart quality suites, publish atomically."""
    paths = (paths or settings.paths()).ensure()
    step = on_step or (lambda _s: None)
    candidate = Path(plan.candidate)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    con = duckdb.connect(str(candidate))
    try:
        _freeze_lake_batch(con)
        con.execute("checkpoint")
    finally:
        con.close()
    timings["freeze"] = time.perf_counter() - t0
    result = BuildResult(
        build_id=plan.build_id,
        mode=plan.mode,
        candidate=candidate,
        loads_total=plan.loads_total,
        loads_in_build=plan.loads_in_build,
        loads_new=plan.loads_new,
        loads_excluded=plan.loads_excluded,
    )
    if check_marts:
        step("quality suites on the marts")
        t0 = time.perf_counter()
        report = quality_marts.run_mart_suites(candidate, paths)
        result.mart_report = report
        timings["mart_suites"] = time.perf_counter() - t0
        if not report.ok:
            raise MartChecksFailed(
                f"mart quality suites failed; not published ({candidate}):\n{report}", report
            )
    if publish:
        step("publish")
        t0 = time.perf_counter()
        result.published = pub.publish(
            paths,
            candidate,
            {
                "build_id": plan.build_id,
                "mode": plan.mode,
                "loads_in_build": plan.loads_in_build,
                "loads_new": plan.loads_new,
                "loads_excluded": plan.loads_excluded,
            },
            required_tables=REQUIRED_TABLES,
        )
        timings["publish"] = time.perf_counter() - t0
        release_candidate(candidate)
        owner_file(candidate).unlink(missing_ok=True)
    result.seconds = {k: round(v, 2) for k, v in timings.items()}
    return result


# --- fault isolation: which loads broke the candidate ----------------------------------------------


class NotAttributable(BuildError):
    """A failure that traces to no load new in this build (a code or reference-data bug)."""


def _compiled_manifest(paths: Paths) -> dict[str, Any]:
    try:
        return json.loads((paths.warehouse / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    return {d[0].lower() for d in con.execute(f"select * from {relation} limit 0").description}


def _loads_of_firs(con: duckdb.DuckDBPyConnection, fir_keys: set[str]) -> set[str]:
    """The loads of this build (the ``lake_batch`` views) that carry any of these FIRs."""
    found: set[str] = set()
    keys = sorted(fir_keys)
    for entity in ENTITIES:
        try:
            cols = _columns(con, f"lake_batch.{entity}")
        except duckdb.Error:
            continue
        if {"fir_key", "load_id"} <= cols:
            rows = con.execute(
                f"select distinct load_id from lake_batch.{entity} where fir_key in (select unnest(?))",
                [keys],
            ).fetchall()
            found |= {str(r[0]) for r in rows}
    return found


def _sample(values: set[str], n: int = 3) -> str:
    head = sorted(values)[:n]
    return ", ".join(head) + (f" and {len(values) - n} more" if len(values) > n else "")


def _trace_test(
    con: duckdb.DuckDBPyConnection, node: Any, manifest: dict[str, Any], plan: BuildPlan
) -> tuple[set[str], str]:
    """Re-run a failed data test's compiled SQL on the candidate; trace its rows to new loads.

    Returns (load ids, detail). ``load_id`` in the failing rows names the loads; else ``fir_key``
    is looked up in the build's lake views; else a test on one column of a model is joined back to
    that model's rows; else ``state_code`` names every new load of those States.
    """
    sql = re.sub(r"[;\s]+$", "", str(getattr(node, "compiled_code", None) or ""))
    if not sql:
        return set(), "no compiled SQL"
    failing = f"(\n{sql}\n)"
    rel = con.execute(f"select * from {failing} as failing limit {MAX_FAILING_ROWS}")
    cols = [d[0].lower() for d in rel.description]
    rows = rel.fetchall()
    if not rows:
        return set(), "no failing rows on a re-run"
    new = set(plan.new_load_states)
    data = [dict(zip(cols, r, strict=True)) for r in rows]
    n = f"{len(rows)}{'+' if len(rows) >= MAX_FAILING_ROWS else ''} failing row(s)"
    if "load_id" in cols:
        ids = {str(d["load_id"]) for d in data} & new
        return ids, n
    # Join the failing rows back to the tested model on the columns they share (a test on one
    # column names it unique_field, from_field...: that one is the test's column).
    model = manifest.get("nodes", {}).get(getattr(node, "attached_node", None) or "", {})
    relation = model.get("relation_name")
    if relation:
        mcols = _columns(con, relation)
        pairs = [(c, c) for c in cols if c in mcols and c not in ("load_id",)]
        column = getattr(node, "column_name", None)
        if not pairs and column and column.lower() in mcols:
            pairs = [(column.lower(), cols[0])]
        if pairs and "load_id" in mcols:
            on = " and ".join(f'm."{mc}" is not distinct from f."{fc}"' for mc, fc in pairs)
            traced = con.execute(
                f"select distinct m.load_id from {relation} as m semi join {failing} as f on {on}"
            ).fetchall()
            ids = {str(r[0]) for r in traced} & new
            firs = {str(d["fir_key"]) for d in data if d.get("fir_key") is not None}
            eg = f", e.g. fir_key {_sample(firs)}" if firs else f" on {', '.join(m for m, _ in pairs)}"
            if ids:
                return ids, n + eg
    if "fir_key" in cols:
        firs = {str(d["fir_key"]) for d in data if d["fir_key"] is not None}
        return _loads_of_firs(con, firs), f"{n}, e.g. fir_key {_sample(firs)}"
    if "state_code" in cols:
        states = {str(d["state_code"]) for d in data}
        return {
            lid for lid, st in plan.new_load_states.items() if st in states
        }, f"{n} in State(s) {_sample(states)}"
    return set(), f"{n} carry no load_id, fir_key or state_code"


def _is_data_test(result: Any) -> bool:
    return str(getattr(result.node, "resource_type", "")) in ("test", "NodeType.Test")


def blame_dbt_failure(paths: Paths, plan: BuildPlan, exc: DbtFailed) -> dict[str, str]:
    """Which loads new in this build made ``dbt build`` fail, and why: ``{load_id: reason}``.

    Raises :class:`NotAttributable` if any failure is not a failing data test (a model or test
    that errors, a failing unit test) or traces to no new load.
    """
    failed = [
        r
        for r in exc.results
        if str(getattr(r.status, "value", r.status)) in ("error", "fail", "runtime error")
    ]
    if not failed:
        raise NotAttributable(f"{exc}\n  (no failing node reported)")
    bugs = [
        r.node.unique_id
        for r in failed
        if not (_is_data_test(r) and str(getattr(r.status, "value", r.status)) == "fail")
    ]
    if bugs:
        raise NotAttributable(f"{exc}\n  not data: {', '.join(bugs)} (a code bug; no load was held)")
    manifest = _compiled_manifest(paths)
    blame: dict[str, list[str]] = {}
    con = duckdb.connect(str(plan.candidate), read_only=True)
    try:
        for r in failed:
            try:
                ids, detail = _trace_test(con, r.node, manifest, plan)
            except duckdb.Error as err:
                raise NotAttributable(f"{exc}\n  {r.node.unique_id}: cannot re-run its SQL ({err})") from err
            if not ids:
                raise NotAttributable(
                    f"{exc}\n  {r.node.unique_id}: {detail}; traces to no load of this build"
                )
            for lid in ids:
                blame.setdefault(lid, []).append(f"dbt test {r.node.name} failed: {detail}")
    finally:
        con.close()
    out = {lid: "; ".join(reasons) for lid, reasons in blame.items()}
    _check_share(plan, out, exc)
    return out


def blame_mart_failure(plan: BuildPlan, exc: MartChecksFailed) -> dict[str, str]:
    """The new loads of the States a failing critical mart check names in its failing rows (all
    of them the check reported, at most ``quality.marts.MAX_FAILING_ROWS``; not only the examples)."""
    blame: dict[str, list[str]] = {}
    for f in exc.report.critical:
        rows = list(getattr(f, "failing_rows", None) or []) or list(f.examples or [])
        states = {
            str(e["state_code"])
            for e in rows[:MAX_FAILING_ROWS]
            if isinstance(e, dict) and e.get("state_code")
        }
        ids = {lid for lid, st in plan.new_load_states.items() if st in states}
        if not ids:
            raise NotAttributable(f"{exc}\n  {f.check_id}: traces to no load of this build")
        for lid in ids:
            blame.setdefault(lid, []).append(f"mart check {f.suite}.{f.check_id} failed: {f.observed}")
    out = {lid: "; ".join(reasons) for lid, reasons in blame.items()}
    _check_share(plan, out, exc)
    return out


def _check_share(plan: BuildPlan, blame: dict[str, str], exc: BuildError) -> None:
    states_in_build = set(plan.new_load_states.values())
    held_states = {plan.new_load_states[lid] for lid in blame}
    if len(held_states) > 1 and len(held_states) > MAX_HELD_STATE_SHARE * len(states_in_build):
        raise NotAttributable(
            f"{exc}\n  the failure traces to {len(held_states)} of the {len(states_in_build)} States in this "
            "build: a code or reference-data bug, not one State's upload; no load was held"
        )


def hold_blamed(paths: Paths, plan: BuildPlan, blame: dict[str, str]) -> list[dict[str, Any]]:
    """Hold the blamed loads in the quality gate (decided by ``build``, reason = the failing test)."""
    ledger = {str(ld["load_id"]): ld for ld in committed_loads(paths)}
    holds = [
        {
            "load_id": lid,
            "state_code": plan.new_load_states.get(lid) or ledger.get(lid, {}).get("state_code"),
            "extract_date": ledger.get(lid, {}).get("extract_date"),
            "reason": f"build {plan.build_id}: {reason}",
        }
        for lid, reason in sorted(blame.items())
    ]
    return hold_from_build(paths, holds, plan.build_id)


def build(
    paths: Paths | None = None,
    mode: Mode = "auto",
    *,
    publish: bool = True,
    check_marts: bool = True,
    on_step: Callable[[str], None] | None = None,
    isolate: bool = True,
) -> BuildResult:
    """Build the warehouse from the lake (prepare → dbt build → finalize) and publish it.

    With ``isolate`` (the default), a candidate that fails a dbt data test or a critical mart
    check is traced to the loads responsible; they are held in the quality gate and the build
    starts again without them (at most :data:`MAX_ISOLATION_ROUNDS` times). The result's
    ``loads_held`` says which loads were held and why.
    """
    paths = (paths or settings.paths()).ensure()
    with build_lock(paths, "cctns build"):
        return _build_locked(paths, mode, publish, check_marts, on_step, isolate)


def _build_locked(
    paths: Paths,
    mode: Mode,
    publish: bool,
    check_marts: bool,
    on_step: Callable[[str], None] | None,
    isolate: bool,
) -> BuildResult:
    step = on_step or (lambda _s: None)
    t_all = time.perf_counter()
    held: dict[str, str] = {}
    rounds = 0
    while True:
        rounds += 1
        step("plan")
        plan = prepare(paths, mode)
        blame: dict[str, str] | None = None
        try:
            step(f"dbt build ({plan.mode}, {plan.loads_new} new loads)")
            t0 = time.perf_counter()
            try:
                counts = run_dbt(paths, Path(plan.candidate), "build", *plan.dbt_flags)
            except DbtFailed as exc:
                if not isolate:
                    raise
                blame = blame_dbt_failure(paths, plan, exc)
                failure: BuildError = exc
            else:
                dbt_seconds = time.perf_counter() - t0
                try:
                    result = finalize(paths, plan, publish=publish, check_marts=check_marts, on_step=step)
                except MartChecksFailed as exc:
                    if not isolate:
                        raise
                    blame = blame_mart_failure(plan, exc)
                    failure = exc
        except BuildError:
            release_candidate(plan.candidate)
            raise  # the candidate stays for inspection; the next build removes it
        except BaseException:
            discard(plan.candidate)
            raise
        if blame is None:
            release_candidate(plan.candidate)
            break
        if rounds > MAX_ISOLATION_ROUNDS:
            release_candidate(plan.candidate)
            raise BuildError(
                f"still failing after holding loads in {MAX_ISOLATION_ROUNDS} rebuilds "
                f"(held: {', '.join(sorted(held))}):\n{failure}"
            )
        step(f"holding {len(blame)} load(s) that failed {type(failure).__name__}; rebuilding without them")
        hold_blamed(paths, plan, blame)
        held.update(blame)
        discard(plan.candidate)
    result.dbt_results = counts
    result.loads_held = held
    result.rounds = rounds
    result.seconds = {
        "plan": plan.plan_seconds,
        "dbt_build": round(dbt_seconds, 2),
        **result.seconds,
        "total": round(time.perf_counter() - t_all, 2),
    }
    return result
