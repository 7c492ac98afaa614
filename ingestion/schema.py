"""What ingestion passes between its steps: the upload's context, and the three layers of tables.

The tables' columns and types are defined once, in the schema registry :mod:`core.schema`;
this module describes what each layer holds:

* **raw tables** (adapters -> checks, :func:`core.schema.raw_schema`): one polars DataFrame per cas_csv table, every interface
  column as text (``pl.Utf8``) plus the lineage columns ``_file`` (file name in the upload),
  ``_row`` (1-based record number in that file: CSV data record, JSON line, ``<FIR>`` element;
  child rows of JSONL/XML carry their FIR's line/element) and ``_bad_utf8`` (the record held bytes
  that are not UTF-8; its text carries U+FFFD in their place). Dates and timestamps are
  canonicalised by the adapter to ``YYYY-MM-DD`` / ``YYYY-MM-DD HH:MM:SS`` when they parse in the
  format's notation, and kept verbatim otherwise, so the checks see the State's bad value.
  Sequence numbers a JSONL/XML record leaves out (section ``seq``, ``person_seq``,
  ``property_seq``, ``report_seq``) are filled by position within the FIR document, so a key
  column is empty only when the State sent it empty (then the checks quarantine the document).
* **standardised tables** (checks -> lake): typed, codes validated, names transliterated, with
  the lineage columns of :data:`core.schema.LINEAGE` on every row (:func:`core.schema.national_schema`).
  These are the lake's Parquet files.
* **issues** (checks -> quarantine and feedback): one row per rule hit, :data:`core.schema.ISSUE_SCHEMA`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class UploadContext:
    """What the checks need to know about the upload being read."""

    upload_id: str
    state_code: str
    extract_date: dt.date
    generated_at: dt.datetime  # tz-aware
    fmt: str


def fir_key_expr() -> pl.Expr:
    """FIR key string from the five key columns (works on raw and standardised tables)."""
    return pl.concat_str(
        [
            pl.col("state_code"),
            pl.col("district_code"),
            pl.col("ps_code"),
            pl.col("fir_year").cast(pl.Utf8),
            pl.col("fir_no"),
        ],
        separator="-",
    )
