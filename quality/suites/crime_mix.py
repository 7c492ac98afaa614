"""Crime-head mix: the load's distribution of principal crime heads against the State's recent loads.

Each FIR document of the load (tombstones left out) counts once, under its principal offence:
the section row with the highest severity rank (lowest ``seq`` on ties), as the warehouse counts
it. The load's distribution is compared with the pooled distribution of the State's last
``mix_history_loads`` (14) earlier data loads by the total-variation distance (TVD, half the L1
distance: the share of documents that would have to change head).

The bound is what chance alone gives at that size: a parametric bootstrap redraws the load and
the history from the history's distribution (``mix_bootstrap_draws`` times); the critical bound
is the larger of ``mix_critical_tvd`` (0.25) and the 99.9% quantile, the warning bound of
``mix_warning_tvd`` (0.15) and the 99% quantile. Loads with fewer than ``mix_min_docs`` documents,
or States with too little history, are skipped with a non-blocking "too few to judge".
"""

from __future__ import annotations

import hashlib
from typing import Final

import numpy as np
import polars as pl

from core.schema import FIR_DOC_KEY
from quality.config import CRITICAL, DATA_OUTCOMES, WARNING, Thresholds
from quality.stats import tvd, tvd_null_quantiles
from quality.suites.base import Check, Row, at_most
from quality.suites.batch import UploadBatch

NAME: Final = "crime_mix"

TVD: Final = "crime_mix__tvd"
DOCS: Final = "crime_mix__docs"
HISTORY_LOADS: Final = "crime_mix__history_loads"
HISTORY_DOCS: Final = "crime_mix__history_docs"
NOTE: Final = "crime_mix__note"
TOP: Final = "crime_mix__top_shifts"

PROFILE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "load_id": pl.Utf8(),
    "crime_head_code": pl.Utf8(),
    "docs": pl.Int64(),
}


def columns(th: Thresholds) -> dict[str, set[str]]:
    return {
        "act_section": {"load_id", *FIR_DOC_KEY, "seq", "crime_head_code", "severity_rank"},
        "fir": {"load_id", *FIR_DOC_KEY, "is_tombstone"},
    }


def profile(act_section: pl.DataFrame, fir: pl.DataFrame) -> pl.DataFrame:
    """Principal crime-head counts per load: (load_id, crime_head_code, docs)."""
    key = ["load_id", *FIR_DOC_KEY]
    live = fir.filter(~pl.col("is_tombstone").fill_null(False)).select(key)
    principal = (
        act_section.join(live, on=key, how="semi")
        .sort(["severity_rank", "seq"], descending=[True, False], nulls_last=True)
        .group_by(key, maintain_order=True)
        .first()
    )
    return (
        principal.group_by("load_id", "crime_head_code")
        .len(name="docs")
        .cast({"docs": pl.Int64})
        .select(list(PROFILE_SCHEMA))
        .sort("load_id", "crime_head_code")
    )


def history_loads(batch: UploadBatch) -> dict[str, list[str]]:
    """For each target load, the earlier data loads of its State the mix is compared with."""
    th = batch.thresholds
    excluded = pl.Series(sorted(batch.excluded_history), dtype=pl.Utf8)
    data = batch.ledger.filter(
        pl.col("outcome").is_in(list(DATA_OUTCOMES)) & ~pl.col("load_id").is_in(excluded.implode())
    ).select(
        pl.col("load_id").alias("__hist"), "state_code", pl.col("extract_date").alias("__date"), "sequence"
    )
    hist = (
        batch.targets.select("load_id", "state_code", "extract_date")
        .join(data, on="state_code", how="inner")
        .filter(pl.col("__date") < pl.col("extract_date"))
        .sort("__date", "sequence")
        .group_by("load_id")
        .agg(pl.col("__hist").tail(th.mix_history_loads))
    )
    out = {lid: [] for lid in batch.targets["load_id"].to_list()}
    for lid, loads in hist.iter_rows():
        out[lid] = list(loads)
    return out


