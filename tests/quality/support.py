"""Building anomalous uploads and lake loads for the quality-gate tests.

Uploads are rewritten the way a State's software would send them (cas_csv files with a
manifest whose row counts and hashes match), so they go through ingestion for real. Lake loads
are edited in a copy of a test home to seed defects ingestion would have stopped (a regression
of ingestion, or a lake written by another tool): the gate is the second line of defence.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl

from core import extract_spec as spec
from core.settings import Paths

Table = list[dict[str, str]]
Tables = dict[str, Table]


def read_cas_upload(folder: Path) -> Tables:
    """Every CSV of a cas_csv upload as rows of text (BOM stripped)."""
    out: Tables = {}
    for name in spec.CAS_COLUMNS:
        text = (folder / name).read_bytes().decode("utf-8").removeprefix("\ufeff")
        out[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return out


def write_cas_upload(src: Path, dest: Path, tables: Tables) -> Path:
    """Write ``tables`` as the upload ``dest`` (named like ``src``) with a matching manifest."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    manifest = json.loads((src / spec.MANIFEST_FILE).read_text(encoding="utf-8"))
    entries = []
    for name, cols in spec.CAS_COLUMNS.items():
        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=list(cols), lineterminator="\n", extrasaction="raise")
        w.writeheader()
        w.writerows(tables[name])
        data = spec.UTF8_BOM + buf.getvalue().encode("utf-8")
        (dest / name).write_bytes(data)
        entries.append(
            {
                "name": name,
                "rows": spec.count_record_bytes(name, data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    manifest["files"] = entries
    (dest / spec.MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return dest


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[c] for c in spec.FIR_KEY)


def keep_every(tables: Tables, n: int) -> Tables:
    """Keep one FIR document in ``n`` (with its child rows): a State sending a tenth of its FIRs."""
    kept = {_key(r) for i, r in enumerate(tables["fir.csv"]) if i % n == 0}
    out = dict(tables)
    for name in ("fir.csv", *spec.FIR_CHILD_FILES):
        out[name] = [r for r in tables[name] if _key(r) in kept]
    return out


def multiply(tables: Tables, times: int) -> Tables:
    """Send every FIR document ``times`` times under new FIR numbers (copy j gets first digit j)."""
    for r in tables["fir.csv"]:
        if not r["fir_no"].startswith("0"):
            raise ValueError(f"FIR number {r['fir_no']} too high to derive copies from")
    out = {name: list(rows) for name, rows in tables.items()}
    for j in range(1, times):
        for name in ("fir.csv", *spec.FIR_CHILD_FILES):
            out[name] += [{**r, "fir_no": f"{j}{r['fir_no'][1:]}"} for r in tables[name]]
    return out


def shift_heads(tables: Tables, share: float, act: str, section: str) -> Tables:
    """Charge ``share`` of the FIRs registered under ``act`` with ``section`` only (a mis-mapping).

    Only FIRs whose every section is under ``act`` are rewritten (the law in force stays right).
    """
    by_fir: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for r in tables["act_section.csv"]:
        by_fir.setdefault(_key(r), []).append(r)
    eligible = [k for k, rows in by_fir.items() if all(r["act"] == act for r in rows)]
    chosen = set(eligible[: round(len(eligible) * share)])
    rows: Table = []
    for k, secs in by_fir.items():
        if k in chosen:
            rows.append({**secs[0], "seq": "1", "act": act, "section": section})
        else:
            rows.extend(secs)
    return {**tables, "act_section.csv": rows}


def rewrite(src: Path, dest_parent: Path, change: Callable[[Tables], Tables]) -> Path:
    return write_cas_upload(src, dest_parent / src.name, change(read_cas_upload(src)))


def copy_home(src: Paths, dest: Path) -> Paths:
    shutil.copytree(src.home, dest)
    return Paths(dest)


def load_dir(home: Paths, load_id: str) -> Path:
    (d,) = home.lake.glob(f"state_code=*/load_id={load_id}")
    return d


def edit_lake(home: Paths, load_id: str, entity: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    """Rewrite one lake table of a committed load (same schema)."""
    f = load_dir(home, load_id) / f"{entity}.parquet"
    df = pl.read_parquet(f)
    change(df).select(df.columns).cast(df.schema).write_parquet(f)
