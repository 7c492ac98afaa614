"""The schema registry: every table the data passes through, from the State's extract to the lake.

One place defines, once:

* the **entities**: the FIR document's parts (``fir`` and its child tables) and the two
  stand-alone registers, in the order of the cas_csv files (:data:`ENTITIES`). For each, an
  :class:`Entity` holds

  - ``file`` / ``extract_columns``: the cas_csv file and its columns in interface order. These
    come from :mod:`core.extract_spec` (``shared/EXTRACT_SPEC.md``, a fixed external contract),
    which stays the only place that spells the interface out;
  - ``lake_columns``: the standardised (lake) columns and their Polars types; the lake's
    ``<entity>.parquet`` is these plus :data:`LINEAGE` (:attr:`Entity.lake_schema`);
  - ``record_key``: the extract columns identifying the State's record (the FIR key, or a
    register's State, station and number);
  - ``key``: the lake columns identifying one row: the document version (:attr:`Entity.doc_key`,
    ``fir_key``/``register_key`` and ``record_version``) plus the row's key within it
    (``child_key``). Ingestion makes every key column an error when empty or repeated, and the
    dbt models test the same keys;
  - ``mandatory``: the other extract columns that must not be empty (an error in ingestion);
* the **raw tables** the adapters produce (:func:`raw_schema`: the extract columns as text plus
  :data:`RAW_LINEAGE_SCHEMA`);
* the **per-load tables** of the lake and quarantine: :data:`ISSUE_SCHEMA` (``issues.parquet``),
  :data:`LEDGER_SCHEMA` (``load.parquet``, the load ledger), :data:`FILES_SCHEMA`
  (``files.parquet``), :data:`QUARANTINE_SCHEMA` (``quarantine.parquet``), the State feedback
  files' :data:`FEEDBACK_COLUMNS`, and the Hive partition columns :data:`LAKE_PARTITIONS`.

Everything else (adapters, checks, standardisation, the store, the quality gate's lake reader
and suites, the warehouse build, the benchmarks) derives its lists from here. The dbt project
cannot import Python: ``tests/core/test_schema.py`` checks that the ``lake_batch`` sources and
the staging models agree with this registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import polars as pl

from core import extract_spec as spec

IST_TZ: Final = "Asia/Kolkata"
#: Timestamps in the lake: microseconds, IST-aware.
TS: Final = pl.Datetime("us", IST_TZ)

Part = Literal["fir", "fir_child", "register"]

# --------------------------------------------------------------------------------------------
# Raw tables (adapters -> checks)
# --------------------------------------------------------------------------------------------

RAW_LINEAGE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "_file": pl.Utf8(),  # file name in the upload
    "_row": pl.Int64(),  # 1-based record number in that file
    "_bad_utf8": pl.Boolean(),  # the record held bytes that are not UTF-8
}
RAW_LINEAGE: Final = tuple(RAW_LINEAGE_SCHEMA)

# --------------------------------------------------------------------------------------------
# Lake tables (standardised entities)
# --------------------------------------------------------------------------------------------

#: Lineage on every standardised row (the orchestrator fills load_id and upload_id).
LINEAGE: Final[dict[str, pl.DataType]] = {
    "load_id": pl.Utf8(),
    "upload_id": pl.Utf8(),
    "source_file": pl.Utf8(),
    "source_row": pl.Int64(),
    "warning_codes": pl.List(pl.Utf8()),
}
#: Hive partition folders of the lake and quarantine: ``state_code=SS/load_id=L/``.
LAKE_PARTITIONS: Final = ("state_code", "load_id")

FIR_DOC_KEY: Final = ("fir_key", "record_version")
REGISTER_DOC_KEY: Final = ("register_key", "record_version")

_FIR_KEY_COLS: Final[dict[str, pl.DataType]] = {
    "fir_key": pl.Utf8(),  # "SS-DDD-PPPPP-YYYY-NNNN"
    "state_code": pl.Utf8(),
    "district_code": pl.Utf8(),
    "ps_code": pl.Utf8(),
    "fir_year": pl.Int32(),
    "fir_no": pl.Utf8(),
    "record_version": pl.Int32(),  # the document's version, on every child row too
}

#: Standardised (lake) columns per entity without lineage, keyed by the cas_csv file.
_LAKE: Final[dict[str, dict[str, pl.DataType]]] = {
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

#: Key of a row within its document version, besides the document key (empty: one per document).
_CHILD_KEY: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": (),
    "act_section.csv": ("seq",),
    "crime_details.csv": (),  # one per FIR
    "person.csv": ("person_seq",),
    "arrest.csv": ("person_seq", "arrested_on"),
    "property.csv": ("property_seq",),
    "final_report.csv": ("report_seq",),
    "court_case.csv": ("court_case_no",),
    "hearing.csv": ("court_case_no", "hearing_date"),
    "missing_person.csv": (),
    "unidentified_body.csv": (),
}
#: Extract columns besides the record and child keys that must not be empty: ingestion reports an empty one as an
#: error (FIR 106, registers 802; a structural enumeration of a child row its table's code rule).
_MANDATORY: Final[dict[str, tuple[str, ...]]] = {
    "fir.csv": ("registered_at", "occurred_from", "status", "record_version", "last_modified"),
    "person.csv": ("role",),
    "property.csv": ("nature", "category"),
    "arrest.csv": ("arrest_status",),
    "final_report.csv": ("report_type",),
    "court_case.csv": ("result",),
    "missing_person.csv": ("report_date", "gender", "record_version"),
    "unidentified_body.csv": ("found_on", "gender", "record_version"),
}
#: The number of a register record within its police station (the register key's last part).
_REGISTER_NUMBER: Final[dict[str, str]] = {
    "missing_person.csv": "report_no",
    "unidentified_body.csv": "ud_case_no",
}


@dataclass(frozen=True, eq=False)
class Entity:
    """One entity: a cas_csv file of the extract and the lake table it becomes."""

    file: str
    part: Part
    lake_columns: dict[str, pl.DataType]
    record_key: tuple[str, ...]
    child_key: tuple[str, ...]
    mandatory: tuple[str, ...]

    @property
    def name(self) -> str:
        """Lake table name (``<name>.parquet``, the dbt source ``lake_batch.<name>``)."""
        return self.file.removesuffix(".csv")

    @property
    def extract_columns(self) -> tuple[str, ...]:
        """The cas_csv columns in interface order (EXTRACT_SPEC.md)."""
        return spec.CAS_COLUMNS[self.file]

    @property
    def is_register(self) -> bool:
        return self.part == "register"

    @property
    def doc_key(self) -> tuple[str, ...]:
        """Lake columns identifying the document version a row belongs to."""
        return REGISTER_DOC_KEY if self.is_register else FIR_DOC_KEY

    @property
    def key(self) -> tuple[str, ...]:
        """Lake columns identifying one row of the entity."""
        return (*self.doc_key, *self.child_key)

    @property
    def register_number(self) -> str | None:
        """A register's record number column (``report_no``, ``ud_case_no``); None otherwise."""
        return self.record_key[-1] if self.is_register else None

    @property
    def lake_schema(self) -> dict[str, pl.DataType]:
        """Columns and types of the lake's ``<name>.parquet``: lake columns, then lineage."""
        return self.lake_columns | LINEAGE

    @property
    def raw_schema(self) -> dict[str, pl.DataType]:
        """Schema of the raw table: the extract columns as text, then the raw lineage."""
        return {c: pl.Utf8() for c in self.extract_columns} | RAW_LINEAGE_SCHEMA


