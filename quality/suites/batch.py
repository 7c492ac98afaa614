"""The data a per-upload suite sees: the loads of the run, their lake rows and their history."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from quality.config import DEFAULT_THRESHOLDS, Thresholds


@dataclass
class UploadBatch:
    """Everything the per-upload suites need for one gate run.

    ``targets``: ledger rows of the loads being checked (one per load: load_id, state_code,
    extract_date, sequence, generated_at, fir_docs_in, ...). ``ledger``: every committed load.
    ``tables``: lake rows of the target loads per entity (only the columns the suites read).
    ``excluded_history``: loads left out of baselines (held or rejected by the gate).
    ``profiles``: principal crime-head counts per load (targets and their history).
    ``lake_dirs``: every committed load folder (for FIR documents outside the load).
    """

    targets: pl.DataFrame
    ledger: pl.DataFrame
    tables: dict[str, pl.DataFrame]
    excluded_history: set[str] = field(default_factory=set)
    profiles: pl.DataFrame | None = None
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    lake_dirs: list[Path] = field(default_factory=list)

    def table(self, entity: str) -> pl.DataFrame:
        return self.tables[entity]

    @property
    def load_frame(self) -> pl.DataFrame:
        """One row per target load: load_id, state_code, extract_date, generated_at (UTC)."""
        return self.targets.select(
            "load_id",
            "state_code",
            "extract_date",
            pl.col("generated_at")
            .str.to_datetime("%Y-%m-%dT%H:%M:%S%z", strict=False)
            .dt.convert_time_zone("UTC")
            .alias("generated_at"),
        )


def extract_cutoff(batch: UploadBatch) -> pl.DataFrame:
    """Per load: the latest instant and date a record may carry (the extract's generation time).

    Falls back to the end of the extract date (IST) when ``generated_at`` is missing.
    """
    lf = batch.load_frame
    fallback = (
        (pl.col("extract_date").cast(pl.Datetime("us")) + pl.duration(days=1))
        .dt.replace_time_zone("Asia/Kolkata")
        .dt.convert_time_zone("UTC")
    )
    return lf.with_columns(pl.coalesce("generated_at", fallback).alias("cutoff_at")).with_columns(
        pl.col("cutoff_at").dt.convert_time_zone("Asia/Kolkata").dt.date().alias("cutoff_date")
    )
