"""The national schema: what every State's upload becomes, whatever its format.

Three layers meet here:

* **raw tables** (adapters -> checks): one polars DataFrame per cas_csv table, every interface
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
  the lineage columns of :data:`LINEAGE` on every row. These are the lake's Parquet files.
* **issues** (checks -> quarantine and feedback): one row per rule hit, :data:`ISSUE_SCHEMA`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import polars as pl

from core import extract_spec as spec

IST_TZ: Final = "Asia/Kolkata"
TS: Final = pl.Datetime("us", IST_TZ)

RAW_LINEAGE: Final = ("_file", "_row", "_bad_utf8")
RAW_LINEAGE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "_file": pl.Utf8(),
    "_row": pl.Int64(),
    "_bad_utf8": pl.Boolean(),
}


def raw_schema(file: str) -> dict[str, pl.DataType]:
    """Schema of a raw table: the interface's columns as text, then the lineage columns."""
    return {c: pl.Utf8() for c in spec.CAS_COLUMNS[file]} | RAW_LINEAGE_SCHEMA


def empty_raw(file: str) -> pl.DataFrame:
    return pl.DataFrame(schema=raw_schema(file))


#: Lineage on every standardised row (the orchestrator fills load_id and upload_id).
LINEAGE: Final[dict[str, pl.DataType]] = {
    "load_id": pl.Utf8(),
    "upload_id": pl.Utf8(),
    "source_file": pl.Utf8(),
    "source_row": pl.Int64(),
    "warning_codes": pl.List(pl.Utf8()),
}

_FIR_KEY_COLS: Final[dict[str, pl.DataType]] = {
    "fir_key": pl.Utf8(),  # "SS-DDD-PPPPP-YYYY-NNNN"
    "state_code": pl.Utf8(),
    "district_code": pl.Utf8(),
    "ps_code": pl.Utf8(),
    "fir_year": pl.Int32(),
    "fir_no": pl.Utf8(),
    "record_version": pl.Int32(),  # the document's version, on every child row too
}

