"""``python -m bench [PART ...]``: benchmarks, reported as numbers (never asserted in tests).

``python -m bench`` runs the day and month parts below and writes the summary (about 30 minutes
on a 2-core machine once the datasets are cached); ``python -m bench --quick`` the committed
sample end to end plus a national day's ingest (a few minutes).

Parts (``-month``: the same on a national month, ``-sample``: on the committed sample):
  generate         national day at --scale 1 (all 36 States)
  generate-week    national week at --scale 1 (7 days)
  generate-month   national month at --scale 1 (30 days)
  generate-year    national year at --scale 1 (365 days; needs ~40 GB of free disk)
  ingest           ingest a national day: cas_csv States, then JSONL/XML States; beside the floor
                   (DuckDB read_csv and sha256sum of the same CSV files) and the pandas peer
  gate             quality.gate.run_upload_gate on the ingested loads
  build            full warehouse build + publish (CCTNS_DUCKDB_MEMORY_LIMIT, --memory-limit);
                   at month scale then the night after: ingest day 31, gate, incremental build
  queries          the dashboards' query set on the published warehouse, p50/p95, and the same
                   queries on the marts loaded into a throwaway PostgreSQL on loopback
  queries-synthetic-year
                   the queries comparison on a national year's worth of marts (58 lakh FIRs):
                   the dashboards' synthetic warehouse (bench.dashboards), not a dbt build
  build-year       everything above on a national year (366-day dataset: 365 + 1 nightly);
                   hours and ~100 GB of disk, never run by default
  summary          bench/results/SUMMARY.md from the latest results
  readme           print the README's Benchmarks section for the latest results

Datasets are generated once and cached in $CCTNS_BENCH_CACHE (default /tmp/cctns-bench-cache),
as are the homes each stage leaves (homes/<scale>/<step>), so one part can be re-run alone.
Every timed stage is a subprocess (its peak memory is its own); results go to
bench/results/<part>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench import pipeline, summary
from bench.common import DEFECT_RATE, GEN_SEED, GEN_START, du, py, run_measured, write_report

GENERATE = {"generate": 1, "generate-week": 7, "generate-month": 30, "generate-year": 365}
STAGES = ("ingest", "gate", "build", "queries")
PARTS = [
    *GENERATE,
    *[f"{st}{sc.suffix}" for sc in pipeline.SCALES.values() if sc.key != "year" for st in STAGES],
    "queries-synthetic-year",
    "build-year",
    "summary",
    "readme",
]
DEFAULT = [*[f"{st}{sfx}" for sfx in ("", "-month") for st in STAGES], "queries-synthetic-year"]
QUICK = [f"{st}-sample" for st in STAGES] + ["ingest"]


def run_generate(part: str, days: int, scale: float, keep: bool) -> dict[str, object]:
    """Generate ``days`` national days into a temporary folder: time, size, peak memory."""
    tmp = Path(tempfile.mkdtemp(prefix="cctns-bench-"))
    out = tmp / "inbox"
    cmd = py("cctns.cli", "generate", "--start", GEN_START, "--days", str(days), "--scale", str(scale),
             "--seed", str(GEN_SEED), "--defect-rate", str(DEFECT_RATE), "--out", str(out))  # fmt: skip
    try:
        m = run_measured(cmd, {"CCTNS_HOME": str(tmp)}, what=part)
        gen = json.loads((out / "_truth" / "generation.json").read_text())
        size = du(out)
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    counts = gen["counts"]
    return {
        "part": part,
        "days": days,
        "scale": scale,
        "wall_seconds": m.seconds,
        "uploads": counts["uploads"],
        "new_firs": counts["new_firs"],
        "fir_documents": counts["fir_documents"],
        "fir_documents_per_second": round(counts["fir_documents"] / m.seconds),
        "bytes_written": size,
        "mb_per_second": round(size / 1e6 / m.seconds, 1),
        "peak_rss_mb": m.peak_rss_mb,
    }


def run_part(part: str, args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    print(f"== {part}", flush=True)
    if part in GENERATE:
        write_report(run_generate(part, GENERATE[part], args.scale, args.keep))
    elif part == "summary":
        summary.build_summary()
    elif part == "readme":
        print(summary.readme_section())
    elif part == "queries-synthetic-year":
        pipeline.run_queries_synthetic(args.repeat, not args.no_postgres)
    elif part == "build-year":
        year = pipeline.SCALES["year"]
        for run in (pipeline.run_ingest, pipeline.run_gate):
            run(year)
        pipeline.run_build(year, args.memory_limit)
        pipeline.run_queries(year, args.repeat, not args.no_postgres)
    else:
        stage, _, scale_key = part.partition("-")
        scale = pipeline.SCALES[scale_key or "day"]
        if stage == "ingest":
            pipeline.run_ingest(scale, args.peer_days)
        elif stage == "gate":
            pipeline.run_gate(scale)
        elif stage == "build":
            pipeline.run_build(scale, args.memory_limit)
        else:
            pipeline.run_queries(scale, args.repeat, not args.no_postgres)
    print(f"== {part}: {time.perf_counter() - t0:.0f} s", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "parts",
        nargs="*",
        metavar="PART",
        help="parts to run (default: the day and month parts, queries-synthetic-year)",
    )
    ap.add_argument(
        "--quick", action="store_true", help="the committed sample end to end + a national day's ingest"
    )
    ap.add_argument("--scale", type=float, default=1.0, help="generate parts only")
    ap.add_argument("--keep", action="store_true", help="generate parts: keep the generated files")
    ap.add_argument("--memory-limit", default="6GB", help="DuckDB memory limit of the builds (default 6GB)")
    ap.add_argument("--repeat", type=int, default=10, help="timed runs of each dashboard query (default 10)")
    ap.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL comparison")
    ap.add_argument(
        "--peer-days",
        type=int,
        default=None,
        help="days the pandas peer reads (default: all at day scale, 3 beyond)",
    )
    args = ap.parse_args(argv)
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        ap.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    parts = args.parts or (QUICK if args.quick else DEFAULT)
    t0 = time.perf_counter()
    for part in parts:
        run_part(part, args)
    if not {"summary", "readme"} & set(parts):
        summary.build_summary()
    print(f"bench: {len(parts)} part(s) in {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
