"""Where the gate keeps its results and decisions, under ``paths().quality``.

::

    quality/results/<run_id>.parquet   one file per run: one row per (load or mart, check)
    quality/batch_status.parquet       one row per checked load: its current gate status
    quality/decisions.jsonl            append-only history of operator actions (release, reject)
    quality/profiles.parquet           cache: principal crime-head counts per load
    quality/ledger_cache.parquet       cache: ledger rows of committed loads
    quality/data_docs/                 Great Expectations Data Docs (static HTML)

Readers (the warehouse build, dashboards) may read while the gate runs: every Parquet file is
written to a temporary name and renamed into place. Writers (gate runs, operator actions) take
``quality/.lock`` so that two of them never interleave.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import polars as pl

from core.fs import append_line, atomic_write, file_lock
from core.settings import Paths
from quality.lake import write_parquet_atomic
from quality.suites.crime_mix import PROFILE_SCHEMA

UTC_TS: Final = pl.Datetime("us", "UTC")

RESULT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "run_id": pl.Utf8(),
    "run_at": UTC_TS,
    "suite": pl.Utf8(),
    "check_id": pl.Utf8(),
    "load_id": pl.Utf8(),  # null for mart suites
    "state_code": pl.Utf8(),
    "extract_date": pl.Date(),
    "expectation_type": pl.Utf8(),
    "column": pl.Utf8(),
    "kwargs": pl.Utf8(),  # JSON
    "severity": pl.Utf8(),  # critical | warning
    "success": pl.Boolean(),
    "observed_value": pl.Utf8(),
    "element_count": pl.Int64(),
    "unexpected_count": pl.Int64(),
    "details": pl.Utf8(),  # JSON
}
STATUS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "load_id": pl.Utf8(),
    "state_code": pl.Utf8(),
    "extract_date": pl.Date(),
    "status": pl.Utf8(),  # PASSED | WARNED | HELD | RELEASED | REJECTED
    "reason": pl.Utf8(),
    "decided_at": UTC_TS,
    "decided_by": pl.Utf8(),  # "gate" or the operator
    "run_id": pl.Utf8(),
}
STATUS_FILE: Final = "batch_status.parquet"
DECISIONS_FILE: Final = "decisions.jsonl"
PROFILES_FILE: Final = "profiles.parquet"
RESULTS_DIR: Final = "results"
DOCS_DIR: Final = "data_docs"
LOCK_FILE: Final = ".lock"
LOCK_TIMEOUT_S: Final = 300.0


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_run_id(at: dt.datetime) -> str:
    """Sortable and unique: ``20261122T181003Z-3fa9c1``."""
    return f"{at.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


@contextmanager
def locked(paths: Paths, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """One writer of the quality store at a time (gate runs and operator actions wait)."""
    paths.quality.mkdir(parents=True, exist_ok=True)
    lock = paths.quality / LOCK_FILE
    busy = f"the quality store {paths.quality} is locked by another run"
    with file_lock(lock, timeout=timeout, busy=lambda: TimeoutError(busy)):
        yield


# --- batch status -------------------------------------------------------------------------------
def _coerce_status(df: pl.DataFrame) -> pl.DataFrame:
    """The status table in :data:`STATUS_SCHEMA`, whoever wrote it (dates may come as ISO text)."""
    fixes = []
    if df.schema.get("extract_date") == pl.Utf8:
        fixes.append(pl.col("extract_date").str.to_date("%Y-%m-%d", strict=False))
    if df.schema.get("decided_at") == pl.Utf8:
        fixes.append(pl.col("decided_at").str.to_datetime(time_zone="UTC", strict=False))
    elif isinstance(df.schema.get("decided_at"), pl.Datetime):
        dtype = df.schema["decided_at"]
        if getattr(dtype, "time_zone", None) is None:
            fixes.append(pl.col("decided_at").dt.replace_time_zone("UTC"))
        else:
            fixes.append(pl.col("decided_at").dt.convert_time_zone("UTC"))
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in STATUS_SCHEMA.items() if c not in df.columns]
    return df.with_columns(*fixes, *missing).select(list(STATUS_SCHEMA)).cast(STATUS_SCHEMA)


def read_status(paths: Paths) -> pl.DataFrame:
    f = paths.quality / STATUS_FILE
    if not f.is_file():
        return pl.DataFrame(schema=STATUS_SCHEMA)
    return _coerce_status(pl.read_parquet(f))


def write_status(paths: Paths, status: pl.DataFrame) -> None:
    df = _coerce_status(status)
    write_parquet_atomic(df.sort("state_code", "extract_date", "load_id"), paths.quality / STATUS_FILE)


def upsert_status(paths: Paths, rows: pl.DataFrame) -> pl.DataFrame:
    """Replace the status of the loads in ``rows``; keep every other load's."""
    current = read_status(paths)
    keep = current.filter(~pl.col("load_id").is_in(rows["load_id"].implode()))
    merged = pl.concat([keep, _coerce_status(rows)], how="vertical")
    write_status(paths, merged)
    return merged


