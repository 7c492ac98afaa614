"""``python -m bench [PART ...]``: benchmarks, reported as numbers (never asserted in tests).

Parts so far:
  generate         national day at --scale 1 (all 36 States)
  generate-week    national week at --scale 1 (7 days)
  generate-month   national month at --scale 1 (30 days)
  generate-year    national year at --scale 1 (365 days; needs ~40 GB of free disk)
  ingest           ingest a national day (all formats, and cas_csv only vs DuckDB read_csv)
  ingest-month     the same for a national month
Each run is a subprocess (so peak memory is its own) writing into a temporary CCTNS_HOME;
results go to bench/results/<part>.json and .md.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PARTS = {
    "generate": {"days": 1},
    "generate-week": {"days": 7},
    "generate-month": {"days": 30},
    "generate-year": {"days": 365},
    "ingest": {"days": 1},
    "ingest-month": {"days": 30},
}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_generate(part: str, days: int, scale: float, keep: bool) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="cctns-bench-"))
    out = tmp / "inbox"
    cmd = [sys.executable, "-m", "warehouse.cli", "generate", "--start", "2026-01-05", "--days", str(days),
           "--scale", str(scale), "--seed", "1", "--defect-rate", "0.01", "--out", str(out)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env={**os.environ, "CCTNS_HOME": str(tmp)}, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{part} failed:\n{proc.stdout}\n{proc.stderr}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    gen = json.loads((out / "_truth" / "generation.json").read_text())
    size = _du(out)
    if not keep:
        shutil.rmtree(tmp)
    counts = gen["counts"]
    return {
        "part": part,
        "days": days,
        "scale": scale,
        "wall_seconds": round(wall, 2),
        "uploads": counts["uploads"],
        "new_firs": counts["new_firs"],
        "fir_documents": counts["fir_documents"],
        "fir_documents_per_second": round(counts["fir_documents"] / wall),
        "bytes_written": size,
        "mb_per_second": round(size / 1e6 / wall, 1),
        "peak_rss_mb": round(max(peak_kb, before) / 1024),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }


CACHE = Path(os.environ.get("CCTNS_BENCH_CACHE", Path(tempfile.gettempdir()) / "cctns-bench-cache"))


def dataset(days: int, scale: float = 1.0) -> Path:
    """A generated national dataset, cached between benchmark runs (generation is its own part)."""
    out = CACHE / f"national-{days}d-s{scale:g}-seed1"
    if (out / "_truth" / "generation.json").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "warehouse.cli", "generate", "--start", "2026-01-05", "--days", str(days),
           "--scale", str(scale), "--seed", "1", "--defect-rate", "0.01", "--out", str(out)]  # fmt: skip
    subprocess.run(
        cmd, check=True, capture_output=True, env={**os.environ, "CCTNS_HOME": str(CACHE / "home")}
    )
    return out


def _child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_ingest(part: str, days: int, scale: float) -> dict[str, object]:
    """Ingest a national day/month; compare with DuckDB's bare read_csv of the same CSV files."""
    import duckdb

    data = dataset(days, scale)
    uploads = sorted(p for p in data.iterdir() if not p.name.startswith(("_", ".")))
    cas = [
        p
        for p in uploads
        if p.is_dir() and json.loads((p / "manifest.json").read_text())["format"] == "cas_csv"
    ]
    results: dict[str, object] = {"part": part, "days": days, "scale": scale}
    for label, subset in (("all_formats", uploads), ("cas_csv_only", cas)):
        inbox = Path(tempfile.mkdtemp(prefix="cctns-bench-inbox-"))
        for p in subset:
            os.symlink(p, inbox / p.name)
        home = Path(tempfile.mkdtemp(prefix="cctns-bench-home-"))
        atexit.register(shutil.rmtree, home, True)
        atexit.register(shutil.rmtree, inbox, True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "warehouse.cli", "ingest", str(inbox), "--quiet"],
                              env={**os.environ, "CCTNS_HOME": str(home)}, capture_output=True, text=True)  # fmt: skip
        wall = time.perf_counter() - t0
        if proc.returncode:
            raise SystemExit(f"ingest failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        led = duckdb.sql(
            f"SELECT sum(fir_docs_in) d, sum(rows_in) r, sum(rows_quarantined) q FROM read_parquet('{home}/lake/*/*/load.parquet')"
        ).fetchall()[0]
        results[f"{label}_uploads"] = len(subset)
        results[f"{label}_seconds"] = round(wall, 2)
        results[f"{label}_fir_documents"] = int(led[0] or 0)
        results[f"{label}_rows_in"] = int(led[1] or 0)
        results[f"{label}_rows_quarantined"] = int(led[2] or 0)
        results[f"{label}_fir_documents_per_second"] = round((led[0] or 0) / wall)
        results[f"{label}_peak_rss_mb"] = round(_child_peak_mb())
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(inbox, ignore_errors=True)
    # The floor: DuckDB reads the same cas_csv files into tables, nothing else.
    con = duckdb.connect()
    t0 = time.perf_counter()
    for name in (
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
    ):
        files = [str(p / f"{name}.csv") for p in cas if (p / f"{name}.csv").exists()]
        con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv({files!r}, all_varchar = true, union_by_name = true, header = true, ignore_errors = true)"
        )
    floor = time.perf_counter() - t0
    results["floor_duckdb_read_csv_seconds"] = round(floor, 2)
    results["ratio_to_floor"] = round(float(results["cas_csv_only_seconds"]) / floor, 2)
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    results["date"] = time.strftime("%Y-%m-%d")
    return results


def write_report(result: dict[str, object]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    part = result["part"]
    (RESULTS / f"{part}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"# {part}", "", "| measure | value |", "|---|---|"]
    lines += [f"| {k} | {v:,} |" if isinstance(v, int) else f"| {k} | {v} |" for k, v in result.items()]
    (RESULTS / f"{part}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("parts", nargs="*", default=["generate"], choices=list(PARTS))
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args(argv)
    for part in args.parts or ["generate"]:
        if part.startswith("ingest"):
            write_report(run_ingest(part, PARTS[part]["days"], args.scale))
        else:
            write_report(run_generate(part, PARTS[part]["days"], args.scale, args.keep))


if __name__ == "__main__":
    main()