def _part(file: str) -> Part:
    if file in spec.REGISTER_FILES:
        return "register"
    return "fir_child" if file in spec.FIR_CHILD_FILES else "fir"


def _entity(file: str) -> Entity:
    part = _part(file)
    record_key = ("state_code", "ps_code", _REGISTER_NUMBER[file]) if part == "register" else spec.FIR_KEY
    return Entity(file, part, _LAKE[file], record_key, _CHILD_KEY[file], _MANDATORY.get(file, ()))


#: Every entity, in the order of the cas_csv files (fir, its children, the registers).
ENTITIES: Final[tuple[Entity, ...]] = tuple(_entity(f) for f in spec.CAS_COLUMNS)
BY_FILE: Final[dict[str, Entity]] = {e.file: e for e in ENTITIES}
BY_NAME: Final[dict[str, Entity]] = {e.name: e for e in ENTITIES}
#: Lake table names, in entity order.
ENTITY_NAMES: Final[tuple[str, ...]] = tuple(BY_NAME)
FIR: Final = BY_FILE["fir.csv"]
#: The FIR document's child tables (lake names) and the stand-alone registers.
FIR_CHILDREN: Final[tuple[str, ...]] = tuple(e.name for e in ENTITIES if e.part == "fir_child")
REGISTERS: Final[tuple[str, ...]] = tuple(e.name for e in ENTITIES if e.is_register)
#: cas_csv file -> lake table name.
ENTITY: Final[dict[str, str]] = {e.file: e.name for e in ENTITIES}


