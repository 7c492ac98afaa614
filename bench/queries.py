"""The dashboards' query set, and how its latency is measured (DuckDB and PostgreSQL alike).

:func:`query_set` is what the dashboard pages run on their default view (the functions of
``dashboards.queries`` and ``dashboards.parliament``, with the parameters a user would pick on
this warehouse: its latest year, its largest State), for an NCRB administrator (national
scope), plus every parliamentary template.

:func:`measure` runs every query once to warm up, then ``repeat`` times, each page's queries on
a connection opened for that page (the dashboards open a read-only connection per query
batch), and reports p50/p95 per query, per page, and over all executions.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dashboards import parliament
from dashboards import queries as q
from dashboards.queries import Scope
from dashboards.roles import Role


@dataclass(frozen=True)
class Params:
    year: int
    state: str
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, con: Any) -> Params:
        """The latest year with crime, the State with the most cases in it, its first month's
        first day to its last month's last day."""
        year = con.execute("SELECT max(year) FROM marts.mart_crime_totals_state_year").fetchone()[0]
        state = con.execute(
            "SELECT state_code FROM marts.mart_crime_totals_state_year WHERE year = ? AND total_kind = 'TOTAL' "
            "ORDER BY cases DESC LIMIT 1",
            [year],
        ).fetchone()[0]
        lo, hi = con.execute(
            "SELECT min(month_start), max(month_start) FROM marts.mart_crime_state_month WHERE year = ?",
            [year],
        ).fetchone()
        last = (hi.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return cls(int(year), str(state), lo, last)


Call = tuple[str, str, Callable[[Any], Any]]  # (page, query name, fn(con))


def query_set(p: Params) -> tuple[str, list[Call]]:
    """("dashboards", [(page, name, fn(con)), ...])."""
    s = Scope(Role.NCRB_ADMIN)
    y, st, d0, d1 = p.year, p.state, p.start, p.end
    calls: list[Call] = [
        ("overview", "years", lambda c: q.years(c, s)),
        ("overview", "headline", lambda c: q.headline(c, s, y)),
        ("overview", "head_trend", lambda c: q.head_trend(c, s, 8)),
        ("overview", "state_comparison", lambda c: q.state_comparison(c, s, y, "TOTAL")),
        ("rti", "build_info", lambda c: q.build_info(c, s)),
        ("rti", "crime_heads", lambda c: q.crime_heads(c, s)),
        ("rti", "rti_table", lambda c: q.rti_table(c, s, "cases", (y,), None)),
        ("patterns", "states", lambda c: q.states(c, s)),
        ("patterns", "district_totals", lambda c: q.district_totals(c, s, st, d0, d1)),
        ("patterns", "month_head_matrix", lambda c: q.month_head_matrix(c, s, d0, d1, st, None)),
        ("patterns", "mo_by_month", lambda c: q.mo_by_month(c, s, st)),
        ("patterns", "mo_spread", lambda c: q.mo_spread(c, s)),
        ("patterns", "mo_top", lambda c: q.mo_top(c, s, None, 25)),
        ("patterns", "fir_locations", lambda c: q.fir_locations(c, s, st, d0, d1, None, 5000)),
        ("itsso", "itsso_summary", lambda c: q.itsso_summary(c, s, "state", None)),
        ("itsso", "itsso_monthly", lambda c: q.itsso_monthly(c, s, None)),
        ("itsso", "itsso_overdue", lambda c: q.itsso_overdue(c, s, None, 1000)),
        ("ndso", "districts", lambda c: q.districts(c, s, None)),
        ("ndso", "ndso_search", lambda c: q.ndso_search(c, s, "Ramesh Kumar", "", None, None)),
        ("data_health", "upload_health", lambda c: q.upload_health(c, s, None)),
        ("data_health", "rule_counts", lambda c: q.rule_counts(c, s, None)),
        ("data_health", "silent_stations", lambda c: q.silent_stations(c, s, None)),
        ("data_health", "cctns_usage", lambda c: q.cctns_usage(c, s, None)),
    ]
    for key, t in parliament.TEMPLATES.items():
        kwargs: dict[str, Any] = {"year_list": (y,) if t.needs_years else ()}
        if t.needs_head:
            kwargs["crime_head"] = "THEFT"
        if t.needs_section:
            kwargs.update(act="BNS", section="303(2)")
        calls.append(
            (
                "parliament",
                f"annexure:{key}",
                lambda c, k=key, kw=kwargs: parliament.build_annexure(c, s, k, **kw),
            )
        )
    return "dashboards", calls


def _pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def measure(open_con: Callable[[], Any], calls: list[Call], repeat: int) -> dict[str, Any]:
    """Latencies of every call (ms): one warm-up pass, then ``repeat`` timed passes."""
    pages: dict[str, list[Call]] = {}
    for call in calls:
        pages.setdefault(call[0], []).append(call)
    per_query: dict[str, list[float]] = {}
    per_page: dict[str, list[float]] = {}
    errors: dict[str, str] = {}
    sizes: dict[str, int | None] = {}
    for i in range(repeat + 1):
        for page, items in pages.items():
            con = open_con()
            t_page = time.perf_counter()
            try:
                for _, name, fn in items:
                    key = f"{page}:{name}"
                    if key in errors:
                        continue
                    t = time.perf_counter()
                    try:
                        result = fn(con)
                    except Exception as exc:  # a query this engine cannot run: reported, not timed
                        errors[key] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                        _rollback(con)
                        continue
                    if i:
                        per_query.setdefault(key, []).append((time.perf_counter() - t) * 1000)
                    else:
                        sizes[key] = _size(result)
            finally:
                con.close()
            if i:
                per_page.setdefault(page, []).append((time.perf_counter() - t_page) * 1000)
    every = [v for vs in per_query.values() for v in vs]
    return {
        "repeat": repeat,
        "queries": {
            k: {"p50_ms": round(statistics.median(v), 2), "p95_ms": round(_pct(v, 95), 2)}
            for k, v in per_query.items()
        },
        "pages": {
            k: {"p50_ms": round(_pct(v, 50), 1), "p95_ms": round(_pct(v, 95), 1)} for k, v in per_page.items()
        },
        "all_p50_ms": round(_pct(every, 50), 2) if every else None,
        "all_p95_ms": round(_pct(every, 95), 2) if every else None,
        "max_query_p95_ms": round(max(_pct(v, 95) for v in per_query.values()), 2) if per_query else None,
        "total_ms_per_pass": round(sum(statistics.median(v) for v in per_query.values()), 1),
        "errors": errors,
        "result_rows": sizes,
    }


def _size(result: Any) -> int | None:
    """Rows in a query's answer (a frame, a list, an annexure, an RTI table)."""
    for attr in ("rows", "row_labels"):
        if hasattr(result, attr):
            return len(getattr(result, attr))
    try:
        return len(result)
    except TypeError:
        return None


def _rollback(con: Any) -> None:
    conn = getattr(con, "conn", None)
    if conn is not None and not getattr(conn, "autocommit", True):
        conn.rollback()
