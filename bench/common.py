"""Shared pieces of the benchmarks: datasets, measured subprocesses, homes, reports.

Every timed stage runs in its own process, started with :func:`run_measured`, which waits for
it with ``os.wait4`` and so reads the peak resident memory of that process alone (not the
maximum over every child the benchmark ever started).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import setting

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent
CACHE = Path(setting("bench_cache") or Path(tempfile.gettempdir()) / "cctns-bench-cache")
GEN_START = "2026-01-05"
GEN_SEED = 1
DEFECT_RATE = 0.01


class BenchError(RuntimeError):
    """A benchmark stage that failed (its output is in the message)."""


# --- the machine --------------------------------------------------------------------------------


def machine() -> str:
    """CPU model, cores, memory and Python: one line for every report."""
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def today() -> str:
    return time.strftime("%Y-%m-%d")


# --- measured subprocesses ------------------------------------------------------------------------


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        """The JSON object a stage printed on its last stdout line."""
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise BenchError(f"no JSON result in the stage output:\n{self.stdout[-2000:]}\n{self.stderr[-2000:]}")


def run_measured(
    cmd: Sequence[str], env: dict[str, str] | None = None, *, check: bool = True, what: str = ""
) -> Measured:
    """Run ``cmd``; wall time and the peak RSS of that process (``ru_maxrss`` from ``wait4``)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), env={**os.environ, **(env or {})}, stdout=out, stderr=err, cwd=REPO
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        m = Measured(
            round(seconds, 2), round(usage.ru_maxrss / 1024), proc.returncode, out.read(), err.read()
        )
    if check and m.returncode:
        raise BenchError(
            f"{what or ' '.join(cmd[:4])} failed (exit {m.returncode}):\n{m.stdout[-3000:]}\n{m.stderr[-3000:]}"
        )
    return m