def entity(name_or_file: str) -> Entity:
    """The entity of a lake table name (``person``) or cas_csv file (``person.csv``)."""
    return BY_FILE.get(name_or_file) or BY_NAME[name_or_file]


def raw_schema(file: str) -> dict[str, pl.DataType]:
    return BY_FILE[file].raw_schema


def empty_raw(file: str) -> pl.DataFrame:
    return pl.DataFrame(schema=raw_schema(file))


def lake_columns(file: str) -> dict[str, pl.DataType]:
    """Standardised columns of an entity's cas_csv file, without lineage."""
    return BY_FILE[file].lake_columns


def national_schema(file: str) -> dict[str, pl.DataType]:
    """Schema of the lake table of a cas_csv file (lake columns and lineage)."""
    return BY_FILE[file].lake_schema


# --------------------------------------------------------------------------------------------
# Per-load tables: issues, ledger, files, quarantine, feedback
# --------------------------------------------------------------------------------------------

#: ``issues.parquet``: one row per rule hit (checks -> quarantine and feedback).
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


#: ``load.parquet``: the load ledger, one row per committed upload.
LEDGER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "load_id": pl.Utf8(),
    "upload_id": pl.Utf8(),
    "source_name": pl.Utf8(),
    "upload_hash": pl.Utf8(),
    "state_code": pl.Utf8(),
    "extract_date": pl.Date(),
    "sequence": pl.Int32(),
    "format": pl.Utf8(),
    "source_system": pl.Utf8(),
    "generated_at": pl.Utf8(),
    "outcome": pl.Utf8(),  # LOADED | LOADED_WITH_ERRORS | REJECTED | DUPLICATE
    "reject_codes": pl.Utf8(),
    "reject_message": pl.Utf8(),
    "duplicate_of": pl.Utf8(),
    "rows_in": pl.Int64(),
    "rows_loaded": pl.Int64(),
    "rows_quarantined": pl.Int64(),
    "fir_docs_in": pl.Int64(),
    "fir_docs_applied": pl.Int64(),
    "fir_docs_unchanged": pl.Int64(),
    "fir_docs_quarantined": pl.Int64(),
    "fir_docs_stale": pl.Int64(),
    "tombstones": pl.Int64(),
    "register_rows_applied": pl.Int64(),
    "errors": pl.Int64(),
    "warnings": pl.Int64(),
    "started_at": pl.Utf8(),
    "finished_at": pl.Utf8(),
    "seconds": pl.Float64(),
    "landed_path": pl.Utf8(),
}
#: ``files.parquet``: per file of the upload, its counts and hash.
FILES_SCHEMA: Final[dict[str, pl.DataType]] = {
    "load_id": pl.Utf8(),
    "file": pl.Utf8(),
    "rows_in": pl.Int64(),
    "rows_loaded": pl.Int64(),
    "rows_quarantined": pl.Int64(),
    "sha256": pl.Utf8(),
}
#: ``quarantine.parquet``: every rejected record with its rule codes and raw values.
QUARANTINE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "load_id": pl.Utf8(),
    "upload_id": pl.Utf8(),
    "entity": pl.Utf8(),
    "source_file": pl.Utf8(),
    "source_row": pl.Int64(),
    "fir_key": pl.Utf8(),
    "register_key": pl.Utf8(),
    "rule_codes": pl.List(pl.Utf8()),
    "messages": pl.List(pl.Utf8()),
    "raw": pl.Utf8(),  # the record's values as received, JSON
}
#: Columns of the feedback files ``outbox/SS/<load_id>_errors.csv`` / ``_warnings.csv``.
FEEDBACK_COLUMNS: Final = (
    "upload_id",
    "load_id",
    "file",
    "row",
    "fir_key",
    "register_key",
    "rule_code",
    "rule_name",
    "severity",
    "field",
    "value",
    "message",
)
#: The version index rows a load carries (``_index_fir.parquet``, ``_index_register.parquet``).
FIR_INDEX_COLUMNS: Final = ("fir_key", "record_version", "content_hash")
REGISTER_INDEX_COLUMNS: Final = ("entity", "register_key", "record_version")
