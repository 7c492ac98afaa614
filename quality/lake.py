"""Reading the lake for the gate: the ledger of committed loads and the entity tables of a few loads.

The lake is read-only here. A load is committed when its folder holds ``_load.json`` (see
``ingestion/store.py``); its ledger row (``load.parquet``) never changes afterwards, so the gate
keeps a cache of ledger rows in ``quality/ledger_cache.parquet`` and only reads the loads it has
not seen (a year of nightly uploads is about 13,000 small files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from core import schema
from core.fs import atomic_path
from core.schema import LEDGER_SCHEMA
from core.settings import Paths

#: Ledger columns the gate uses.
LEDGER_COLUMNS: Final = (
    "load_id",
    "upload_id",
    "state_code",
    "extract_date",
    "sequence",
    "format",
    "outcome",
    "generated_at",
    "started_at",
    "fir_docs_in",
    "fir_docs_applied",
    "rows_loaded",
)
LEDGER_CACHE: Final = "ledger_cache.parquet"


def load_dirs(paths: Paths) -> dict[str, Path]:
    """Committed load folders by load id."""
    out: dict[str, Path] = {}
    for marker in paths.lake.glob("state_code=*/load_id=*/_load.json"):
        out[marker.parent.name.removeprefix("load_id=")] = marker.parent
    return out


def _ledger_rows(dirs: list[Path]) -> pl.DataFrame:
    if not dirs:
        return pl.DataFrame(schema=_ledger_schema())
    df = pl.read_parquet([d / "load.parquet" for d in dirs], hive_partitioning=False)
    return df.select(list(LEDGER_COLUMNS)).cast(_ledger_schema())


def _ledger_schema() -> dict[str, pl.DataType]:
    return {c: LEDGER_SCHEMA[c] for c in LEDGER_COLUMNS}


def ledger(paths: Paths, *, update_cache: bool = True) -> pl.DataFrame:
    """The ledger row of every committed load (cached; new loads are read and added)."""
    dirs = load_dirs(paths)
    cache_file = paths.quality / LEDGER_CACHE
    cached = pl.read_parquet(cache_file) if cache_file.is_file() else pl.DataFrame(schema=_ledger_schema())
    cached = cached.filter(pl.col("load_id").is_in(pl.Series(list(dirs), dtype=pl.Utf8).implode()))
    missing = sorted(set(dirs) - set(cached["load_id"].to_list()))
    if missing:
        fresh = _ledger_rows([dirs[m] for m in missing])
        cached = pl.concat([cached, fresh], how="vertical_relaxed")
        if update_cache:
            write_parquet_atomic(cached, cache_file)
    return cached.sort("state_code", "extract_date", "sequence", "load_id")


def read_entity(dirs: list[Path], entity: str, columns: list[str]) -> pl.DataFrame:
    """Columns of one lake table over the given load folders (every folder holds every table)."""
    lake_schema = schema.BY_NAME[entity].lake_schema
    if not dirs:
        return pl.DataFrame(schema={c: lake_schema[c] for c in columns})
    return pl.read_parquet([d / f"{entity}.parquet" for d in dirs], columns=columns, hive_partitioning=False)


def write_parquet_atomic(df: pl.DataFrame, path: Path) -> None:
    """Write a Parquet file so that readers see the old or the new file, never half of one."""
    with atomic_path(path) as tmp:
        df.write_parquet(tmp, compression="zstd")