def py(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def stage(
    name: str, home: Path | None, *args: str, env: dict[str, str] | None = None
) -> tuple[dict, Measured]:
    """Run ``python -m bench.stage NAME`` in a subprocess; its JSON result and measurements."""
    extra = {"CCTNS_HOME": str(home)} if home is not None else {}
    m = run_measured(py("bench.stage", name, *args), {**extra, **(env or {})}, what=f"stage {name}")
    return m.json(), m


# --- datasets -----------------------------------------------------------------------------------


def dataset(days: int, scale: float = 1.0) -> Path:
    """A generated national dataset, cached between benchmark runs (generation is its own part).

    The same seed, start and day count give byte-identical output; a longer run is a different
    world (upload-level defects are scheduled over the whole run), so a nightly "one more day"
    uses the first N days of an N+1-day dataset, never two separate runs.
    """
    out = CACHE / f"national-{days}d-s{scale:g}-seed{GEN_SEED}"
    if (out / "_truth" / "generation.json").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    print(f"  generating {out.name} (cached for later runs) ...", flush=True)
    cmd = py("cctns.cli", "generate", "--start", GEN_START, "--days", str(days), "--scale", str(scale),
             "--seed", str(GEN_SEED), "--defect-rate", str(DEFECT_RATE), "--out", str(out))  # fmt: skip
    m = run_measured(cmd, {"CCTNS_HOME": str(CACHE / "home")}, what=f"generate {out.name}")
    print(f"  generated in {m.seconds:.0f} s", flush=True)
    return out


@dataclass(frozen=True)
class Upload:
    path: Path
    state: str
    date: str  # YYYYMMDD
    fmt: str | None  # None: no readable manifest


def uploads(folder: Path) -> list[Upload]:
    """Every upload in a dataset folder (folders and zips named SS_YYYYMMDD_NN, directly in it or in
    its State channel folders ``<SS>/``), by date, name."""
    out = []
    channels = [c for c in folder.iterdir() if c.is_dir() and len(c.name) == 2 and c.name.isdigit()]
    for p in [*folder.iterdir(), *(q for c in channels for q in c.iterdir())]:
        name = p.name[:-4] if p.suffix == ".zip" else p.name
        if p.name.startswith(("_", ".")) or len(name) != 14 or name[2] != "_":
            continue
        fmt = None
        man = p / "manifest.json"
        if man.is_file():
            try:
                fmt = json.loads(man.read_text(encoding="utf-8")).get("format")
            except ValueError:
                fmt = None
        out.append(Upload(p, name[:2], name[3:11], fmt))
    return sorted(out, key=lambda u: (u.date, u.path.name))


def by_days(ups: list[Upload], first: int, last: int | None = None) -> list[Upload]:
    """Uploads of the ``first``-th to ``last``-th extract dates (1-based, inclusive)."""
    dates = sorted({u.date for u in ups})
    keep = set(dates[first - 1 : last])
    return [u for u in ups if u.date in keep]


def inbox_of(items: Iterable[Upload]) -> Path:
    """A temporary inbox with the given uploads in their State channels ``<SS>/``: hard links where
    the file system allows (ingestion never follows a symbolic link), else copies."""
    from ingestion.upload import stage

    inbox = Path(tempfile.mkdtemp(prefix="cctns-bench-inbox-"))
    for u in items:
        stage(u.path, inbox, hardlink=True)
    return inbox


def csv_files(items: Iterable[Upload]) -> dict[str, list[str]]:
    """cas_csv table -> its CSV files across the uploads."""
    out: dict[str, list[str]] = {}
    for u in items:
        if u.fmt == "cas_csv":
            for f in sorted(u.path.glob("*.csv")):
                out.setdefault(f.stem, []).append(str(f))
    return out


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# --- homes --------------------------------------------------------------------------------------

#: Parts of a CCTNS_HOME whose files are written once and never changed in place (hard-linked
#: into a copy); everything else (the ingest index, the gate's tables, the warehouse) is copied.
LINKED_PARTS = ("lake", "quarantine", "landing")


def home_dir(scale: str, step: str) -> Path:
    return CACHE / "homes" / scale / step


def copy_home(src: Path, dest: Path) -> Path:
    """A writable copy of a benchmark home: write-once folders hard-linked, the rest copied."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for part in src.iterdir():
        if part.name in LINKED_PARTS:
            subprocess.run(["cp", "-al", str(part), str(dest / part.name)], check=True)
        elif part.is_dir():
            shutil.copytree(part, dest / part.name, symlinks=True)
        else:
            shutil.copy2(part, dest / part.name)
    return dest


def ledger(home: Path, where: str = "true") -> dict[str, Any]:
    """Sums over the ledger rows of a home's lake."""
    import duckdb

    files = list((home / "lake").glob("state_code=*/load_id=*/load.parquet"))
    if not files:
        return {}
    con = duckdb.connect()
    try:
        cur = con.execute(
            "select count(*) as loads, sum(rows_in) as rows_in, sum(rows_loaded) as rows_loaded, "
            "sum(rows_quarantined) as rows_quarantined, sum(fir_docs_in) as fir_docs_in, "
            "sum(fir_docs_applied) as fir_docs_applied, sum(fir_docs_quarantined) as fir_docs_quarantined, "
            "count(*) filter (where outcome = 'REJECTED') as rejected, sum(seconds) as seconds "
            f"from read_parquet(?, union_by_name = true) where {where}",
            [[str(f) for f in files]],
        )
        row = cur.fetchone()
        names = [d[0] for d in cur.description]
    finally:
        con.close()
    return {
        n: (round(float(v), 2) if n == "seconds" else int(v or 0))
        for n, v in zip(names, row or (), strict=True)
    }


# --- reports ------------------------------------------------------------------------------------


def bar_chart(items: Sequence[tuple[str, float]], unit: str = "s", width: int = 40) -> str:
    """A Markdown-safe ASCII bar chart (a fenced block)."""
    items = [(k, float(v)) for k, v in items if v is not None]
    if not items:
        return ""
    top = max(v for _, v in items) or 1.0
    pad = max(len(k) for k, _ in items)
    lines = [
        f"{k.ljust(pad)} | {'#' * max(1, round(v / top * width)) if v > 0 else ''} {v:,.2f} {unit}"
        for k, v in items
    ]
    return "```\n" + "\n".join(lines) + "\n```"


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, (dict, list)):
        return json.dumps(v, default=str)
    return str(v)


def table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_fmt(c) for c in r) + " |" for r in rows]
    return out


def write_report(result: dict[str, Any], extra_md: Sequence[str] = ()) -> None:
    """``bench/results/<part>.json`` and ``.md`` (flat measures as a table, then ``extra_md``)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    part = result["part"]
    result.setdefault("machine", machine())
    result.setdefault("date", today())
    result.setdefault("measured_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    (RESULTS / f"{part}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    flat = [(k, v) for k, v in result.items() if not isinstance(v, (dict, list))]
    lines = [f"# {part}", "", *table(flat, ["measure", "value"]), ""]
    lines += list(extra_md)
    (RESULTS / f"{part}.md").write_text("\n".join(lines).rstrip() + "\n")
    print("\n".join(lines[: 4 + len(flat)]), flush=True)
