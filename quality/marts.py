"""Mart suites on a built warehouse file: ``run_mart_suites(warehouse_file, paths) -> MartReport``.

The build runs them on its candidate file before publishing; a critical failure makes
``report.ok`` False and the build refuses to publish. The file is opened read-only and closed
before returning. Results go to the same store as the upload gate (``suite`` = ``mart.*``,
``load_id`` null), Data Docs to ``quality/data_docs/marts``. Suites: :mod:`quality.suites.marts`.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl

from core import reference
from core.settings import Paths
from quality import store
from quality.config import CRITICAL
from quality.engine import GxRun, Outcome
from quality.suites import marts as ms
from quality.suites.base import TableCheck

#: Failing rows of one mart check kept for tracing (a check failing on a million rows is a bug).
MAX_FAILING_ROWS = 10_000


@dataclass(frozen=True)
class MartFailure:
    suite: str
    check_id: str
    severity: str
    column: str | None
    observed: str
    examples: list[dict[str, Any]]
    #: Every failing row the check reported (at most MAX_FAILING_ROWS): what a build traces.
    failing_rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class MartReport:
    """Outcome of the mart suites on one warehouse file. ``ok``: no critical failure."""

    warehouse_file: Path
    run_id: str
    run_at: dt.datetime
    results: pl.DataFrame
    failures: list[MartFailure] = field(default_factory=list)
    seconds: float = 0.0
    data_docs: Path | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity == CRITICAL for f in self.failures)

    @property
    def critical(self) -> list[MartFailure]:
        return [f for f in self.failures if f.severity == CRITICAL]

    @property
    def warnings(self) -> list[MartFailure]:
        return [f for f in self.failures if f.severity != CRITICAL]

    def failed(self, check_id: str) -> bool:
        return any(f.check_id == check_id for f in self.failures)

    def __str__(self) -> str:
        head = (
            f"mart suites on {self.warehouse_file.name}: {len(self.results)} checks, "
            f"{len(self.critical)} critical and {len(self.warnings)} warning failures (run {self.run_id})"
        )
        lines = [head]
        for f in self.failures:
            ex = f"; e.g. {f.examples[:3]}" if f.examples else ""
            lines.append(f"  [{f.severity}] {f.check_id}: {f.observed}{ex}")
        return "\n".join(lines)


def _inventory(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ?", [ms.SCHEMA]
    ).fetchall()
    out: dict[str, set[str]] = {}
    for t, c in rows:
        out.setdefault(t, set()).add(c)
    return out


def _complete(inventory: dict[str, set[str]], table: str) -> bool:
    return table in inventory and set(ms.CONTRACT[table]) <= inventory[table]


def run_mart_suites(warehouse_file: Path, paths: Paths, *, data_docs: bool = True) -> MartReport:
    """Run every mart suite on ``warehouse_file`` and store the results."""
    t0 = time.perf_counter()
    warehouse_file = Path(warehouse_file)
    if not warehouse_file.is_file():
        raise FileNotFoundError(f"no warehouse file {warehouse_file}")
    run_at = store.now_utc()
    run_id = store.new_run_id(run_at)
    engine = GxRun(store.docs_site(paths, "marts") if data_docs else None, name="cctns_marts")
    outcomes: list[tuple[TableCheck, Outcome]] = []

    def run(suite: str, frame: pd.DataFrame, checks: list[TableCheck], keys: list[str]) -> None:
        ocs = engine.validate_table(suite, frame, checks, keys)
        by_id = {c.check_id: c for c in checks}
        outcomes.extend((by_id[oc.check_id], oc) for oc in ocs)

    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        inv = _inventory(con)
        contract = pd.DataFrame(
            {
                "table_name": list(ms.CONTRACT),
                "present": [int(t in inv) for t in ms.CONTRACT],
                "missing_columns": [
                    len(set(cols) - inv.get(t, set(cols))) for t, cols in ms.CONTRACT.items()
                ],
            }
        )
        run("mart.contract", contract, ms.contract_checks(), ["table_name"])

        states = sorted(reference.states()["state_code"].to_list())
        dim_states: list[str] = []
        if _complete(inv, "dim_state"):
            dim = con.execute(f"select state_code from {ms.SCHEMA}.dim_state").fetch_df()
            dim_states = sorted({str(s) for s in dim["state_code"].dropna()})
            run("mart.dim_state", dim, ms.dim_state_checks(states), ["state_code"])
        present = [t for t in ms.state_tables() if t in inv and "state_code" in inv[t]]
        if dim_states and present:
            frame = con.execute(ms.states_query(present)).fetch_df()
            run("mart.states", frame, ms.states_checks(dim_states), ["table_name", "state_code"])
        for table, rules in ms.TABLES.items():
            if not _complete(inv, table):
                continue  # reported by mart.contract
            frame = con.execute(ms.table_query(table, rules)).fetch_df()
            run(f"mart.{table}", frame, ms.table_checks(table, rules), ms.index_columns(rules))
        if all(_complete(inv, t) for t in ms.RECONCILE_TABLES):
            frame = con.execute(ms.RECONCILE_QUERY).fetch_df()
            run("mart.reconcile", frame, ms.reconcile_checks(), ["state_code", "year"])
    finally:
        con.close()

    rows = []
    failures = []
    for check, oc in outcomes:
        observed = oc.summary()
        examples = oc.unexpected_rows[:20]
        rows.append(
            {
                "run_id": run_id,
                "run_at": run_at,
                "suite": check.suite,
                "check_id": check.check_id,
                "load_id": None,
                "state_code": None,
                "extract_date": None,
                "expectation_type": oc.expectation_type,
                "column": check.column,
                "kwargs": oc.kwargs_json,
                "severity": check.severity,
                "success": oc.success,
                "observed_value": observed,
                "element_count": oc.element_count,
                "unexpected_count": oc.unexpected_count,
                "details": json.dumps(
                    {"warehouse_file": str(warehouse_file), "examples": examples}, default=str, sort_keys=True
                ),
            }
        )
        if not oc.success:
            failures.append(
                MartFailure(
                    check.suite,
                    check.check_id,
                    check.severity,
                    check.column,
                    observed,
                    examples,
                    oc.unexpected_rows[:MAX_FAILING_ROWS],
                )
            )
    results = pl.DataFrame(rows, schema=store.RESULT_SCHEMA)
    with store.locked(paths):
        store.write_results(paths, run_id, results)
    docs = engine.build_docs() if data_docs else None
    if docs is not None:
        store.write_docs_index(paths)
    return MartReport(warehouse_file, run_id, run_at, results, failures, time.perf_counter() - t0, docs)
