"""``python -m bench.stage NAME ...``: one benchmark stage, run in-process, JSON on the last line.

The benchmark starts each stage in its own process (:func:`bench.common.stage`) so that its peak
memory is its own. ``CCTNS_HOME`` names the home the stage works on.

  gate                     quality.gate.run_upload_gate(paths) (the nightly call: new loads, Data Docs)
  build --mode M           warehouse.build.build(paths, M) (full or incremental), published
  floor-duckdb FILES.json  DuckDB's bare read_csv of the CSV files (table -> files) into tables
  queries [--repeat N]     the dashboards' query set on the published warehouse, then the same
                           queries on the marts loaded into a throwaway PostgreSQL (--no-postgres)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

#: Mart tables whose row counts the build reports.
COUNTED = (
    "fct_firs",
    "fct_fir_offences",
    "mart_crime_district_month",
    "mart_itsso_cases",
    "mart_ndso_registry",
)


def gate() -> dict[str, Any]:
    from core.settings import paths
    from quality.gate import run_upload_gate

    t0 = time.perf_counter()
    rep = run_upload_gate(paths())
    seconds = time.perf_counter() - t0
    return {
        "seconds": round(seconds, 2),
        "loads": len(rep.verdicts),
        "held": len(rep.held),
        "warned": len(rep.warned),
        "passed": len(rep.passed),
        "timings": {k: round(v, 2) for k, v in rep.timings.items()},
    }


def build(mode: str) -> dict[str, Any]:
    import duckdb

    from core.settings import paths
    from warehouse import publish
    from warehouse.build import build as run_build

    p = paths()
    t0 = time.perf_counter()
    res = run_build(p, mode)  # type: ignore[arg-type]
    seconds = time.perf_counter() - t0
    cur = publish.current(p)
    rows: dict[str, int] = {}
    if cur is not None:
        con = duckdb.connect(str(cur.path), read_only=True)
        try:
            for t in COUNTED:
                rows[t] = int(con.execute(f"select count(*) from marts.{t}").fetchone()[0])  # type: ignore[index]
        finally:
            con.close()
    return {
        "seconds": round(seconds, 2),
        "mode": res.mode,
        "steps": res.seconds,
        "loads_in_build": res.loads_in_build,
        "loads_new": res.loads_new,
        "loads_excluded": len(res.loads_excluded),
        "dbt_results": res.dbt_results,
        "warehouse_bytes": cur.size_bytes if cur is not None else None,
        "mart_rows": rows,
    }


def floor_duckdb(files_json: Path) -> dict[str, Any]:
    """Read every CSV into a table, as text, nothing else (the floor of any CSV ingestion)."""
    import duckdb

    files: dict[str, list[str]] = json.loads(files_json.read_text())
    con = duckdb.connect()
    rows = 0
    t0 = time.perf_counter()
    for table, paths in sorted(files.items()):
        con.execute(
            f"create table {table} as select * from read_csv(?, all_varchar = true, union_by_name = true, "
            "header = true, ignore_errors = true)",
            [paths],
        )
        rows += int(con.execute(f"select count(*) from {table}").fetchone()[0])  # type: ignore[index]
    seconds = time.perf_counter() - t0
    con.close()
    return {"seconds": round(seconds, 2), "rows": rows, "files": sum(len(v) for v in files.values())}


def queries(repeat: int, with_postgres: bool) -> dict[str, Any]:
    import tempfile

    from bench import postgres
    from bench.queries import Params, measure, query_set
    from core.settings import paths
    from warehouse import publish

    p = paths()
    cur = publish.current(p)
    if cur is None:
        raise SystemExit(f"nothing published in {p.warehouse}: build first")
    con = publish.connect_readonly(p)
    try:
        params = Params.of(con)
        fct_firs = int(con.execute("select count(*) from marts.fct_firs").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()
    source, calls = query_set(params)
    from dashboards import db

    def open_duck() -> Any:
        return db.get_connection(p)

    out: dict[str, Any] = {
        "query_set": source,
        "queries": len(calls),
        "params": {k: str(v) for k, v in params.__dict__.items()},
        "fct_firs": fct_firs,
        "warehouse_bytes": cur.size_bytes,
        "duckdb": measure(open_duck, calls, repeat),
    }
    if not with_postgres:
        return out
    try:
        cluster = postgres.Cluster()
    except postgres.PostgresUnavailable as exc:
        out["postgres"] = {"skipped": str(exc)}
        return out
    with cluster, tempfile.TemporaryDirectory(prefix="cctns-bench-copy-") as tmp:
        conn = cluster.connect()
        try:
            t0 = time.perf_counter()
            load = postgres.load_marts(cur.path, conn, Path(tmp))
            load["total_seconds"] = round(time.perf_counter() - t0, 2)
            pg_con = postgres.PgConnection(conn)
            res = measure(lambda: pg_con, calls, repeat)
        finally:
            conn.close()
        out["postgres"] = {"version": cluster.version, "settings": cluster.settings, "load": load, **res}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.stage", description=__doc__)
    ap.add_argument("name", choices=["gate", "build", "floor-duckdb", "queries"])
    ap.add_argument("files", nargs="?", type=Path)
    ap.add_argument("--mode", default="full", choices=["full", "incremental"])
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args(argv)
    if args.name == "gate":
        out = gate()
    elif args.name == "build":
        out = build(args.mode)
    elif args.name == "queries":
        out = queries(args.repeat, not args.no_postgres)
    else:
        if args.files is None:
            ap.error("floor-duckdb needs the JSON file of CSV files")
        out = floor_duckdb(args.files)
    print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
