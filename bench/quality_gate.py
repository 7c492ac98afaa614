"""``python -m bench.quality_gate --home H``: how long the upload gate takes, per night and per load.

Copies the lake of ``H`` (an ingested ``CCTNS_HOME``; it is not modified) into a temporary home,
gates every night before the last one (the history), then times the gate on the last night
alone (the nightly case), with and without Data Docs, and once more on every load at once (a
backfill). The Great Expectations import is timed in a fresh interpreter: it is paid once per
process. Prints a JSON report (and writes it with ``--out``).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

from core.settings import Paths


def _gx_import_seconds() -> float:
    code = "import time; t = time.perf_counter(); import great_expectations; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _copy_lake(src: Paths, dest: Path) -> Paths:
    home = Paths(dest).ensure()
    shutil.copytree(src.lake, home.lake, dirs_exist_ok=True)
    return home


def _run(home: Paths, load_ids: list[str] | None, docs: bool, force: bool = False) -> dict[str, Any]:
    from quality.gate import run_upload_gate

    t0 = time.perf_counter()
    rep = run_upload_gate(home, load_ids, force=force, data_docs=docs)
    wall = time.perf_counter() - t0
    n = len(rep.verdicts)
    return {
        "loads": n,
        "seconds": round(wall, 3),
        "seconds_per_load": round(wall / n, 4) if n else None,
        "held": len(rep.held),
        "warned": len(rep.warned),
        "timings": {k: round(v, 3) for k, v in rep.timings.items()},
    }


def bench(src: Paths, keep: bool = False) -> dict[str, Any]:
    from quality import lake
    from quality.config import DATA_OUTCOMES
    from quality.engine import GxRun

    tmp = Path(tempfile.mkdtemp(prefix="cctns-quality-bench-"))
    try:
        home = _copy_lake(src, tmp / "home")
        ledger = lake.ledger(home).filter(pl.col("outcome").is_in(list(DATA_OUTCOMES)))
        last = ledger["extract_date"].max()
        night = ledger.filter(pl.col("extract_date") == last)
        before = ledger.filter(pl.col("extract_date") < last)["load_id"].to_list()
        report: dict[str, Any] = {
            "machine": f"{platform.machine()}, Python {platform.python_version()}",
            "lake": str(src.lake),
            "nights": ledger["extract_date"].n_unique(),
            "data_loads": ledger.height,
            "night": str(last),
            "night_loads": night.height,
            "night_fir_docs_in": int(night["fir_docs_in"].sum()),
            "gx_import_seconds": round(_gx_import_seconds(), 2),
        }
        t0 = time.perf_counter()
        GxRun(None)  # pay the import here, outside the timed runs
        report["gx_import_in_process_seconds"] = round(time.perf_counter() - t0, 2)
        if before:
            report["history"] = _run(home, before, docs=False)
        night_ids = night["load_id"].to_list()
        report["night_no_docs"] = _run(home, night_ids, docs=False)
        report["night_with_docs"] = _run(home, night_ids, docs=True, force=True)
        report["all_loads_backfill"] = _run(home, None, docs=False, force=True)
        report["noop_rerun_seconds"] = _run(home, None, docs=False)["seconds"]
        return report
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True, help="an ingested CCTNS_HOME (read only)")
    ap.add_argument("--out", type=Path, help="write the JSON report here too")
    ap.add_argument("--keep", action="store_true", help="keep the temporary home")
    args = ap.parse_args(argv)
    report = bench(Paths(args.home.resolve()), keep=args.keep)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
