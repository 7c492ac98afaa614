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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

from warehouse import settings
from warehouse.settings import Paths

#: Lake entities (Parquet file name stem) read through ``lake_batch``.
ENTITIES: tuple[str, ...] = (
    "fir",
    "act_section",
    "crime_details",
    "person",
    "arrest",
    "property",
    "final_report",
    "court_case",
    "hearing",
    "missing_person",
    "unidentified_body",
)
#: Gate statuses whose loads a build leaves out.
EXCLUDED_STATUSES = ("HELD", "REJECTED")
#: Ledger outcomes whose loads carry data.
DATA_OUTCOMES = ("LOADED", "LOADED_WITH_ERRORS")
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

Mode = Literal["auto", "full", "incremental"]


class BuildError(RuntimeError):
    """A build that cannot go on; nothing was published."""


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


# --- the lake ---------------------------------------------------------------------------------


def committed_loads(paths: Paths) -> list[dict[str, Any]]:
    """Ledger rows of every committed load (a lake folder with its ``_load.json`` commit marker)."""
    rows = []
    for marker in sorted(paths.lake.glob("state_code=*/load_id=*/_load.json")):
        led = json.loads(marker.read_text(encoding="utf-8"))
        led["_dir"] = str(marker.parent)
        rows.append(led)
    return rows


def excluded_loads(paths: Paths) -> set[str]:
    """Loads the quality gate holds or rejects (read from its batch status table)."""
    try:
        from quality.gate import excluded_loads as gate_excluded
    except ImportError:  # pragma: no cover - the gate ships with the project
        gate_excluded = None
    if gate_excluded is not None:
        return set(gate_excluded(paths))
    status = paths.quality / "batch_status.parquet"
    if not status.is_file():
        return set()
    con = duckdb.connect()
    try:
        rows = con.execute(
            "select load_id from read_parquet(?) where status in (select unnest(?))",
            [str(status), list(EXCLUDED_STATUSES)],
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


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
    """The ``lake_batch`` schema: what this build reads, as views over Parquet."""
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
            src = f"read_parquet({_sql_list([str(f) for f in files])}, union_by_name = true)"
            con.execute(f"create view lake_batch.{entity} as select * from {src}")
        else:  # same shape, no rows: any committed file of the entity gives the schema
            shape = next((f for ld in loads if (f := Path(ld["_dir"]) / f"{entity}.parquet").is_file()), None)
            if shape is None:
                raise BuildError(f"no {entity}.parquet anywhere in {paths.lake}: is the lake complete?")
            con.execute(
                f"create view lake_batch.{entity} as select * from read_parquet({_sql_list([str(shape)])}) "
                "where false"
            )
    ledgers = [str(Path(ld["_dir"]) / "load.parquet") for ld in loads]
    con.execute(
        f"create table lake_batch.load_ledger as select *, load_id in (select unnest(?)) as in_build "
        f"from read_parquet({_sql_list(ledgers)}, union_by_name = true)",
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
        raise BuildError(f"dbt {command} failed on {database}:\n  {detail}")
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

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BuildPlan:
        return cls(**data)

    @property
    def dbt_flags(self) -> list[str]:
        """Extra ``dbt build`` flags for this plan (a full build refreshes the incremental models)."""
        return ["--full-refresh"] if self.mode == "full" else []


def prepare(paths: Paths | None = None, mode: Mode = "auto") -> BuildPlan:
    """Plan a build: pick full or incremental, make the candidate, create ``lake_batch`` in it.

    After this, run ``dbt build`` on ``plan.candidate`` (:func:`run_dbt`, or cosmos in Airflow,
    with ``CCTNS_DBT_DUCKDB_PATH`` set to it), then :func:`finalize`.
    """
    from warehouse import publish as pub

    paths = (paths or settings.paths()).ensure()
    t0 = time.perf_counter()
    current = pub.current(paths)
    if mode == "auto":
        mode = "incremental" if current is not None else "full"
    if mode == "incremental" and current is None:
        raise BuildError("no published warehouse to build on: run a full build first")
    loads = committed_loads(paths)
    excluded = excluded_loads(paths)
    included = [ld for ld in loads if ld.get("outcome") in DATA_OUTCOMES and ld["load_id"] not in excluded]
    candidate = pub.new_candidate(paths, copy_current=(mode == "incremental"))
    build_id = _new_build_id()
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
    )


def discard(candidate: Path | str) -> None:
    """Remove a candidate that will not be published (and its write-ahead log)."""
    for p in (Path(candidate), Path(f"{candidate}.wal")):
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
    from warehouse import publish as pub

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
        from quality.marts import run_mart_suites

        report = run_mart_suites(candidate, paths)
        result.mart_report = report
        timings["mart_suites"] = time.perf_counter() - t0
        if not report.ok:
            raise BuildError(f"mart quality suites failed; not published ({candidate}):\n{report}")
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
    result.seconds = {k: round(v, 2) for k, v in timings.items()}
    return result


def build(
    paths: Paths | None = None,
    mode: Mode = "auto",
    *,
    publish: bool = True,
    check_marts: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the warehouse from the lake (prepare → dbt build → finalize) and publish it."""
    paths = (paths or settings.paths()).ensure()
    step = on_step or (lambda _s: None)
    t_all = time.perf_counter()
    step("plan")
    plan = prepare(paths, mode)
    try:
        step(f"dbt build ({plan.mode}, {plan.loads_new} new loads)")
        t0 = time.perf_counter()
        counts = run_dbt(paths, Path(plan.candidate), "build", *plan.dbt_flags)
        dbt_seconds = time.perf_counter() - t0
        result = finalize(paths, plan, publish=publish, check_marts=check_marts, on_step=step)
    except BuildError:
        raise  # the candidate stays for inspection; retention removes it after an hour
    except BaseException:
        discard(plan.candidate)
        raise
    result.dbt_results = counts
    result.seconds = {
        "plan": plan.plan_seconds,
        "dbt_build": round(dbt_seconds, 2),
        **result.seconds,
        "total": round(time.perf_counter() - t_all, 2),
    }
    return result
