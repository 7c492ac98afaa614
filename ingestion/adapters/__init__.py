"""Format adapters: one State upload folder, whatever its format, -> the same raw tables.

Public API::

    raw = read_upload(folder, "jsonl")     # RawUpload
    raw.tables["person.csv"]               # raw_schema("person.csv"): text + _file, _row, _bad_utf8
    raw.issues                             # ISSUE_SCHEMA rows, rule 120 (records that cannot be parsed)
    raw.records_in["firs.jsonl"]           # records per delivered data file (= manifest rows)

``read_upload`` raises :class:`StructureError` (rule ``013``/``014``/``015``, ``007`` for a
file that is not there, ``029`` for an XML file naming another State than the manifest) when a
file cannot be read at all; the upload is then rejected.

Sequence numbers a JSONL or XML record leaves out (section ``seq``, ``property_seq``,
``report_seq``, ``person_seq``) are numbered by position within the FIR document
(:data:`.common.POSITIONAL_SEQ`, :func:`.common.person_seq_at`), so that every key column of
every table is filled whenever the format lets the State leave it out.
The manifest has been verified before (``ingestion.upload``); the adapters do not read it.

Modules: :mod:`.cas_csv` (CSV files, also the register CSVs of jsonl/xml uploads),
:mod:`.jsonl`, :mod:`.xml`, and :mod:`.common` (value rules shared by all three). What every
adapter guarantees is in ``ingestion.schema``'s module docstring; the format-specific choices
are in each module's docstring.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from core import extract_spec as spec
from ingestion.adapters.cas_csv import read_cas_csv, read_csv_file, require
from ingestion.adapters.common import RawUpload, StructureError, empty_tables, issues_frame
from ingestion.adapters.jsonl import read_jsonl_file
from ingestion.adapters.xml import read_xml_file

__all__ = ["RawUpload", "StructureError", "read_upload"]


def read_upload(folder: Path, fmt: str, state_code: str | None = None) -> RawUpload:
    """Read every data file of the upload in ``folder`` (format ``fmt``: ``cas_csv``,
    ``jsonl`` or ``xml``) into raw tables.

    ``state_code``: the manifest's State; an XML root ``state`` naming another State raises
    :class:`StructureError` ``029``.

    Returns all eleven tables (empty ones with their schema), the rule-120 issues and the
    records read per data file. Raises :class:`StructureError` when a file is unreadable.
    """
    folder = Path(folder)
    if fmt not in spec.FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {spec.FORMATS}")
    tables: dict[str, pl.DataFrame] = empty_tables()
    issues: list[dict[str, object]] = []
    records: dict[str, int] = {}
    if fmt == "cas_csv":
        got, issues, records = read_cas_csv(folder)
        tables |= got
    else:
        doc_file = spec.FORMAT_FILES[fmt][0]
        path = require(folder, doc_file)
        if fmt == "jsonl":
            got, issues, records[doc_file] = read_jsonl_file(path)
        else:
            got, issues, records[doc_file] = read_xml_file(path, state_code)
        tables |= got
        for file in spec.REGISTER_FILES:
            reg = read_csv_file(require(folder, file), file)
            tables[file] = reg.table
            issues += reg.issues
            records[file] = reg.records
    return RawUpload(tables=tables, issues=issues_frame(issues), records_in=records)
