"""Volume: FIR documents a State sent tonight against its trailing nights.

The measure is ``fir_docs_in`` of the ledger (FIR documents the State sent, whether applied,
unchanged or quarantined), summed over the data loads of the State's night up to this load's
sequence. The baseline is the median of the State's last ``volume_history_nights`` (14) earlier
nights (data loads only; loads the gate held or an operator rejected are left out).

Critical: below median/3 or above 3x median; warning: below median/2 or above 2x median; in both
cases only if Poisson chance at the median makes the count that unlikely (alpha 0.001 and 0.01),
so small States are judged on what their volume can show (see :func:`quality.stats.volume_bounds`).
Fewer than ``volume_min_history`` (3) earlier nights: the checks are skipped and the result
says "insufficient history" (non-blocking).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import polars as pl

from quality.config import CRITICAL, DATA_OUTCOMES, WARNING, Thresholds
from quality.stats import volume_bounds
from quality.suites.base import Check, Row, at_least, at_most
from quality.suites.batch import UploadBatch

NAME: Final = "volume"

DOCS: Final = "volume__fir_docs"
MEDIAN: Final = "volume__median"
NIGHTS: Final = "volume__nights"
NOTE: Final = "volume__note"


def columns(th: Thresholds) -> dict[str, set[str]]:
    return {}


def _describe(bound: str, side: str) -> Callable[[Row], str]:
    def f(r: Row) -> str:
        return (
            f"{r[DOCS]} FIR documents tonight; median {r[MEDIAN]:g} over {r[NIGHTS]} earlier nights; "
            f"{side} bound {r[bound]:.1f}"
        )

    return f


def checks(th: Thresholds) -> list[Check]:
    out: list[Check] = []
    for severity, ratio, alpha in (
        (CRITICAL, th.volume_critical_ratio, th.volume_critical_alpha),
        (WARNING, th.volume_warning_ratio, th.volume_warning_alpha),
    ):
        lo, hi = f"volume__lower_{severity}", f"volume__upper_{severity}"
        out.append(
            at_least(
                NAME,
                f"volume.low.{severity}",
                DOCS,
                lo,
                description=(
                    f"FIR documents of the State's night at least median/{ratio:g} of its last "
                    f"{th.volume_history_nights} nights (unless Poisson p >= {alpha:g})."
                ),
                severity=severity,
                column="load.fir_docs_in",
                note=NOTE,
                details=(MEDIAN, NIGHTS),
                describe=_describe(lo, "lower"),
            )
        )
        out.append(
            at_most(
                NAME,
                f"volume.high.{severity}",
                DOCS,
                hi,
                description=(
                    f"FIR documents of the State's night at most {ratio:g}x the median of its last "
                    f"{th.volume_history_nights} nights (unless Poisson p >= {alpha:g})."
                ),
                severity=severity,
                column="load.fir_docs_in",
                note=NOTE,
                details=(MEDIAN, NIGHTS),
                describe=_describe(hi, "upper"),
            )
        )
    return out


def metrics(batch: UploadBatch) -> pl.DataFrame:
    th = batch.thresholds
    data = batch.ledger.filter(pl.col("outcome").is_in(list(DATA_OUTCOMES)))
    targets = batch.targets.select("load_id", "state_code", "extract_date", "sequence")
    tonight = (
        targets.join(
            data.select("state_code", "extract_date", pl.col("sequence").alias("__seq"), "fir_docs_in"),
            on=["state_code", "extract_date"],
            how="left",
        )
        .filter(pl.col("__seq") <= pl.col("sequence"))
        .group_by("load_id")
        .agg(pl.col("fir_docs_in").sum().alias(DOCS))
    )
    excluded = pl.Series(sorted(batch.excluded_history), dtype=pl.Utf8)
    nights = (
        data.filter(~pl.col("load_id").is_in(excluded.implode()))
        .group_by("state_code", "extract_date")
        .agg(pl.col("fir_docs_in").sum().alias("__docs"))
    )
    history = (
        targets.join(nights.rename({"extract_date": "__date"}), on="state_code", how="inner")
        .filter(pl.col("__date") < pl.col("extract_date"))
        .sort("__date")
        .group_by("load_id")
        .agg(pl.col("__docs").tail(th.volume_history_nights).alias("__tail"))
        .with_columns(
            pl.col("__tail").list.median().alias(MEDIAN),
            pl.col("__tail").list.len().cast(pl.Int64).alias(NIGHTS),
        )
        .drop("__tail")
    )
    frame = (
        targets.select("load_id")
        .join(tonight, on="load_id", how="left")
        .join(history, on="load_id", how="left")
        .with_columns(pl.col(DOCS).fill_null(0), pl.col(NIGHTS).fill_null(0))
    )
    rows = []
    for r in frame.iter_rows(named=True):
        out: dict[str, object] = {"load_id": r["load_id"]}
        enough = r[NIGHTS] >= th.volume_min_history and r[MEDIAN] is not None
        for severity, ratio, alpha in (
            (CRITICAL, th.volume_critical_ratio, th.volume_critical_alpha),
            (WARNING, th.volume_warning_ratio, th.volume_warning_alpha),
        ):
            lo, hi = volume_bounds(float(r[MEDIAN]), ratio, alpha) if enough else (None, None)
            out[f"volume__lower_{severity}"] = lo
            out[f"volume__upper_{severity}"] = hi
        out[NOTE] = (
            None
            if enough
            else f"insufficient history: {r[NIGHTS]} earlier nights of this State (need {th.volume_min_history})"
        )
        rows.append(out)
    bounds = pl.DataFrame(
        rows,
        schema={
            "load_id": pl.Utf8,
            f"volume__lower_{CRITICAL}": pl.Float64,
            f"volume__upper_{CRITICAL}": pl.Float64,
            f"volume__lower_{WARNING}": pl.Float64,
            f"volume__upper_{WARNING}": pl.Float64,
            NOTE: pl.Utf8,
        },
    )
    return frame.join(bounds, on="load_id", how="left").with_columns(pl.col(MEDIAN).cast(pl.Float64))
