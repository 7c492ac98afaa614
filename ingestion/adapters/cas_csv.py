"""The cas_csv adapter: RFC 4180 CSV files -> raw tables (also the two register CSVs of
jsonl and xml uploads).

Fast path: ``pl.read_csv`` on the file's bytes, every column as text (``infer_schema=False``).
Its result is trusted only when independent counts agree (:func:`common.csv_layout`, numpy):
polars' row count equals the RFC 4180 record count (quote-aware, empty lines excluded: the
manifest's ``rows``), the file has no empty lines, and the commas outside quotes number
``(columns - 1) * (records + 1)`` (so no record has too few fields, which polars would pad
silently; it refuses records with too many itself). Otherwise -- empty lines between records,
a ragged record, bad quoting -- the file is read again with the standard library's ``csv``
module (strict quoting). There a record with too few or too many fields is a rule-120 issue
(``value`` = the record re-quoted, ``fir_key``/``register_key`` taken from the key columns'
positions when the record has them) and yields no row; quoting that cannot be parsed, or that
gives another record count than the quote-aware count (a stray quote inside an unquoted
field), raises :class:`StructureError` ``015``.

A UTF-8 BOM, CRLF or LF line ends, quoted commas, quotes and line breaks (kept exactly, CR
included) and leading empty lines are all accepted. ``_row`` is the 1-based data record
number (the header and empty lines are not records), as ``_truth/defects.csv`` counts it.

Header: must hold exactly the interface's columns. Names are compared after trimming
surrounding whitespace; extra (or repeated) columns raise ``013`` (``value`` = the names,
comma-separated; the message also names missing ones), missing columns raise ``014``. The
same columns in another order are accepted and mapped by name (the data is unambiguous; the
spec's "in order" is about what CAS writes, and refusing a whole day's upload for a column swap
would help no one). A 0-byte file lacks every column (``014``).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core import extract_spec as spec
from core import schema
from ingestion.adapters.common import (
    REPLACEMENT,
    CsvLayout,
    StructureError,
    csv_layout,
    ensure_utf8,
    finish_table,
    fir_key_or_none,
    scrub,
    strip_bom,
    unparseable,
)


@dataclass
class CsvRead:
    """One CSV file read: its raw table, rule-120 issues (ragged records) and record count."""

    table: pl.DataFrame
    issues: list[dict[str, object]] = field(default_factory=list)
    records: int = 0


def _header(data: bytes, file: str, sentinel: str | None) -> list[str]:
    """The header's column names (trimmed). Raises ``015`` when it cannot be parsed."""
    end = data.find(b"\n")
    line = (data if end < 0 else data[:end]).decode("utf-8").rstrip("\r")
    if sentinel is not None:
        line = line.replace(sentinel, REPLACEMENT)
    if not line.strip():
        return []
    try:
        names = next(csv.reader([line], strict=True))
    except csv.Error as exc:
        raise StructureError("015", file, f"{file} cannot be read: header: {exc}") from exc
    return [n.strip() for n in names]


def _check_header(header: list[str], file: str) -> None:
    expected = spec.CAS_COLUMNS[file]
    seen: set[str] = set()
    extra: list[str] = []
    for name in header:
        if name not in expected or name in seen:
            extra.append(name if name else "(empty)")
        seen.add(name)
    missing = [c for c in expected if c not in seen]
    if extra:
        also = f"; it also lacks: {', '.join(missing)}" if missing else ""
        raise StructureError(
            "013", file, f"{file} has columns not in the interface: {', '.join(extra)}{also}", ",".join(extra)
        )
    if missing:
        raise StructureError("014", file, f"{file} lacks columns: {', '.join(missing)}", ",".join(missing))


