"""Apply one checked upload: the phases of :meth:`ingestion.pipeline.Ingestor._apply`.

The data flows through four phases, each a function here:

1. :func:`classify_fir_versions`: every FIR document without an error is compared with the
   version stored in the lake: applied, unchanged, stale (113) or in conflict (114);
2. :func:`classify_register_versions`: likewise every register record (stale: 806);
3. :func:`split_tables`: every table split into the rows applied to the lake and the rows
   quarantined (with their rule codes, messages and values as received), plus the records no
   adapter could turn into rows (120);
4. :func:`ledger_counts`: the ledger's counts of the load (records and FIR documents).

Each phase returns the issues it was given with the ones it adds appended, in the order the
phases run, so the issue list (and the State's feedback) is the same as one pass would give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from core import extract_spec as spec
from core.schema import QUARANTINE_SCHEMA, national_schema
from ingestion.catalogue import rule
from ingestion.store import Store

#: An error issue's severity.
_IS_ERROR = pl.col("severity") == "error"


def _message_expr(code: str, *columns: str) -> pl.Expr:
    """The catalogue message of ``code`` with ``{value}`` (and ``{expected}``) from ``columns``."""
    return pl.format(rule(code).message.replace("{value}", "{}").replace("{expected}", "{}"), *columns)


# --- 1. FIR document versions -------------------------------------------------------------------
@dataclass
class FirVersions:
    """What happens to each FIR document of the upload.

    ``actions``: one row per document without an error (fir_key, record_version, content_hash,
    source_file, source_row, stored_version, stored_hash) with its ``action``: ``apply``,
    ``unchanged``, ``stale`` or ``conflict``. ``bad_keys``: the FIR keys quarantined (an error, or
    a stale or conflicting version). ``issues``: the upload's issues with 113/114 appended.
    """

    actions: pl.DataFrame
    bad_keys: set[str]
    issues: pl.DataFrame

    @property
    def apply_keys(self) -> pl.Series:
        return self.actions.filter(pl.col("action") == "apply")["fir_key"]

    @property
    def unchanged_keys(self) -> pl.Series:
        return self.actions.filter(pl.col("action") == "unchanged")["fir_key"]

    @property
    def stale(self) -> int:
        return int((self.actions["action"] == "stale").sum())


def classify_fir_versions(store: Store, fir: pl.DataFrame, issues: pl.DataFrame) -> FirVersions:
    """Compare every FIR document without an error with its stored version.

    A higher ``record_version`` (or a new key) is applied as a new version of the whole document;
    the same version with the same content changes nothing; a lower one is stale (113); the same
    version with other content conflicts (114). Stale and conflicting documents are quarantined.
    """
    bad_keys = set(issues.filter(_IS_ERROR)["fir_key"].drop_nulls().to_list())
    cand = fir.filter(~pl.col("fir_key").is_in(list(bad_keys)) & pl.col("fir_key").is_not_null())
    stored = store.fir_versions(cand.select("fir_key"))
    cls = cand.select("fir_key", "record_version", "content_hash", "source_file", "source_row").join(
        stored, on="fir_key", how="left"
    )
    cls = cls.with_columns(
        pl.when(pl.col("stored_version").is_null() | (pl.col("record_version") > pl.col("stored_version")))
        .then(pl.lit("apply"))
        .when(pl.col("record_version") < pl.col("stored_version"))
        .then(pl.lit("stale"))
        .when(pl.col("content_hash") == pl.col("stored_hash"))
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("conflict"))
        .alias("action")
    )
    hist = cls.filter(pl.col("action").is_in(["stale", "conflict"]))
    if hist.height:
        issues = pl.concat([issues, _version_issues(hist)], how="vertical_relaxed")
        bad_keys |= set(hist["fir_key"].to_list())
    return FirVersions(cls, bad_keys, issues)


def _version_issues(hist: pl.DataFrame) -> pl.DataFrame:
    """Issues 113 (stale) and 114 (conflict) of the classified documents ``hist``."""
    stale = pl.col("action") == "stale"
    return hist.select(
        pl.lit("fir.csv").alias("entity"),
        "source_file",
        "source_row",
        "fir_key",
        pl.lit(None, pl.Utf8).alias("register_key"),
        pl.when(stale).then(pl.lit("113")).otherwise(pl.lit("114")).alias("rule_code"),
        pl.lit("error").alias("severity"),
        pl.lit("record_version").alias("field"),
        pl.col("record_version").cast(pl.Utf8).alias("value"),
        pl.when(stale)
        .then(_message_expr("113", "record_version", "stored_version"))
        .otherwise(_message_expr("114", "record_version"))
        .alias("message"),
    )


# --- 2. register record versions ----------------------------------------------------------------
@dataclass
class RegisterVersions:
    """What happens to the register records, per register file.

    ``bad_rows``: source rows quarantined (an error or a stale version); ``applied``: the records
    applied (new key or higher version); ``unchanged``: how many came again with the stored
    version; ``index``: (entity, register_key, record_version) of every applied record;
    ``issues``: the issues given with 806 appended.
    """

    issues: pl.DataFrame
    bad_rows: dict[str, set[int]] = field(default_factory=dict)
    applied: dict[str, pl.DataFrame] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    index: list[dict[str, Any]] = field(default_factory=list)


def classify_register_versions(
    store: Store, tables: dict[str, pl.DataFrame], issues: pl.DataFrame
) -> RegisterVersions:
    """Compare every register record without an error with its stored version: a new key or a
    higher ``record_version`` is applied, the same version is unchanged, a lower one is stale (806)."""
    out = RegisterVersions(issues)
    for file in spec.REGISTER_FILES:
        df = tables[file]
        bad = set(
            out.issues.filter(_IS_ERROR & (pl.col("source_file") == file))["source_row"]
            .drop_nulls()
            .to_list()
        )
        ok = df.filter(~pl.col("source_row").is_in(list(bad)) & pl.col("register_key").is_not_null())
        stored = store.register_versions(file, ok.select("register_key"))
        ok = ok.join(stored, on="register_key", how="left")
        stale = ok.filter(
            pl.col("stored_version").is_not_null() & (pl.col("record_version") < pl.col("stored_version"))
        )
        if stale.height:
            out.issues = pl.concat([out.issues, _stale_register_issues(file, stale)], how="vertical_relaxed")
            bad |= set(stale["source_row"].to_list())
        applied = ok.filter(
            pl.col("stored_version").is_null() | (pl.col("record_version") > pl.col("stored_version"))
        )
        out.unchanged[file] = ok.filter(pl.col("record_version") == pl.col("stored_version")).height
        out.applied[file] = applied.drop("stored_version")
        out.bad_rows[file] = bad
        out.index.extend(
            {"entity": file, "register_key": k, "record_version": v}
            for k, v in applied.select("register_key", "record_version").iter_rows()
        )
    return out


def _stale_register_issues(file: str, stale: pl.DataFrame) -> pl.DataFrame:
    """Issues 806 of the register records ``stale`` of ``file``."""
    return stale.select(
        pl.lit(file).alias("entity"),
        "source_file",
        "source_row",
        pl.lit(None, pl.Utf8).alias("fir_key"),
        "register_key",
        pl.lit("806").alias("rule_code"),
        pl.lit("error").alias("severity"),
        pl.lit("record_version").alias("field"),
        pl.col("record_version").cast(pl.Utf8).alias("value"),
        _message_expr("806", "record_version", "stored_version").alias("message"),
    )


# --- 3. applied rows and quarantine -------------------------------------------------------------
@dataclass
class _Errors:
    """The error issues' rule codes and messages, by FIR key and by (source file, source row)."""

    by_key: pl.DataFrame
    by_row: pl.DataFrame

    @classmethod
    def of(cls, issues: pl.DataFrame) -> _Errors:
        agg = (pl.col("rule_code").alias("rule_codes"), pl.col("message").alias("messages"))
        errors = issues.filter(_IS_ERROR)
        return cls(
            errors.group_by("fir_key").agg(*agg),
            errors.group_by("source_file", "source_row").agg(*agg),
        )


