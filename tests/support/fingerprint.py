"""A behaviour fingerprint of one ``CCTNS_HOME``: the ledger, the quarantine, the State feedback
and every published table's row count and column sums, with run-dependent values (load ids,
clocks, paths) left out, so two runs of the same code on the same uploads compare equal.

The refactor of issue 13 must not change behaviour: ``tests/warehouse/test_behaviour.py``
holds the fingerprint of the committed sample against ``tests/reference/sample_fingerprint.json``
(written from the code before the refactor). Rerun by hand::

    uv run python -m tests.support.fingerprint --out /tmp/fp.json   # ingest, gate, build the sample
    uv run python -m tests.support.fingerprint --home "$CCTNS_HOME" --out /tmp/fp.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

#: Ledger columns that depend on the run (clocks, load ids, paths), not on the uploads.
RUN_DEPENDENT = {"load_id", "started_at", "finished_at", "seconds", "landed_path", "duplicate_of"}


def _digest(frame: pl.DataFrame) -> str:
    """Order-free digest of a frame's rows (each row as canonical JSON, sorted)."""
    lines = sorted(json.dumps(r, sort_keys=True, default=str) for r in frame.to_dicts())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _frames(root: Path, pattern: str) -> pl.DataFrame | None:
    files = sorted(root.glob(pattern))
    if not files:
        return None
    return pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")


def ledger_part(home: Path) -> dict[str, Any]:
    ledger = _frames(home / "lake", "_loads/**/load.parquet")
    if ledger is None:
        ledger = _frames(home / "lake", "**/load.parquet")
    assert ledger is not None, f"no ledger under {home / 'lake'}"
    rows = ledger.drop([c for c in ledger.columns if c in RUN_DEPENDENT]).sort("upload_id", "outcome")
    return {"loads": rows.height, "rows": [json.loads(json.dumps(r, default=str)) for r in rows.to_dicts()]}


def quarantine_part(home: Path) -> dict[str, Any]:
    q = _frames(home / "quarantine", "state_code=*/load_id=*/quarantine.parquet")
    if q is None:
        return {"rows": 0}
    q = q.drop("load_id")
    by_rule = q.explode("rule_codes").group_by("rule_codes").len().sort("rule_codes").rows()
    return {"rows": q.height, "by_rule": [list(r) for r in by_rule], "digest": _digest(q)}


def feedback_part(home: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("errors", "warnings"):
        files = sorted((home / "outbox").glob(f"*/*_{kind}.csv"))
        frames = [pl.read_csv(f, infer_schema=False) for f in files]
        frame = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
        if "load_id" in frame.columns:
            frame = frame.drop("load_id")
        out[kind] = {"files": len(files), "rows": frame.height, "digest": _digest(frame)}
    return out


def lake_part(home: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in sorted((home / "lake").rglob("*.parquet")):
        entity = f.relative_to(home / "lake").parts[0]
        counts[entity] = counts.get(entity, 0) + pl.scan_parquet(f).select(pl.len()).collect().item()
    return counts


NUMERIC = ("INT", "DECIMAL", "DOUBLE", "FLOAT", "REAL", "NUMERIC", "BIGINT", "HUGEINT", "SMALLINT", "TINYINT")


def warehouse_part(db: Path) -> dict[str, Any]:
    """Every table and view of the published file: row count, and per column the sum (numbers),
    or the count of non-null and distinct values (other types); timestamps and run-dependent columns
    only their non-null count."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2"
        ).fetchall()
        result: dict[str, Any] = {}
        for schema, table in tables:
            cols = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                [schema, table],
            ).fetchall()
            name = f'"{schema}"."{table}"'
            entry: dict[str, Any] = {"rows": con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]}
            for col, dtype in cols:
                q = f'"{col}"'
                if col in RUN_DEPENDENT or dtype.startswith("TIMESTAMP") or dtype.startswith("TIME "):
                    sql = f"SELECT count({q}) FROM {name}"
                elif dtype.split("(")[0] in NUMERIC or dtype.startswith("DECIMAL"):
                    sql = f"SELECT round(sum({q})::DOUBLE, 6) FROM {name}"
                else:
                    sql = f"SELECT count({q}) || '/' || count(DISTINCT {q}) FROM {name}"
                entry[col] = con.execute(sql).fetchone()[0]
            result[f"{schema}.{table}"] = entry
        return result
    finally:
        con.close()


def fingerprint(home: Path) -> dict[str, Any]:
    db = home / "warehouse" / "current.duckdb"
    return {
        "ledger": ledger_part(home),
        "quarantine": quarantine_part(home),
        "feedback": feedback_part(home),
        "lake": lake_part(home),
        "warehouse": warehouse_part(db) if db.exists() else None,
    }


def build_sample(home: Path) -> Path:
    """Ingest the committed sample, gate it and build + publish (as the test fixtures do)."""
    import os

    os.environ["CCTNS_HOME"] = str(home)
    from core.settings import SAMPLE_DIR, Paths
    from tests.conftest import ingest_by_name

    paths = Paths(home).ensure()
    ingest_by_name([SAMPLE_DIR], paths)
    from quality.gate import run_upload_gate
    from warehouse.build import build

    run_upload_gate(paths)
    build(paths, "full")
    return home


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, help="fingerprint this CCTNS_HOME (default: build the sample)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    home = args.home or build_sample(Path(tempfile.mkdtemp(prefix="fingerprint_")) / "home")
    args.out.write_text(json.dumps(fingerprint(home), indent=1, sort_keys=True, default=str) + "\n")
    print(f"fingerprint of {home} -> {args.out}")


if __name__ == "__main__":
    main()
