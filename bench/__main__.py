"""``python -m bench [PART ...]``: benchmarks, reported as numbers (never asserted in tests).

Parts so far:
  generate         national day at --scale 1 (all 36 States)
  generate-week    national week at --scale 1 (7 days)
  generate-month   national month at --scale 1 (30 days)
  generate-year    national year at --scale 1 (365 days; needs ~40 GB of free disk)
Each run is a subprocess (so peak memory is its own) writing into a temporary CCTNS_HOME;
results go to bench/results/<part>.json and .md.
"""

from __future__ import annotations

import argparse
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
        write_report(run_generate(part, PARTS[part]["days"], args.scale, args.keep))


if __name__ == "__main__":
    main()