def split_tables(
    tables: dict[str, pl.DataFrame],
    raw_tables: dict[str, pl.DataFrame],
    issues: pl.DataFrame,
    firs: FirVersions,
    registers: RegisterVersions,
    load_id: str,
    upload_id: str,
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Split every table into the rows applied to the lake (national schema) and the quarantine.

    A FIR document is applied or quarantined whole (all its rows in every FIR file); a register
    record on its own. ``issues``: all the issues of the upload (after both classifications).
    """
    errors = _Errors.of(issues)
    bad_list = list(firs.bad_keys)
    apply_keys = firs.apply_keys
    out_tables: dict[str, pl.DataFrame] = {}
    quarantine_parts = []
    for file in spec.CAS_COLUMNS:
        df = tables[file].with_columns(pl.lit(load_id).alias("load_id"), pl.lit(upload_id).alias("upload_id"))
        if file in spec.REGISTER_FILES:
            is_bad = (
                pl.col("source_row").is_in(list(registers.bad_rows[file])) | pl.col("register_key").is_null()
            )
        else:
            is_bad = pl.col("fir_key").is_in(bad_list) | pl.col("fir_key").is_null()
        bad_mask = df.select(is_bad.fill_null(True).alias("m"))["m"]
        q = _with_raw_values(file, df.filter(bad_mask), df, raw_tables[file], bad_mask)
        if file in spec.REGISTER_FILES:
            keep = registers.applied[file].with_columns(
                pl.lit(load_id).alias("load_id"), pl.lit(upload_id).alias("upload_id")
            )
            q = q.join(errors.by_row, on=["source_file", "source_row"], how="left")
            q = q.with_columns(pl.lit(None, pl.Utf8).alias("fir_key"))
        else:
            keep = df.filter(pl.col("fir_key").is_in(apply_keys.implode()))
            q = _with_fir_errors(q, errors)
        out_tables[file] = keep.select(list(national_schema(file)))
        quarantine_parts.append(_quarantine_rows(q, file, load_id, upload_id))
    unparsed = _unparsed_records(issues, load_id, upload_id)
    if unparsed is not None:
        quarantine_parts.append(unparsed)
    quarantine = (
        pl.concat(quarantine_parts, how="vertical_relaxed")
        if quarantine_parts
        else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    )
    return out_tables, quarantine


def _with_raw_values(
    file: str, q: pl.DataFrame, df: pl.DataFrame, rawdf: pl.DataFrame, bad_mask: pl.Series
) -> pl.DataFrame:
    """``q`` (the rejected rows of ``df``) with a ``raw`` column: their values as received.

    The checks return one standardised row per raw row, in order, so the same mask selects the
    raw rows; if the counts differ the raw values are left out (null).
    """
    if df.height == rawdf.height:
        raw_cols = pl.struct(list(spec.CAS_COLUMNS[file])).struct.json_encode().alias("raw")
        return q.with_columns(rawdf.filter(bad_mask).select(raw_cols)["raw"])
    return q.with_columns(pl.lit(None, pl.Utf8).alias("raw"))


def _with_fir_errors(q: pl.DataFrame, errors: _Errors) -> pl.DataFrame:
    """Rejected rows of a FIR file with the errors of their document; rows without a usable FIR
    key carry their issues by file and row."""
    q = q.join(errors.by_key, on="fir_key", how="left")
    q = q.join(
        errors.by_row.rename({"rule_codes": "rc2", "messages": "m2"}),
        on=["source_file", "source_row"],
        how="left",
    ).with_columns(
        pl.coalesce("rule_codes", "rc2").alias("rule_codes"),
        pl.coalesce("messages", "m2").alias("messages"),
    )
    return q.with_columns(
        pl.lit(None, pl.Utf8).alias("register_key")
        if "register_key" not in q.columns
        else pl.col("register_key")
    )


def _quarantine_rows(q: pl.DataFrame, file: str, load_id: str, upload_id: str) -> pl.DataFrame:
    """The quarantine rows (columns of the quarantine table) of the rejected rows ``q`` of ``file``."""
    return q.select(
        pl.lit(load_id).alias("load_id"),
        pl.lit(upload_id).alias("upload_id"),
        pl.lit(file).alias("entity"),
        "source_file",
        "source_row",
        "fir_key",
        "register_key",
        pl.col("rule_codes").fill_null(pl.lit([], pl.List(pl.Utf8))),
        pl.col("messages").fill_null(pl.lit([], pl.List(pl.Utf8))),
        "raw",
    )


def _unparsed_records(issues: pl.DataFrame, load_id: str, upload_id: str) -> pl.DataFrame | None:
    """Quarantine rows of the records no adapter could turn into rows (unparseable JSON lines /
    FIR elements, rule 120), or None if there are none."""
    unparsed = issues.filter(pl.col("rule_code") == "120")
    if not unparsed.height:
        return None
    return unparsed.select(
        pl.lit(load_id).alias("load_id"),
        pl.lit(upload_id).alias("upload_id"),
        pl.lit("record").alias("entity"),
        "source_file",
        "source_row",
        "fir_key",
        "register_key",
        pl.concat_list("rule_code").alias("rule_codes"),
        pl.concat_list("message").alias("messages"),
        pl.col("value").alias("raw"),
    )


# --- 4. the ledger's counts ---------------------------------------------------------------------
def ledger_counts(
    fir: pl.DataFrame,
    files: pl.DataFrame,
    out_tables: dict[str, pl.DataFrame],
    issues: pl.DataFrame,
    firs: FirVersions,
    registers: RegisterVersions,
) -> dict[str, Any]:
    """The ledger's counts of an applied load: records (per-file sums of ``files``), FIR documents
    (sent, applied, unchanged, quarantined, stale), tombstones, register rows, errors, warnings."""
    fir_docs_in = fir.select(pl.struct("source_file", "source_row").n_unique()).item() if fir.height else 0
    return {
        "rows_in": int(files["rows_in"].sum()),
        "rows_loaded": int(files["rows_loaded"].sum()),
        "rows_quarantined": int(files["rows_quarantined"].sum()),
        "fir_docs_in": fir_docs_in,
        "fir_docs_applied": firs.apply_keys.len(),
        "fir_docs_unchanged": firs.unchanged_keys.len(),
        "fir_docs_quarantined": len(firs.bad_keys & set(fir["fir_key"].drop_nulls().to_list())),
        "fir_docs_stale": firs.stale,
        "tombstones": int(out_tables["fir.csv"]["is_tombstone"].sum()),
        "register_rows_applied": sum(df.height for df in registers.applied.values()),
        "errors": issues.filter(_IS_ERROR).height,
        "warnings": issues.filter(pl.col("severity") == "warning").height,
    }
