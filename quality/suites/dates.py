"""Date ranges: nothing after the extract, nothing implausibly old, nothing before its FIR.

Critical (zero tolerance; ingestion quarantines such rows, rules 107-109/803/808):
* every registration, modification and event date of the load is not after the extract was
  generated (``generated_at`` of the manifest; the end of the extract date when missing);
* registration not before ``earliest_registration`` (1970), offence not before
  ``earliest_offence`` (1950);
* an offence does not start after the FIR was registered.

Child events before their FIR (arrest, final report, committal, hearing; ingestion loads them
with warnings 503/602): warning above 1% of the load's rows, critical above 10% (95% lower bound
of the rate), so a State whose software shifts every date is held while the odd typo is not.
A trial's disposal before its committal (warning 702) is a warning above 1%.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

from quality.config import CRITICAL, WARNING, Thresholds
from quality.suites.base import Check, Row, max_count, max_rate, pct, per_load, safe_name, wilson_lower_expr
from quality.suites.batch import UploadBatch, extract_cutoff

NAME: Final = "dates"

_TS_COLUMNS: Final = ("registered_at", "occurred_from", "last_modified")


@dataclass(frozen=True)
class DateRule:
    """Rows of ``entity`` where ``bad`` holds; ``considered`` are the rows where it can be judged."""

    entity: str
    name: str
    bad: pl.Expr
    considered: pl.Expr
    needs: tuple[str, ...]
    label: str
    severity: str = CRITICAL
    limit: float = 0.0
    with_fir: bool = False  # needs the FIR's registration date (column __registered_on)

    @property
    def check_id(self) -> str:
        return f"dates.{self.entity}.{self.name}"


def _not_after_cutoff(entity: str, col: str, ts: bool) -> DateRule:
    c = pl.col(col)
    bad = (c.dt.convert_time_zone("UTC") > pl.col("__cutoff_at")) if ts else (c > pl.col("__cutoff_date"))
    return DateRule(
        entity, f"{col}_not_after_extract", bad, c.is_not_null(), (col,), f"{col} after the extract"
    )


def _not_before(entity: str, col: str, earliest: object, ts: bool) -> DateRule:
    c = pl.col(col)
    bound = pl.lit(earliest)
    bad = (c.dt.date() < bound) if ts else (c < bound)
    return DateRule(entity, f"{col}_plausible", bad, c.is_not_null(), (col,), f"{col} before {earliest}")


def rules(th: Thresholds) -> list[DateRule]:
    out: list[DateRule] = []
    for col in _TS_COLUMNS:
        out.append(_not_after_cutoff("fir", col, ts=True))
    out.append(_not_after_cutoff("fir", "status_date", ts=False))
    out.append(_not_before("fir", "registered_at", th.earliest_registration, ts=True))
    out.append(_not_before("fir", "offence_date", th.earliest_offence, ts=False))
    out.append(
        DateRule(
            "fir",
            "occurred_not_after_registered",
            pl.col("occurred_from") > pl.col("registered_at"),
            pl.col("occurred_from").is_not_null() & pl.col("registered_at").is_not_null(),
            ("occurred_from", "registered_at"),
            "offence starting after the FIR was registered",
        )
    )
    child_dates = {
        "arrest": ("arrested_on",),
        "final_report": ("report_date",),
        "court_case": ("committed_on", "disposal_date"),
        "hearing": ("hearing_date",),
        "property": ("event_date",),
    }
    for entity, cols in child_dates.items():
        for col in cols:
            out.append(_not_after_cutoff(entity, col, ts=False))
    for entity, col in (
        ("arrest", "arrested_on"),
        ("final_report", "report_date"),
        ("court_case", "committed_on"),
        ("hearing", "hearing_date"),
    ):
        c = pl.col(col)
        considered = c.is_not_null() & pl.col("__registered_on").is_not_null()
        bad = c < pl.col("__registered_on")
        for severity, limit in (
            (WARNING, th.child_before_fir_warning_rate),
            (CRITICAL, th.child_before_fir_critical_rate),
        ):
            out.append(
                DateRule(
                    entity,
                    f"{col}_not_before_fir",
                    bad,
                    considered,
                    (col,),
                    f"{col} before the FIR's registration",
                    severity=severity,
                    limit=limit,
                    with_fir=True,
                )
            )
    out.append(
        DateRule(
            "court_case",
            "disposal_not_before_committal",
            pl.col("disposal_date") < pl.col("committed_on"),
            pl.col("disposal_date").is_not_null() & pl.col("committed_on").is_not_null(),
            ("disposal_date", "committed_on"),
            "disposal before committal",
            severity=WARNING,
            limit=th.child_before_fir_warning_rate,
        )
    )
    for reg, col in (("missing_person", "report_date"), ("unidentified_body", "found_on")):
        out.append(_not_after_cutoff(reg, col, ts=False))
        out.append(_not_before(reg, col, th.earliest_registration, ts=False))
    out.append(
        DateRule(
            "missing_person",
            "last_seen_not_after_report",
            pl.col("last_seen_on") > pl.col("report_date"),
            pl.col("last_seen_on").is_not_null() & pl.col("report_date").is_not_null(),
            ("last_seen_on", "report_date"),
            "last seen after the report",
            severity=WARNING,
            limit=th.child_before_fir_warning_rate,
        )
    )
    return out


def columns(th: Thresholds) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"fir": {"load_id", "fir_key", "record_version", "registered_at"}}
    for r in rules(th):
        cols = out.setdefault(r.entity, {"load_id"})
        cols.update(r.needs)
        if r.with_fir:
            cols.update(("fir_key", "record_version"))
    return out


def _names(r: DateRule) -> tuple[str, str, str]:
    suffix = "" if r.severity == CRITICAL else "_w"
    base = (r.entity, r.name + suffix)
    return safe_name(*base, "bad"), safe_name(*base, "rows"), safe_name(*base, "bad_rate_lb95")


def checks(th: Thresholds) -> list[Check]:
    out: list[Check] = []
    for r in rules(th):
        bad, n, lb = _names(r)

        def describe(row: Row, r: DateRule = r, bad: str = bad, n: str = n) -> str:
            rate = row[bad] / row[n] if row[n] else None
            return f"{row[bad]} of {row[n]} {r.entity} rows with {r.label} ({pct(rate)})"

        check_id = r.check_id if r.severity == CRITICAL or r.limit == 0 else f"{r.check_id}.warning"
        if r.limit == 0:
            out.append(
                max_count(
                    NAME,
                    check_id,
                    bad,
                    severity=r.severity,
                    column=f"{r.entity}.{r.needs[0]}",
                    description=f"No {r.entity} row with {r.label}.",
                    total=n,
                    describe=describe,
                )
            )
        else:
            out.append(
                max_rate(
                    NAME,
                    check_id,
                    lb,
                    r.limit,
                    severity=r.severity,
                    column=f"{r.entity}.{r.needs[0]}",
                    description=f"At most {pct(r.limit)} of {r.entity} rows with {r.label} (95% lower bound).",
                    count=bad,
                    total=n,
                    describe=describe,
                )
            )
    return out


def metrics(batch: UploadBatch) -> pl.DataFrame:
    cut = extract_cutoff(batch).select(
        "load_id", pl.col("cutoff_at").alias("__cutoff_at"), pl.col("cutoff_date").alias("__cutoff_date")
    )
    fir_dates = batch.table("fir").select(
        "load_id", "fir_key", "record_version", pl.col("registered_at").dt.date().alias("__registered_on")
    )
    frame = batch.targets.select("load_id")
    by_key: dict[tuple[str, bool], list[DateRule]] = {}
    for r in rules(batch.thresholds):
        by_key.setdefault((r.entity, r.with_fir), []).append(r)
    for (entity, with_fir), group in by_key.items():
        df = batch.table(entity).join(cut, on="load_id", how="left")
        if with_fir:
            df = df.join(fir_dates, on=["load_id", "fir_key", "record_version"], how="left")
        aggs, fill = [], {}
        for r in group:
            bad, n, _lb = _names(r)
            aggs += [r.considered.sum().alias(n), (r.considered & r.bad).fill_null(False).sum().alias(bad)]
            fill |= {n: 0, bad: 0}
        part = per_load(batch.targets, df.group_by("load_id").agg(aggs), fill).with_columns(
            wilson_lower_expr(_names(r)[0], _names(r)[1]).alias(_names(r)[2]) for r in group if r.limit
        )
        frame = frame.join(part, on="load_id", how="left")
    return frame