def checks(th: Thresholds) -> list[Check]:
    out: list[Check] = []
    for severity in (CRITICAL, WARNING):
        bound = f"crime_mix__bound_{severity}"

        def describe(r: Row, bound: str = bound) -> str:
            return (
                f"TVD {r[TVD]:.3f} over {r[DOCS]} FIR documents vs {r[HISTORY_DOCS]} in {r[HISTORY_LOADS]} "
                f"earlier loads (bound {r[bound]:.3f}); largest shifts: {r[TOP]}"
            )

        floor = th.mix_critical_tvd if severity == CRITICAL else th.mix_warning_tvd
        q = th.mix_critical_quantile if severity == CRITICAL else th.mix_warning_quantile
        out.append(
            at_most(
                NAME,
                f"crime_mix.tvd.{severity}",
                TVD,
                bound,
                severity=severity,
                column="act_section.crime_head_code",
                description=(
                    f"Total-variation distance of the principal crime-head mix from the State's last "
                    f"{th.mix_history_loads} loads at most max({floor:g}, bootstrap {q:g} quantile)."
                ),
                total=DOCS,
                note=NOTE,
                details=(HISTORY_LOADS, HISTORY_DOCS, TOP),
                describe=describe,
            )
        )
    return out


def _seed(load_id: str) -> int:
    return int.from_bytes(hashlib.sha256(load_id.encode()).digest()[:8], "little")


def metrics(batch: UploadBatch) -> pl.DataFrame:
    th = batch.thresholds
    prof = batch.profiles if batch.profiles is not None else pl.DataFrame(schema=PROFILE_SCHEMA)
    by_load: dict[str, dict[str, int]] = {}
    for lid, head, docs in prof.iter_rows():
        entry = by_load.setdefault(lid, {})
        if head is not None:  # a load without live documents has one placeholder row
            entry[head] = int(docs)
    rows = []
    for lid, hist in history_loads(batch).items():
        own = by_load.get(lid, {})
        pooled: dict[str, int] = {}
        for h in hist:
            for head, d in by_load.get(h, {}).items():
                pooled[head] = pooled.get(head, 0) + d
        n, total = sum(own.values()), sum(pooled.values())
        row: dict[str, object] = {
            "load_id": lid,
            DOCS: n,
            HISTORY_LOADS: len(hist),
            HISTORY_DOCS: total,
            TVD: None,
            TOP: None,
            NOTE: None,
            f"crime_mix__bound_{CRITICAL}": None,
            f"crime_mix__bound_{WARNING}": None,
        }
        if n < th.mix_min_docs:
            row[NOTE] = f"too few to judge: {n} FIR documents in the load (need {th.mix_min_docs})"
        elif len(hist) < th.mix_min_history_loads or total < th.mix_min_history_docs:
            row[NOTE] = (
                f"insufficient history: {len(hist)} earlier loads with {total} FIR documents "
                f"(need {th.mix_min_history_loads} loads and {th.mix_min_history_docs} documents)"
            )
        else:
            heads = sorted(set(own) | set(pooled))
            p = np.array([own.get(h, 0) for h in heads], dtype=float) / n
            hc = np.array([pooled.get(h, 0) for h in heads], dtype=float)
            q = hc / total
            crit, warn = tvd_null_quantiles(
                hc, n, (th.mix_critical_quantile, th.mix_warning_quantile), th.mix_bootstrap_draws, _seed(lid)
            )
            row[TVD] = tvd(p, q)
            row[f"crime_mix__bound_{CRITICAL}"] = max(th.mix_critical_tvd, crit)
            row[f"crime_mix__bound_{WARNING}"] = max(th.mix_warning_tvd, warn)
            diff = sorted(zip(heads, p - q, strict=True), key=lambda t: -abs(t[1]))[:3]
            row[TOP] = ", ".join(f"{h} {d * 100:+.1f} pts" for h, d in diff)
        rows.append(row)
    schema = {
        "load_id": pl.Utf8,
        DOCS: pl.Int64,
        HISTORY_LOADS: pl.Int64,
        HISTORY_DOCS: pl.Int64,
        TVD: pl.Float64,
        TOP: pl.Utf8,
        NOTE: pl.Utf8,
        f"crime_mix__bound_{CRITICAL}": pl.Float64,
        f"crime_mix__bound_{WARNING}": pl.Float64,
    }
    return batch.targets.select("load_id").join(pl.DataFrame(rows, schema=schema), on="load_id", how="left")