#: Standardised (lake) schema per entity, keyed by the cas_csv file it comes from.
NATIONAL: Final[dict[str, dict[str, pl.DataType]]] = {
    "fir.csv": _FIR_KEY_COLS
    | {
        "registered_at": TS,
        "occurred_from": TS,
        "occurred_to": TS,
        "info_received_at": TS,
        "gd_entry_no": pl.Utf8(),
        "info_type": pl.Utf8(),
        "place_lat": pl.Float64(),
        "place_lon": pl.Float64(),
        "beat_no": pl.Utf8(),
        "is_zero_fir": pl.Boolean(),
        "transferred_to_ps": pl.Utf8(),
        "io_name": pl.Utf8(),
        "io_rank": pl.Utf8(),
        "brief_facts": pl.Utf8(),
        "status": pl.Utf8(),
        "status_date": pl.Date(),
        "last_modified": TS,
        "offence_date": pl.Date(),  # date of occurred_from (registered_at when absent)
        "law_code": pl.Utf8(),  # IPC or BNS: the general law in force on offence_date
        "is_tombstone": pl.Boolean(),  # status EXPUNGED
        "content_hash": pl.Utf8(),  # hash of the whole document's standardised content
    },
    "act_section.csv": _FIR_KEY_COLS
    | {
        "seq": pl.Int32(),
        "act": pl.Utf8(),
        "section": pl.Utf8(),  # canonical: no spaces, upper-case letters, e.g. 303(2), 376DA
        "section_raw": pl.Utf8(),
        "crime_head_code": pl.Utf8(),  # from ref_sections; the act's residual head if unknown
        "severity_rank": pl.Int64(),
    },
    "crime_details.csv": _FIR_KEY_COLS
    | {
        "place_type": pl.Utf8(),
        "mo_class": pl.Utf8(),
        "entry_method": pl.Utf8(),
        "tools_used": pl.Utf8(),
        "target": pl.Utf8(),
        "time_of_day": pl.Utf8(),
        "mo_text": pl.Utf8(),
    },
    "person.csv": _FIR_KEY_COLS
    | {
        "person_seq": pl.Utf8(),
        "role": pl.Utf8(),
        "name": pl.Utf8(),  # NFC-normalised, spaces collapsed, as written
        "name_latin": pl.Utf8(),  # Latin transliteration (Indic scripts -> roman), title case
        "name_key": pl.Utf8(),  # matching key: lower-case ASCII letters and single spaces
        "alias": pl.Utf8(),
        "relative_name": pl.Utf8(),
        "gender": pl.Utf8(),
        "birth_year": pl.Int32(),
        "age": pl.Int32(),
        "nationality": pl.Utf8(),
        "address": pl.Utf8(),
        "address_district_code": pl.Utf8(),
        "height_cm": pl.Int32(),
        "complexion": pl.Utf8(),
        "identification_marks": pl.Utf8(),
        "occupation": pl.Utf8(),
        "script": pl.Utf8(),  # script the name was written in (Latin, Devanagari, Tamil, ...)
    },
    "arrest.csv": _FIR_KEY_COLS
    | {"person_seq": pl.Utf8(), "arrested_on": pl.Date(), "arrest_status": pl.Utf8()},
    "property.csv": _FIR_KEY_COLS
    | {
        "property_seq": pl.Int32(),
        "nature": pl.Utf8(),
        "category": pl.Utf8(),
        "description": pl.Utf8(),
        "value_inr": pl.Int64(),
        "vehicle_reg_no": pl.Utf8(),  # upper-case, no spaces or dashes
        "chassis_no": pl.Utf8(),
        "engine_no": pl.Utf8(),
        "chassis_key": pl.Utf8(),  # look-alike characters folded (S->5, Z->2, I->1, O->0, B->8)
        "engine_key": pl.Utf8(),
        "make": pl.Utf8(),
        "event_date": pl.Date(),
    },
    "final_report.csv": _FIR_KEY_COLS
    | {
        "report_seq": pl.Int32(),
        "report_date": pl.Date(),
        "report_type": pl.Utf8(),
        "is_supplementary": pl.Boolean(),
    },
    "court_case.csv": _FIR_KEY_COLS
    | {
        "court_case_no": pl.Utf8(),
        "court_name": pl.Utf8(),
        "committed_on": pl.Date(),
        "disposal_date": pl.Date(),
        "result": pl.Utf8(),
    },
    "hearing.csv": _FIR_KEY_COLS
    | {
        "court_case_no": pl.Utf8(),
        "hearing_date": pl.Date(),
        "adjourned": pl.Boolean(),
        "sought_by": pl.Utf8(),
    },
    "missing_person.csv": {
        "register_key": pl.Utf8(),  # "SS-PPPPP-<report_no>"
        "state_code": pl.Utf8(),
        "district_code": pl.Utf8(),
        "ps_code": pl.Utf8(),
        "report_no": pl.Utf8(),
        "report_date": pl.Date(),
        "name": pl.Utf8(),
        "name_latin": pl.Utf8(),
        "name_key": pl.Utf8(),
        "gender": pl.Utf8(),
        "age": pl.Int32(),
        "height_cm": pl.Int32(),
        "complexion": pl.Utf8(),
        "identification_marks": pl.Utf8(),
        "last_seen_on": pl.Date(),
        "last_seen_place": pl.Utf8(),
        "status": pl.Utf8(),
        "record_version": pl.Int32(),
    },
    "unidentified_body.csv": {
        "register_key": pl.Utf8(),  # "SS-PPPPP-<ud_case_no>"
        "state_code": pl.Utf8(),
        "district_code": pl.Utf8(),
        "ps_code": pl.Utf8(),
        "ud_case_no": pl.Utf8(),
        "found_on": pl.Date(),
        "gender": pl.Utf8(),
        "age_low": pl.Int32(),
        "age_high": pl.Int32(),
        "height_cm": pl.Int32(),
        "complexion": pl.Utf8(),
        "identification_marks": pl.Utf8(),
        "found_place": pl.Utf8(),
        "place_lat": pl.Float64(),
        "place_lon": pl.Float64(),
        "record_version": pl.Int32(),
    },
}

#: Lake table name of each entity (Parquet file name without extension).
ENTITY: Final[dict[str, str]] = {
    "fir.csv": "fir",
    "act_section.csv": "act_section",
    "crime_details.csv": "crime_details",
    "person.csv": "person",
    "arrest.csv": "arrest",
    "property.csv": "property",
    "final_report.csv": "final_report",
    "court_case.csv": "court_case",
    "hearing.csv": "hearing",
    "missing_person.csv": "missing_person",
    "unidentified_body.csv": "unidentified_body",
}


def national_schema(file: str) -> dict[str, pl.DataType]:
    return NATIONAL[file] | LINEAGE


ISSUE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "entity": pl.Utf8(),  # cas_csv table name, "upload" or "file"
    "source_file": pl.Utf8(),  # file in the upload (firs.jsonl for a JSONL child row)
    "source_row": pl.Int64(),  # record number in that file (null for upload/file-level issues)
    "fir_key": pl.Utf8(),  # FIR document affected (null for registers and upload-level)
    "register_key": pl.Utf8(),  # register record affected (missing person / UIDB)
    "rule_code": pl.Utf8(),
    "severity": pl.Utf8(),
    "field": pl.Utf8(),
    "value": pl.Utf8(),
    "message": pl.Utf8(),
}


def empty_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


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
