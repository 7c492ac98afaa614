"""Referential integrity between the FIR document and its parts.

Critical (zero tolerance):
* every child row (sections, crime details, persons, arrests, property, final reports, court
  cases, hearings) belongs to an FIR document in the lake: its ``(fir_key, record_version)`` is
  an FIR row of the same load (ingestion writes whole documents), or failing that of any
  committed load;
* every FIR document that is not a tombstone has at least one act/section row (rule 201).

Warning (rate above 5%, 95% lower bound): a hearing whose court case is not on the same
document (703), an arrest of someone who is not an accused of the same document (502).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from core.schema import FIR_CHILDREN, FIR_DOC_KEY
from quality.config import CRITICAL, WARNING, Thresholds
from quality.suites.base import Check, Row, max_count, max_rate, pct, per_load, safe_name, wilson_lower_expr
from quality.suites.batch import UploadBatch

NAME: Final = "integrity"


def columns(th: Thresholds) -> dict[str, set[str]]:
    base = {"load_id", *FIR_DOC_KEY}
    out = {e: set(base) for e in FIR_CHILDREN}
    out["fir"] = base | {"is_tombstone"}
    out["hearing"].add("court_case_no")
    out["court_case"].add("court_case_no")
    out["arrest"].add("person_seq")
    out["person"].update(("person_seq", "role"))
    return out


def _orphans(entity: str) -> tuple[str, str]:
    return safe_name(entity, "without_fir"), safe_name(entity, "rows")


def checks(th: Thresholds) -> list[Check]:
    out: list[Check] = []
    for entity in FIR_CHILDREN:
        bad, n = _orphans(entity)

        def describe(row: Row, entity: str = entity, bad: str = bad, n: str = n) -> str:
            return f"{row[bad]} of {row[n]} {entity} rows whose FIR document (fir_key, record_version) is not in the lake"

        out.append(
            max_count(
                NAME,
                f"integrity.{entity}.fir_document",
                bad,
                severity=CRITICAL,
                column=f"{entity}.fir_key",
                description=f"Every {entity} row belongs to an FIR document (fir_key, record_version) in the lake.",
                total=n,
                details=(safe_name(entity, "sample"),),
                describe=describe,
            )
        )
    out.append(
        max_count(
            NAME,
            "integrity.fir.sections",
            "fir__without_sections",
            severity=CRITICAL,
            column="fir.fir_key",
            description="Every FIR document that is not a tombstone has at least one act and section.",
            total="fir__documents",
            describe=lambda r: (
                f"{r['fir__without_sections']} of {r['fir__documents']} FIR documents without sections"
            ),
        )
    )
    limit = th.dangling_reference_max_rate
    for check_id, col, bad, n, label in (
        (
            "integrity.hearing.court_case",
            "hearing.court_case_no",
            "hearing__dangling",
            "hearing__rows",
            "hearings of a court case not on the document",
        ),
        (
            "integrity.arrest.accused",
            "arrest.person_seq",
            "arrest__dangling",
            "arrest__rows",
            "arrests of someone who is not an accused of the document",
        ),
    ):

        def describe(row: Row, bad: str = bad, n: str = n, label: str = label) -> str:
            rate = row[bad] / row[n] if row[n] else None
            return f"{row[bad]} of {row[n]} {label} ({pct(rate)})"

        out.append(
            max_rate(
                NAME,
                check_id,
                f"{bad}_rate_lb95",
                limit,
                severity=WARNING,
                column=col,
                description=f"At most {pct(limit)} {label} (95% lower bound).",
                count=bad,
                total=n,
                describe=describe,
            )
        )
    return out


def _lake_documents(dirs: list[Path], keys: pl.DataFrame) -> pl.DataFrame:
    """Which of ``keys`` (fir_key, record_version) exist as FIR documents in any of ``dirs``."""
    if not dirs or keys.is_empty():
        return keys.head(0)
    idx = pl.scan_parquet([d / "_index_fir.parquet" for d in dirs], hive_partitioning=False)
    wanted = keys.unique()
    found = idx.select(*FIR_DOC_KEY).join(wanted.lazy(), on=list(FIR_DOC_KEY), how="semi").unique().collect()
    return found.cast({"record_version": keys.schema["record_version"]})


def metrics(batch: UploadBatch) -> pl.DataFrame:
    """Every committed load folder (``batch.lake_dirs``) is consulted only for rows orphaned in their load."""
    lake_dirs = batch.lake_dirs
    fir = batch.table("fir")
    docs = fir.select("load_id", *FIR_DOC_KEY)
    frame = batch.targets.select("load_id")
    for entity in FIR_CHILDREN:
        bad, n = _orphans(entity)
        child = batch.table(entity).select("load_id", *FIR_DOC_KEY)
        orphan = child.join(docs, on=["load_id", *FIR_DOC_KEY], how="anti")
        if not orphan.is_empty() and lake_dirs:
            elsewhere = _lake_documents(lake_dirs, orphan.select(*FIR_DOC_KEY))
            orphan = orphan.join(elsewhere, on=list(FIR_DOC_KEY), how="anti")
        sample = safe_name(entity, "sample")
        counts = (
            child.group_by("load_id")
            .len(name=n)
            .join(
                orphan.group_by("load_id").agg(
                    pl.len().alias(bad),
                    pl.col("fir_key").unique().sort().head(3).alias("__s"),
                ),
                on="load_id",
                how="left",
            )
            .with_columns(
                pl.col("__s").map_elements(lambda v: str(list(v)), return_dtype=pl.Utf8).alias(sample)
            )
            .drop("__s")
        )
        frame = frame.join(per_load(batch.targets, counts, {n: 0, bad: 0}), on="load_id", how="left")

    live = fir.filter(~pl.col("is_tombstone").fill_null(False)).select("load_id", *FIR_DOC_KEY)
    with_sections = batch.table("act_section").select("load_id", *FIR_DOC_KEY).unique()
    no_sections = live.join(with_sections, on=["load_id", *FIR_DOC_KEY], how="anti")
    counts = (
        live.group_by("load_id")
        .len(name="fir__documents")
        .join(no_sections.group_by("load_id").len(name="fir__without_sections"), on="load_id", how="left")
    )
    frame = frame.join(
        per_load(batch.targets, counts, {"fir__documents": 0, "fir__without_sections": 0}),
        on="load_id",
        how="left",
    )

    key = ["load_id", *FIR_DOC_KEY]
    hearing = batch.table("hearing").select(*key, "court_case_no")
    cases = batch.table("court_case").select(*key, "court_case_no").unique()
    arrest = batch.table("arrest").select(*key, "person_seq")
    accused = batch.table("person").filter(pl.col("role") == "ACCUSED").select(*key, "person_seq").unique()
    for prefix, rows, parents, on in (
        ("hearing", hearing, cases, [*key, "court_case_no"]),
        ("arrest", arrest, accused, [*key, "person_seq"]),
    ):
        dangling = rows.join(parents, on=on, how="anti")
        counts = (
            rows.group_by("load_id")
            .len(name=f"{prefix}__rows")
            .join(dangling.group_by("load_id").len(name=f"{prefix}__dangling"), on="load_id", how="left")
        )
        part = per_load(batch.targets, counts, {f"{prefix}__rows": 0, f"{prefix}__dangling": 0})
        part = part.with_columns(
            wilson_lower_expr(f"{prefix}__dangling", f"{prefix}__rows").alias(f"{prefix}__dangling_rate_lb95")
        )
        frame = frame.join(part.drop(f"{prefix}__rows"), on="load_id", how="left")  # rows: already there
    return frame