def read_csv_bytes(data: bytes, file: str) -> CsvRead:
    """Read one CSV file's bytes (``file``: its name, one of ``extract_spec.CAS_COLUMNS``)."""
    data = strip_bom(data)
    # Leading empty lines are not records (the header is the first non-empty line).
    data = data.lstrip(b"\r\n")
    data, sentinel = ensure_utf8(data, file)
    layout = csv_layout(data)
    records = layout.records
    header = _header(data, file, sentinel)
    _check_header(header, file)
    df = _fast(data, layout, header)
    issues: list[dict[str, object]] = []
    if df is None:
        df, issues, parsed = _slow(data, file, header)
        if parsed != records:
            # e.g. a stray quote inside an unquoted field: the record boundaries are ambiguous
            raise StructureError(
                "015",
                file,
                f"{file} cannot be read: quoting is not RFC 4180 ({parsed} records parsed, {records} by the quote-aware count)",
            )
    return CsvRead(
        finish_table(df, file, "cas_csv", file, sentinel=sentinel), scrub(issues, sentinel), records
    )


def read_csv_file(path: Path, file: str | None = None) -> CsvRead:
    """Read ``path`` as the cas_csv file ``file`` (default: the path's name)."""
    return read_csv_bytes(path.read_bytes(), file or path.name)


def _fast(data: bytes, layout: CsvLayout, header: list[str]) -> pl.DataFrame | None:
    """polars' reading (columns named as ``header``, ``_row`` numbered from 1), or None when
    it fails or cannot be trusted (see module docstring)."""
    records = layout.records
    ncols = len(header)
    if layout.blank_lines or layout.commas != (ncols - 1) * (records + 1):
        return None
    try:
        df = pl.read_csv(
            data,
            has_header=True,
            infer_schema=False,
            quote_char='"',
            separator=",",
            raise_if_empty=False,
            truncate_ragged_lines=False,
            new_columns=header,
            row_index_name="_row",
            row_index_offset=1,
        )
    except Exception:
        return None
    if df.height != records or df.width != ncols + 1:
        return None
    return df


def _slow(data: bytes, file: str, header: list[str]) -> tuple[pl.DataFrame, list[dict[str, object]], int]:
    """The standard library's strict RFC 4180 reader: exact records, ragged ones isolated."""
    if csv.field_size_limit() < 2**30:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    ncols = len(header)
    entity = schema.BY_FILE[file]
    key_cols = entity.record_key
    key_pos = [header.index(c) if c in header else 10**9 for c in key_cols]
    rows: list[list[str]] = []
    numbers: list[int] = []
    issues: list[dict[str, object]] = []
    n = 0
    try:
        next(reader, None)  # header
        for rec in reader:
            if not rec:
                continue  # an empty line is not a record
            n += 1
            if len(rec) == ncols:
                rows.append(rec)
                numbers.append(n)
                continue
            parts: list[object] = [rec[p] if p < len(rec) else None for p in key_pos]
            key = fir_key_or_none(parts)
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(rec)
            issues.append(
                unparseable(
                    file,
                    file,
                    n,
                    f"record has {len(rec)} fields, the header has {ncols}",
                    out.getvalue(),
                    fir_key=None if entity.is_register else key,
                    register_key=key if entity.is_register else None,
                )
            )
    except csv.Error as exc:
        raise StructureError("015", file, f"{file} cannot be read: line {reader.line_num}: {exc}") from exc
    columns = list(zip(*rows, strict=True)) if rows else [()] * ncols
    df = pl.DataFrame(
        {name: pl.Series(name, values, dtype=pl.Utf8) for name, values in zip(header, columns, strict=True)}
        | {"_row": pl.Series("_row", numbers, dtype=pl.Int64)}
    )
    return df, issues, n


def read_cas_csv(folder: Path) -> tuple[dict[str, pl.DataFrame], list[dict[str, object]], dict[str, int]]:
    """All eleven CAS files of a cas_csv upload folder."""
    tables: dict[str, pl.DataFrame] = {}
    issues: list[dict[str, object]] = []
    records: dict[str, int] = {}
    for file in spec.CAS_COLUMNS:
        got = read_csv_file(require(folder, file), file)
        tables[file] = got.table
        issues += got.issues
        records[file] = got.records
    return tables, issues, records


def require(folder: Path, file: str) -> Path:
    path = folder / file
    if not path.is_file():
        raise StructureError("007", file, f"{file} is listed in the manifest but was not delivered")
    return path