# --- results ------------------------------------------------------------------------------------
def write_results(paths: Paths, run_id: str, results: pl.DataFrame) -> Path:
    out = paths.quality / RESULTS_DIR / f"{run_id}.parquet"
    write_parquet_atomic(results.select(list(RESULT_SCHEMA)).cast(RESULT_SCHEMA), out)
    return out


def read_results(paths: Paths) -> pl.DataFrame:
    """Every stored result of every run (upload and mart suites)."""
    files = sorted((paths.quality / RESULTS_DIR).glob("*.parquet"))
    if not files:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    return pl.read_parquet(files).cast(RESULT_SCHEMA)


# --- decisions ------------------------------------------------------------------------------------
def append_decision(paths: Paths, record: dict[str, Any]) -> None:
    """Append one operator action to ``decisions.jsonl`` (flushed and fsynced)."""
    paths.quality.mkdir(parents=True, exist_ok=True)
    append_line(paths.quality / DECISIONS_FILE, json.dumps(record, default=str, ensure_ascii=False))


def read_decisions(paths: Paths) -> list[dict[str, Any]]:
    f = paths.quality / DECISIONS_FILE
    if not f.is_file():
        return []
    return [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- crime-head profiles cache ------------------------------------------------------------------
def read_profiles(paths: Paths) -> pl.DataFrame:
    f = paths.quality / PROFILES_FILE
    if not f.is_file():
        return pl.DataFrame(schema=PROFILE_SCHEMA)
    return pl.read_parquet(f).cast(PROFILE_SCHEMA)


def add_profiles(paths: Paths, fresh: pl.DataFrame, loads: list[str]) -> pl.DataFrame:
    """Store the profiles of ``loads`` (``fresh`` holds their rows); return the whole cache.

    A load without any live FIR document gets one row with a null crime head and 0 documents, so
    that the cache knows it was profiled.
    """
    fresh = fresh.select(list(PROFILE_SCHEMA)).cast(PROFILE_SCHEMA)
    empty = sorted(set(loads) - set(fresh["load_id"].to_list()))
    placeholders = pl.DataFrame(
        {"load_id": empty, "crime_head_code": [None] * len(empty), "docs": [0] * len(empty)},
        schema=PROFILE_SCHEMA,
    )
    current = read_profiles(paths)
    keep = current.filter(~pl.col("load_id").is_in(pl.Series(loads, dtype=pl.Utf8).implode()))
    merged = pl.concat([keep, fresh, placeholders], how="vertical").sort("load_id", "crime_head_code")
    write_parquet_atomic(merged, paths.quality / PROFILES_FILE)
    return merged


# --- Data Docs ------------------------------------------------------------------------------------
DOCS_SITES: Final[dict[str, str]] = {
    "upload_gate": "Per-upload suites (volume, null rates, value sets, dates, integrity, crime-head mix)",
    "marts": "Mart suites (counts, rates, reconciliation, coverage)",
}


def docs_site(paths: Paths, site: str) -> Path:
    """Folder of one Great Expectations Data Docs site (``data_docs/upload_gate``, ``data_docs/marts``)."""
    if site not in DOCS_SITES:
        raise ValueError(f"unknown Data Docs site {site!r}; known: {sorted(DOCS_SITES)}")
    return paths.quality / DOCS_DIR / site


def write_docs_index(paths: Paths) -> Path:
    """``data_docs/index.html``: links to each site's latest rendering (static, no script)."""
    import html

    root = paths.quality / DOCS_DIR
    root.mkdir(parents=True, exist_ok=True)
    items = []
    for site, label in DOCS_SITES.items():
        index = root / site / "index.html"
        if index.is_file():
            at = dt.datetime.fromtimestamp(index.stat().st_mtime, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            items.append(f'<li><a href="{site}/index.html">{html.escape(label)}</a> (rendered {at})</li>')
        else:
            items.append(f"<li>{html.escape(label)}: not rendered yet</li>")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>cctns-warehouse quality gate</title></head>"
        "<body><h1>cctns-warehouse: quality gate Data Docs</h1><ul>"
        + "".join(items)
        + "</ul><p>Each site shows the latest run; every result of every run is in "
        "<code>quality/results/*.parquet</code>.</p></body></html>"
    )
    out = root / "index.html"
    atomic_write(out, page)
    return out
