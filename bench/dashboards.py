"""``python -m bench.dashboards``: latency of every page's queries on a national year.

Builds (once, in ``--home``) a synthetic published warehouse with the mart contract at national
scale: all 36 States, the 17,074-station master, ``--firs`` FIRs (default 58 lakh, NCRB's
national year) registered in one year, the marts derived from them by the same SQL as the test
warehouse (``bench.synthetic_marts``). Then runs, uncached, the queries each page runs on its
default view, ``--repeat`` times, for a national user and an SCRB user, and reports p50 and p95
per page and per query. Results: ``bench/results/dashboards.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from bench import synthetic_marts as synthetic
from core.settings import REPO_ROOT, Paths
from dashboards import db, parliament, queries
from dashboards.queries import Scope
from dashboards.roles import Role

RESULTS = REPO_ROOT / "bench" / "results"
YEAR = 2025
AS_ON = dt.date(YEAR, 12, 31)
MO_CLASSES = ("HOUSE_BREAK_NIGHT", "CHAIN_SNATCH_BIKE", "ONLINE_OTP_FRAUD", "VEHICLE_LIFT", "PICKPOCKET")
FIRST = (
    "Ramesh",
    "Suresh",
    "Mohd",
    "Anil",
    "Sunil",
    "Raju",
    "Vijay",
    "Arun",
    "Manoj",
    "Santosh",
    "Rahul",
    "Deepak",
)
LAST = (
    "Kumar",
    "Singh",
    "Yadav",
    "Sharma",
    "Patel",
    "Khan",
    "Reddy",
    "Das",
    "Nair",
    "Gupta",
    "Verma",
    "Mishra",
)


def build(home: Path, n_firs: int) -> float:
    """Write and publish the synthetic national-year warehouse; returns seconds taken."""
    from core import reference
    from warehouse import publish

    t0 = time.perf_counter()
    paths = Paths(home).ensure()
    cand = publish.new_candidate(paths, copy_current=False)
    con = duckdb.connect(str(cand))
    try:
        con.register("states_df", reference.states().to_pandas())
        con.register("pop_df", reference.state_population().to_pandas())
        con.register("dist_df", reference.districts().to_pandas())
        con.register("ps_df", reference.police_stations().to_pandas())
        con.register("heads_df", reference.crime_heads().to_pandas())
        con.execute("CREATE TEMP TABLE states_src AS SELECT * FROM states_df")
        con.execute("CREATE TEMP TABLE pop_src AS SELECT * FROM pop_df")
        con.execute("CREATE TEMP TABLE dist_src AS SELECT * FROM dist_df")
        con.execute(
            "CREATE TEMP TABLE ps_src AS SELECT *, state_code || '-' || district_code || '-' || ps_code AS ps_key, "
            "row_number() OVER (ORDER BY state_code, district_code, ps_code) - 1 AS idx FROM ps_df"
        )
        con.execute(
            "CREATE TEMP TABLE heads_src AS SELECT *, row_number() OVER (ORDER BY display_order) - 1 AS hidx "
            "FROM heads_df"
        )
        (n_ps,) = con.execute("SELECT COUNT(*) FROM ps_src").fetchone()  # type: ignore[misc]
        (n_heads,) = con.execute("SELECT COUNT(*) FROM heads_src").fetchone()  # type: ignore[misc]
        con.execute(
            f"""
            CREATE TEMP TABLE fir_src AS
            WITH g AS (
                SELECT i, CAST(hash(i, 1) % {n_ps} AS BIGINT) AS sidx, CAST(hash(i, 2) % {n_heads} AS BIGINT) AS hidx,
                       DATE '{YEAR}-01-01' + CAST(hash(i, 3) % 365 AS INTEGER) AS reg
                FROM range({int(n_firs)}) t(i))
            SELECT p.ps_key || '-' || year(g.reg) || '-' || lpad(CAST(g.i AS VARCHAR), 7, '0') AS fir_key,
                   p.state_code, p.district_code, p.ps_code, p.ps_key, year(g.reg) AS fir_year, g.i AS fir_no,
                   g.reg AS registered_on, CAST(g.reg AS TIMESTAMP) AS registered_at, g.reg AS offence_date,
                   'BNS' AS law_code, year(g.reg) AS year, CAST(date_trunc('month', g.reg) AS DATE) AS month_start,
                   h.crime_head_code, h.crime_head_code AS legal_crime_head_code, 'BNS' AS principal_act,
                   CAST(g.hidx AS VARCHAR) AS principal_section, h.is_crime_against_women = 'Y' AS is_crime_against_women,
                   h.crime_head_code IN ('RAPE', 'GANG_RAPE', 'POCSO', 'ASSAULT_OUTRAGE_MODESTY') AS is_sexual_offence,
                   h.crime_head_code IN ('RAPE', 'GANG_RAPE', 'POCSO') AS is_itsso, 1 AS n_sections, 1 AS n_accused,
                   1 AS n_victims, 0 AS n_female_victims, 0 AS n_child_victims,
                   ['UNDER_INVESTIGATION', 'CHARGESHEETED', 'FINAL_REPORT'][CAST(hash(g.i, 4) % 3 AS INTEGER) + 1]
                   AS status, g.reg + 30 AS status_date, FALSE AS is_zero_fir,
                   CASE WHEN h.crime_head_code IN ('RAPE', 'GANG_RAPE', 'POCSO', 'ASSAULT_OUTRAGE_MODESTY') THEN NULL
                        ELSE p.lat + (hash(g.i, 5) % 1000) / 20000.0 END AS place_lat,
                   CASE WHEN h.crime_head_code IN ('RAPE', 'GANG_RAPE', 'POCSO', 'ASSAULT_OUTRAGE_MODESTY') THEN NULL
                        ELSE p.lon + (hash(g.i, 6) % 1000) / 20000.0 END AS place_lon,
                   1 AS record_version
            FROM g JOIN ps_src p ON p.idx = g.sidx JOIN heads_src h ON h.hidx = g.hidx
            """
        )
        con.execute(
            "CREATE TEMP TABLE off_src AS SELECT fir_key, 1 AS seq, principal_act AS act, principal_section AS section, "
            "crime_head_code, 100 AS severity_rank, TRUE AS is_principal FROM fir_src"
        )
        con.execute(
            f"""
            CREATE TEMP TABLE ndso_src AS
            WITH f AS (SELECT fir_key, state_code, district_code, registered_on,
                              row_number() OVER (ORDER BY fir_key) AS n FROM fir_src WHERE is_itsso)
            SELECT 'NDSO-' || n AS offender_key,
                   CASE WHEN n % 3 = 0 THEN 'CHARGESHEETED_ONLY' ELSE 'CONVICTED' END AS registry_status,
                   n % 3 <> 0 AS is_convicted,
                   {list(FIRST)}[CAST(hash(n, 7) % {len(FIRST)} AS INTEGER) + 1] || ' '
                   || {list(LAST)}[CAST(hash(n, 8) % {len(LAST)} AS INTEGER) + 1] AS name,
                   NULL::VARCHAR AS name_latin, NULL::VARCHAR AS name_key, ['Dada'] AS aliases, 'M' AS gender,
                   1970 + n % 30 AS birth_year, 'H.No. ' || n AS address, district_code AS address_district_code,
                   state_code, district_code, ['RAPE'] AS offence_groups, [fir_key] AS fir_keys, 1 AS n_cases,
                   registered_on AS first_fir_on, registered_on AS latest_fir_on,
                   CASE WHEN n % 3 <> 0 THEN registered_on + 200 END AS convicted_on
            FROM f
            """
        )
        con.execute("UPDATE ndso_src SET name_latin = name, name_key = lower(replace(name, 'h', ''))")
        synthetic.build(con, AS_ON, MO_CLASSES)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    publish.publish(
        paths, cand, {"build_id": "bench-national-year", "mode": "full"}, required_tables=["marts.fct_firs"]
    )
    return time.perf_counter() - t0


def page_calls(scope: Scope, state: str) -> dict[str, list[tuple[str, Callable[..., Any], tuple[Any, ...]]]]:
    """The queries each page runs for its default view."""
    d0, d1 = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1)
    q = queries
    national = scope.national
    pages: dict[str, list[tuple[str, Callable[..., Any], tuple[Any, ...]]]] = {
        "rti": [
            ("build_info", q.build_info, ()),
            ("years", q.years, ()),
            ("crime_heads", q.crime_heads, ()),
            ("rti_table", q.rti_table, ("cases", (YEAR,), None)),
        ],
        "patterns": [
            ("states", q.states, ()),
            ("district_totals", q.district_totals, (state, d0, d1)),
            ("month_head_matrix", q.month_head_matrix, (d0, d1, state, None)),
            ("mo_by_month", q.mo_by_month, (state,)),
            ("mo_spread", q.mo_spread, ()),
            ("mo_top", q.mo_top, (None, 25)),
            ("fir_locations", q.fir_locations, (state, d0, d1, None, 5000)),
        ],
        "itsso": [
            (
                "itsso_summary",
                q.itsso_summary,
                ("state" if national else "district", None if national else state),
            ),
            ("itsso_monthly", q.itsso_monthly, (None if national else state,)),
            ("itsso_overdue", q.itsso_overdue, (None if national else state, 1000)),
        ],
        "data_health": [
            ("upload_health", q.upload_health, (None if national else state,)),
            ("rule_counts", q.rule_counts, (None if national else state,)),
            ("silent_stations", q.silent_stations, (None if national else state,)),
            ("cctns_usage", q.cctns_usage, (None if national else state,)),
        ],
    }
    if national:
        pages["overview"] = [
            ("years", q.years, ()),
            ("headline", q.headline, (YEAR,)),
            ("head_trend", q.head_trend, (8,)),
            ("state_comparison", q.state_comparison, (YEAR, "TOTAL")),
        ]
        pages["parliament"] = [
            ("annexure:cases", lambda c, s: parliament.build_annexure(c, s, "cases", (YEAR,), "THEFT"), ()),
            (
                "annexure:conviction_rate",
                lambda c, s: parliament.build_annexure(c, s, "conviction_rate", (YEAR,)),
                (),
            ),
            (
                "annexure:section_cases",
                lambda c, s: parliament.build_annexure(c, s, "section_cases", (YEAR,), None, "BNS", "1"),
                (),
            ),
        ]
        pages["ndso"] = [
            ("districts", q.districts, (None,)),
            ("ndso_search", q.ndso_search, ("Ramesh Kumar", "", None, None)),
        ]
    return pages


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def run(home: Path, repeat: int) -> dict[str, Any]:
    paths = Paths(home)
    out: dict[str, Any] = {}
    for label, scope, state in (
        ("national (NCRB administrator)", Scope(Role.NCRB_ADMIN), "09"),
        ("SCRB of Uttar Pradesh", Scope(Role.SCRB, ("09",)), "09"),
    ):
        calls = page_calls(scope, state)
        page_times: dict[str, list[float]] = {p: [] for p in calls}
        query_times: dict[str, list[float]] = {}
        for _ in range(repeat):
            for page, items in calls.items():
                con = db.get_connection(paths)
                t_page = time.perf_counter()
                try:
                    for name, fn, args in items:
                        t = time.perf_counter()
                        fn(con, scope, *args)
                        query_times.setdefault(f"{page}:{name}", []).append(time.perf_counter() - t)
                finally:
                    con.close()
                page_times[page].append(time.perf_counter() - t_page)
        out[label] = {
            "pages": {
                p: {"p50_ms": _pct(v, 50) * 1000, "p95_ms": _pct(v, 95) * 1000} for p, v in page_times.items()
            },
            "queries": {
                q: {"p50_ms": statistics.median(v) * 1000, "p95_ms": _pct(v, 95) * 1000}
                for q, v in query_times.items()
            },
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--home", type=Path, default=None, help="CCTNS_HOME to build in / reuse (default: a temp dir)"
    )
    ap.add_argument("--firs", type=int, default=5_800_000, help="FIRs in the year (default 58 lakh)")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="cctns_dash_bench_"))
    from warehouse import publish

    build_s = None
    if publish.current(Paths(home)) is None:
        build_s = build(home, args.firs)
        print(f"built the synthetic national year in {build_s:.1f} s")
    con = db.get_connection(Paths(home))
    try:
        (n_firs,) = con.execute("SELECT COUNT(*) FROM marts.fct_firs").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    results = run(home, args.repeat)
    report = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpu_count": __import__("os").cpu_count()},
        "firs": n_firs,
        "repeat": args.repeat,
        "build_seconds": build_s,
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboards.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    lines = [
        f"# Dashboard query latency ({n_firs:,} FIRs, one year, all 36 States; {args.repeat} runs, uncached)",
        "",
    ]
    for label, r in results.items():
        lines += [f"## {label}", "", "| page | p50 ms | p95 ms |", "|---|---|---|"]
        lines += [f"| {p} | {v['p50_ms']:.0f} | {v['p95_ms']:.0f} |" for p, v in r["pages"].items()]
        lines += ["", "| query | p50 ms | p95 ms |", "|---|---|---|"]
        lines += [f"| {q} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} |" for q, v in r["queries"].items()]
        lines.append("")
    (RESULTS / "dashboards.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
