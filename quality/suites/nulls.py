"""Null rates of the fields a load must carry.

* **Mandatory** fields (critical, zero tolerance): the FIR key, the fields ingestion requires
  (``ingestion.checks.FIR_MANDATORY``, ``REGISTER_MANDATORY``, ``REQUIRED_CODES``), the act and
  section of every section row, and what standardisation derives and the warehouse relies on
  (offence date, law code, crime head, severity rank, content hash). Ingestion quarantines rows
  that lack them, so a null here means a defect that got past it.
* **Expected** fields (warning): fields that are normally filled although a row may lack them.
  A load fails when the 95% lower bound of its null rate exceeds the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import polars as pl

from core.schema import FIR, FIR_DOC_KEY
from ingestion.checks import FIR_MANDATORY, REGISTER_MANDATORY, REQUIRED_CODES
from quality.config import CRITICAL, WARNING, Thresholds
from quality.suites.base import Check, Row, max_count, max_rate, pct, per_load, safe_name, wilson_lower_expr
from quality.suites.batch import UploadBatch

NAME: Final = "nulls"

#: The FIR row's keys: the FIR key, its parts as sent and the version (core.schema).
_KEY: Final = ("fir_key", *FIR.record_key, "record_version")
_DOC: Final = FIR_DOC_KEY

#: entity -> mandatory columns (critical when any row lacks one).
MANDATORY: Final[dict[str, tuple[str, ...]]] = {
    "fir": tuple(
        dict.fromkeys((*_KEY, *FIR_MANDATORY, "offence_date", "law_code", "is_tombstone", "content_hash"))
    ),
    "act_section": (*_DOC, "seq", "act", "section", "crime_head_code", "severity_rank"),
    "crime_details": _DOC,
    "person": (*_DOC, "person_seq", *REQUIRED_CODES["person.csv"]),
    "arrest": (*_DOC, "person_seq", *REQUIRED_CODES["arrest.csv"]),
    "property": (*_DOC, *REQUIRED_CODES["property.csv"]),
    "final_report": (*_DOC, *REQUIRED_CODES["final_report.csv"]),
    "court_case": (*_DOC, "court_case_no", *REQUIRED_CODES["court_case.csv"]),
    "hearing": (*_DOC, "court_case_no"),
    "missing_person": ("register_key", "state_code", "ps_code", *REGISTER_MANDATORY["missing_person.csv"]),
    "unidentified_body": (
        "register_key",
        "state_code",
        "ps_code",
        *REGISTER_MANDATORY["unidentified_body.csv"],
    ),
}


def expected_fields(th: Thresholds) -> dict[str, dict[str, float]]:
    """entity -> column -> the largest acceptable null rate (warning)."""
    e = th.expected_field_max_null_rate
    return {
        "fir": {"info_type": e, "place_lat": e, "place_lon": e, "io_name": e, "status_date": e},
        "crime_details": {"mo_class": e, "place_type": e},
        "person": {"gender": e, "age": th.age_max_null_rate},
        "hearing": {"hearing_date": e},
        "final_report": {"report_date": e},
        "arrest": {"arrested_on": e},
    }


def columns(th: Thresholds) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {e: set(cols) for e, cols in MANDATORY.items()}
    for e, cols in expected_fields(th).items():
        out.setdefault(e, set()).update(cols)
    for cols in out.values():
        cols.add("load_id")
    return out


def _describe_count(col: str, nulls: str, rows: str) -> Callable[[Row], str]:
    def f(r: Row) -> str:
        return f"{r[nulls]} of {r[rows]} rows without {col}"

    return f


def _describe_rate(col: str, nulls: str, rows: str, lb: str) -> Callable[[Row], str]:
    def f(r: Row) -> str:
        n = r[rows]
        rate = r[nulls] / n if n else None
        return f"{r[nulls]} of {n} rows without {col} ({pct(rate)}; 95% lower bound {pct(r[lb])})"

    return f


def checks(th: Thresholds) -> list[Check]:
    out: list[Check] = []
    for entity, cols in MANDATORY.items():
        rows = safe_name(entity, "rows")
        for c in cols:
            nulls = safe_name(entity, c, "nulls")
            out.append(
                max_count(
                    NAME,
                    f"nulls.{entity}.{c}",
                    nulls,
                    severity=CRITICAL,
                    column=f"{entity}.{c}",
                    description=f"Mandatory field {entity}.{c} is never null in a load.",
                    total=rows,
                    describe=_describe_count(f"{entity}.{c}", nulls, rows),
                )
            )
    for entity, limits in expected_fields(th).items():
        rows = safe_name(entity, "rows")
        for c, limit in limits.items():
            nulls = safe_name(entity, c, "nulls")
            lb = safe_name(entity, c, "null_rate_lb95")
            out.append(
                max_rate(
                    NAME,
                    f"nulls.{entity}.{c}",
                    lb,
                    limit,
                    severity=WARNING,
                    column=f"{entity}.{c}",
                    description=(
                        f"Null rate of {entity}.{c} (95% lower bound) at most {pct(limit)} of the load's rows."
                    ),
                    count=nulls,
                    total=rows,
                    note=safe_name(entity, "note"),
                    describe=_describe_rate(f"{entity}.{c}", nulls, rows, lb),
                )
            )
    return out


def metrics(batch: UploadBatch) -> pl.DataFrame:
    th = batch.thresholds
    frame = batch.targets.select("load_id")
    expected = expected_fields(th)
    for entity in dict.fromkeys((*MANDATORY, *expected)):
        cols = list(dict.fromkeys((*MANDATORY.get(entity, ()), *expected.get(entity, {}))))
        rows = safe_name(entity, "rows")
        df = batch.table(entity)
        counts = df.group_by("load_id").agg(
            pl.len().alias(rows), *[pl.col(c).null_count().alias(safe_name(entity, c, "nulls")) for c in cols]
        )
        fill = {rows: 0} | {safe_name(entity, c, "nulls"): 0 for c in cols}
        part = per_load(batch.targets, counts, fill).with_columns(
            [
                wilson_lower_expr(safe_name(entity, c, "nulls"), rows).alias(
                    safe_name(entity, c, "null_rate_lb95")
                )
                for c in expected.get(entity, {})
            ]
            + [
                pl.when(pl.col(rows) == 0)
                .then(pl.lit(f"no {entity} rows in the load"))
                .alias(safe_name(entity, "note"))
            ]
        )
        frame = frame.join(part, on="load_id", how="left")
    return frame
