"""Serialise one State upload (``shared/EXTRACT_SPEC.md``) in ``cas_csv``, ``jsonl`` or ``xml``.

The writers take the CAS tables of one upload (one Polars DataFrame per cas_csv file, columns
exactly as in :data:`core.extract_spec.CAS_COLUMNS`) and produce the upload folder
``<root>/<SS>_<YYYYMMDD>_<NN>/`` with the format's files and ``manifest.json``.

Design rules:

* **Vectorised.** CSV is written by Polars' CSV writer. JSONL documents and XML ``<FIR>``
  elements are built as text with Polars string expressions in one lazy query per upload:
  every child row becomes a fragment (``"personSeq":"A1",...`` / ``<Person ...>...</Person>``),
  the fragments are placed on their FIR row by the FIR key, joined per FIR in input order
  (``group_by`` + ``list.join``) and concatenated with the FIR's own fields. No per-row Python.
  The manifest's sha256 is computed from the bytes as they are written.
* **Byte-for-byte deterministic.** Output depends only on the input rows (in the order given)
  and the :class:`UploadMeta`; zips use fixed timestamps and sorted names.
* **Null means absent.** CSV: empty field (an empty *string* is written as ``""``). JSONL:
  the key is omitted. XML: the element or attribute is omitted. Empty arrays/containers are
  omitted.

Every choice the spec leaves open is documented in ``docs/extract_spec_notes.md``.

Typical use::

    meta = UploadMeta("24", date(2026, 11, 21), 1, "eGujCop 2.1", "xml", generated_at)
    folder = write_upload(inbox, meta, tables)
    zip_upload(folder)  # the same upload as a .zip, e.g. for a "sent twice" retry
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final

import polars as pl

from core import extract_spec as spec
from core.fs import atomic_path

__all__ = [
    "OMIT",
    "UploadMeta",
    "count_records",
    "empty_tables",
    "render_jsonl_documents",
    "render_xml_documents",
    "sha256_file",
    "table_schema",
    "write_cas_csv",
    "write_manifest",
    "write_upload",
    "xml_escape",
    "zip_upload",
]

KEY: Final = list(spec.FIR_KEY)
BOM: Final = b"\xef\xbb\xbf"
#: Fixed timestamp of every zip member (the earliest a zip can store).
_ZIP_DATE_TIME: Final = (1980, 1, 1, 0, 0, 0)


class _Omit:
    """Sentinel type: see :data:`OMIT`."""

    _instance: _Omit | None = None

    def __new__(cls) -> _Omit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "OMIT"


#: Value for :func:`write_manifest` overrides that removes the key instead of setting it.
OMIT: Final = _Omit()


# --------------------------------------------------------------------------------------------
# Upload metadata
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadMeta:
    """Everything about one upload that is not in its tables.

    Attributes:
        state_code: 2-digit State/UT code (``"09"``); also the ``state`` attribute in XML.
        extract_date: the extract date (upload name and manifest).
        sequence: per-day sequence number from 1 (upload name ``..._01``).
        source_system: free text for the manifest (``"CAS 4.5"``).
        fmt: ``"cas_csv"``, ``"jsonl"`` or ``"xml"``.
        generated_at: timezone-aware generation time (written with its offset, to the second).
        bom: start every CSV file of the upload with a UTF-8 BOM.
        crlf: end CSV lines with ``\\r\\n`` instead of ``\\n``.
    """

    state_code: str
    extract_date: dt.date
    sequence: int
    source_system: str
    fmt: str
    generated_at: dt.datetime
    bom: bool = False
    crlf: bool = False

    def __post_init__(self) -> None:
        if self.fmt not in spec.FORMATS:
            raise ValueError(f"unknown format {self.fmt!r}; expected one of {spec.FORMATS}")
        if self.generated_at.tzinfo is None or self.generated_at.utcoffset() is None:
            raise ValueError("generated_at must be timezone-aware (IST is +05:30)")

    @property
    def upload_id(self) -> str:
        """The upload's folder name ``<SS>_<YYYYMMDD>_<NN>``."""
        return f"{self.state_code}_{self.extract_date:%Y%m%d}_{self.sequence:02d}"


# --------------------------------------------------------------------------------------------
# Table schema and normalisation
# --------------------------------------------------------------------------------------------

_CANONICAL: Final[dict[str, pl.DataType]] = {
    "ts": pl.Datetime("us"),
    "date": pl.Date(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "flag": pl.String(),
    "text": pl.String(),
}


_kind = spec.column_kind


def table_schema(file: str) -> dict[str, pl.DataType]:
    """The canonical Polars schema of one cas_csv file (column order as in the spec)."""
    return {c: _CANONICAL[_kind(file, c)] for c in spec.CAS_COLUMNS[file]}


def empty_tables() -> dict[str, pl.DataFrame]:
    """All eleven CAS tables, empty, with their canonical schemas (an upload with no records)."""
    return {file: pl.DataFrame(schema=table_schema(file)) for file in spec.CAS_COLUMNS}


def _normalise(file: str, df: pl.DataFrame) -> pl.DataFrame:
    """Check columns, put them in spec order and coerce dtypes to the canonical ones (or keep
    ``String``).

    A column given as ``pl.String`` where the spec has a typed value is written verbatim in
    every format: that is how a caller injects malformed values (``"31/02/2024"``). Other
    accepted inputs: any integer dtype for integers, integer/float for floats, tz-aware
    datetimes (converted to IST), a Date for a timestamp (midnight) or a Datetime for a date
    (its date), Boolean flags (``Y``/``N``), Categorical/Enum text and all-null columns.
    Floats are rounded to 6 decimals and NaN/inf become null in all formats.
    """
    expected = spec.CAS_COLUMNS[file]
    if sorted(df.columns) != sorted(expected):
        missing = [c for c in expected if c not in df.columns]
        extra = [c for c in df.columns if c not in expected]
        raise ValueError(f"{file}: columns do not match the spec (missing {missing}, unexpected {extra})")
    exprs: list[pl.Expr] = []
    schema = df.schema
    for col in expected:
        dtype = schema[col]
        kind = _kind(file, col)
        e = pl.col(col)
        if dtype == pl.Null:
            e = e.cast(_CANONICAL[kind])
        elif dtype == pl.String:
            pass
        elif isinstance(dtype, pl.Categorical | pl.Enum):
            e = e.cast(pl.String)
        elif kind in ("ts", "date") and isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                e = e.dt.convert_time_zone("Asia/Kolkata").dt.replace_time_zone(None)
            e = e.cast(pl.Datetime("us")) if kind == "ts" else e.dt.date()
        elif kind in ("ts", "date") and dtype == pl.Date:
            e = e.cast(pl.Datetime("us")) if kind == "ts" else e
        elif kind == "int" and dtype.is_integer():
            e = e.cast(pl.Int64)
        elif kind == "float" and (dtype.is_float() or dtype.is_integer()):
            e = e.cast(pl.Float64)
            e = pl.when(e.is_finite()).then(e.round(6))
        elif kind == "flag" and dtype == pl.Boolean:
            e = pl.when(e).then(pl.lit("Y")).when(e.not_()).then(pl.lit("N"))
        else:
            raise TypeError(f"{file}.{col}: dtype {dtype} is not accepted for a {kind} column")
        exprs.append(e.alias(col))
    return df.select(exprs)


def _normalise_all(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    missing = [f for f in spec.CAS_COLUMNS if f not in tables]
    if missing:
        raise ValueError(f"tables missing: {missing} (use empty_tables() for empty ones)")
    unknown = sorted(set(tables) - set(spec.CAS_COLUMNS))
    if unknown:
        raise ValueError(f"unknown tables: {unknown}")
    return {f: _normalise(f, tables[f]) for f in spec.CAS_COLUMNS}


# --------------------------------------------------------------------------------------------
# cas_csv
# --------------------------------------------------------------------------------------------


class _HashingSink(io.RawIOBase):
    """A write-only binary sink that SHA-256-hashes what it passes on to ``fh``.

    It has no ``fileno()``, so Polars' writers call :meth:`write` with every chunk.
    """

    def __init__(self, fh: BinaryIO) -> None:
        super().__init__()
        self._fh = fh
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.sha256.update(data)
        return self._fh.write(data)


def _csv_options(bom: bool, crlf: bool) -> dict[str, Any]:
    return {
        "include_bom": bom,
        "include_header": True,
        "separator": ",",
        "line_terminator": "\r\n" if crlf else "\n",
        "quote_char": '"',
        "quote_style": "necessary",
        "datetime_format": spec.CSV_TIMESTAMP_FORMAT,
        "date_format": spec.CSV_DATE_FORMAT,
        "float_precision": spec.CSV_FLOAT_DECIMALS,
        "float_scientific": False,
        "null_value": "",
    }


def write_cas_csv(path: Path, df: pl.DataFrame, *, bom: bool = False, crlf: bool = False) -> None:
    """Write one CAS table as RFC 4180 CSV (``df`` already normalised or canonical).

    Header row; fields quoted only when needed (separator, quote, CR or LF inside); nulls as
    empty fields, empty strings as ``""``; timestamps ``YYYY-MM-DD HH:MM:SS``; dates
    ``YYYY-MM-DD``; floats with exactly 6 decimals; UTF-8 with an optional BOM.
    """
    df.write_csv(path, **_csv_options(bom, crlf))


def _write_csv_hashed(path: Path, df: pl.DataFrame, *, bom: bool, crlf: bool) -> tuple[int, str]:
    """:func:`write_cas_csv`, returning (data records, sha256) of the bytes written."""
    with path.open("wb") as fh:
        sink = _HashingSink(fh)
        df.write_csv(sink, **_csv_options(bom, crlf))
    return df.height, sink.sha256.hexdigest()


# --------------------------------------------------------------------------------------------
# Text escaping as Polars expressions
# --------------------------------------------------------------------------------------------

_JSON_ESCAPES: Final[dict[str, str]] = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_JSON_ESCAPES.update({chr(i): f"\\u{i:04x}" for i in range(0x20) if chr(i) not in _JSON_ESCAPES})

#: XML 1.0 cannot carry C0 controls other than TAB/LF/CR (not even as references), nor
#: U+FFFE/U+FFFF: they become U+FFFD. TAB/LF/CR are written as references so that parsers do
#: not normalise them and every ``<FIR>`` stays on one line.
_XML_ESCAPES: Final[dict[str, str]] = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&apos;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\ufffe": "\ufffd",
    "\uffff": "\ufffd",
}
_XML_ESCAPES.update({chr(i): "\ufffd" for i in range(0x20) if chr(i) not in _XML_ESCAPES})


def _json_string(e: pl.Expr, prefix: str = "") -> pl.Expr:
    """``prefix"escaped text"`` (one concatenation: key and quotes in the same pass)."""
    return pl.concat_str([pl.lit(prefix + '"'), e.str.replace_many(_JSON_ESCAPES), pl.lit('"')])


def _xml_text(e: pl.Expr) -> pl.Expr:
    return e.str.replace_many(_XML_ESCAPES)


def xml_escape(text: str) -> str:
    """Escape a Python string exactly as the XML writer escapes text and attribute values."""
    return "".join(_XML_ESCAPES.get(ch, ch) for ch in text)


def _json_member(file: str, col: str, dtype: pl.DataType, key: str, *, comma: bool = False) -> pl.Expr:
    """``"key":value`` (``,"key":value`` with ``comma``) for a normalised column; null when
    the value is null."""
    kind = _kind(file, col)
    e = pl.col(col)
    prefix = f',"{key}":' if comma else f'"{key}":'
    if dtype == pl.String:
        if kind == "flag":
            return (
                pl.when(e == "Y")
                .then(pl.lit(prefix + "true"))
                .when(e == "N")
                .then(pl.lit(prefix + "false"))
                .otherwise(_json_string(e, prefix))
            )
        return _json_string(e, prefix)
    if kind in ("int", "float"):
        return pl.concat_str([pl.lit(prefix), e.cast(pl.String)])
    if kind == "ts":
        return pl.concat_str([pl.lit(prefix + '"'), e.dt.strftime(spec.JSONL_TIMESTAMP_FORMAT), pl.lit('"')])
    if kind == "date":
        return pl.concat_str([pl.lit(prefix + '"'), e.dt.strftime(spec.JSONL_DATE_FORMAT), pl.lit('"')])
    raise AssertionError(f"unexpected dtype {dtype} for {file}.{col}")  # pragma: no cover


def _xml_float(e: pl.Expr) -> pl.Expr:
    """Fixed 6 decimals, as in CSV (``28.613900``, ``-0.000000`` for negative zero).

    Values are already rounded to 6 decimals (see :func:`_normalise`); magnitudes of 1e12 and
    more (never a coordinate) fall back to Polars' shortest representation.
    """
    micro = (e * 1_000_000).round(0).abs().clip(0, 1e18).cast(pl.Int64)
    negative = (e < 0) | ((e == 0) & ((1.0 / e) < 0))
    fixed = pl.concat_str(
        [
            pl.when(negative).then(pl.lit("-")).otherwise(pl.lit("")),
            (micro // 1_000_000).cast(pl.String),
            pl.lit("."),
            (micro % 1_000_000).cast(pl.String).str.zfill(6),
        ]
    )
    return pl.when(e.abs() < 1e12).then(fixed).otherwise(e.cast(pl.String))


def _xml_value(file: str, col: str, dtype: pl.DataType) -> pl.Expr:
    """XML text of a normalised column's value, escaped (null stays null)."""
    kind = _kind(file, col)
    e = pl.col(col)
    if dtype == pl.String:
        return _xml_text(e)
    if kind == "int":
        return e.cast(pl.String)
    if kind == "float":
        return _xml_float(e)
    if kind == "ts":
        return e.dt.strftime(spec.XML_TIMESTAMP_FORMAT)
    if kind == "date":
        return e.dt.strftime(spec.XML_DATE_FORMAT)
    raise AssertionError(f"unexpected dtype {dtype} for {file}.{col}")  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Fragment helpers
# --------------------------------------------------------------------------------------------


def _json_core(
    schema: Mapping[str, pl.DataType],
    file: str,
    fields: Sequence[tuple[str, str]],
    extra: Sequence[pl.Expr] = (),
) -> pl.Expr:
    """The members of a JSON object without its braces: ``"key":value,...``.

    Null values drop their member. ``extra`` are ready-made ``"key":value`` members (or null)
    appended. The braces are added where objects are joined into arrays (``{`` + cores joined
    by ``},{`` + ``}``), which saves one copy of every child's text.
    """
    parts = [*(_json_member(file, col, schema[col], key) for key, col in fields), *extra]
    return pl.concat_str(parts, separator=",", ignore_nulls=True) if parts else pl.lit("")


def _present(col: str, text: str) -> pl.Expr:
    """``text`` where ``col`` is not null, else null (a conditional piece of a concatenation)."""
    return pl.when(pl.col(col).is_not_null()).then(pl.lit(text))


def _xml_elements(schema: Mapping[str, pl.DataType], file: str, columns: Sequence[str]) -> list[pl.Expr]:
    """``<Pascal>value</Pascal>`` per column; null values drop their element."""
    return [
        pl.concat_str(
            [pl.lit(f"<{spec.pascal(c)}>"), _xml_value(file, c, schema[c]), pl.lit(f"</{spec.pascal(c)}>")]
        )
        for c in columns
    ]


def _xml_record(
    schema: Mapping[str, pl.DataType],
    file: str,
    tag: str,
    attrs: Sequence[tuple[str, str]],
    text_col: str | None,
    columns: Sequence[str],
    extra: Sequence[pl.Expr] = (),
) -> pl.Expr:
    """``<Tag a="..">text or child elements</Tag>`` as one flat concatenation.

    Null attributes and elements are omitted (``ignore_nulls``); ``extra`` pieces (or nulls)
    go after the elements.
    """
    attr_parts = [
        pl.concat_str([pl.lit(f' {name}="'), _xml_value(file, col, schema[col]), pl.lit('"')])
        for name, col in attrs
    ]
    text = [_xml_value(file, text_col, schema[text_col])] if text_col is not None else []
    return pl.concat_str(
        [
            pl.lit(f"<{tag}"),
            *attr_parts,
            pl.lit(">"),
            *text,
            *_xml_elements(schema, file, columns),
            *extra,
            pl.lit(f"</{tag}>"),
        ],
        ignore_nulls=True,
    )


class _Frame:
    """A lazy frame with its (known) schema and the name of its row-index column."""

    def __init__(
        self,
        lf: pl.LazyFrame,
        schema: Mapping[str, pl.DataType],
        index: str | None = None,
        targets: pl.LazyFrame | None = None,
    ) -> None:
        self.lf = lf
        self.schema = dict(schema)
        self.index = index
        #: The original rows with their index (children are placed by key against these, so
        #: that a plan does not re-evaluate the growing ``lf`` once per attached child).
        self.targets = targets

    @classmethod
    def of(cls, df: pl.DataFrame, index: str | None = None) -> _Frame:
        """Wrap a frame; with ``index``, number its rows in that column (the join target)."""
        if index is None:
            return cls(df.lazy(), df.schema)
        indexed = df.with_row_index(index)
        return cls(indexed.lazy(), indexed.schema, index, indexed.lazy())

    def filter(self, predicate: pl.Expr) -> _Frame:
        return _Frame(self.lf.filter(predicate), self.schema, self.index, self.targets)


def _attach(
    left: _Frame,
    child: _Frame,
    on: Sequence[str],
    fragment: pl.Expr,
    name: str,
    *,
    separator: str = "",
    first_only: bool = False,
) -> _Frame:
    """Add column ``name`` to ``left``: the child fragments of each key joined in child order.

    Child rows are mapped to the row index of ``left`` by ``on`` (a child of a FIR row that
    occurs twice belongs to both), their fragments aggregated per index, and the result
    joined back on the index. Rows of ``left`` without children get null; child rows whose
    key is not in ``left`` are dropped (they cannot be placed in a document). Key columns
    whose dtypes differ between the two (a key given as text to inject a defect) are compared
    as text.
    """
    index = left.index
    assert index is not None and left.targets is not None
    targets = left.targets.select(*on, index)
    frags = child.lf.select(*on, fragment.alias(name))
    keys: list[str] = []
    for c in on:
        if left.schema[c] == child.schema[c]:
            keys.append(c)
            continue
        tmp = f"__jk_{c}"
        targets = targets.with_columns(pl.col(c).cast(pl.String).alias(tmp))
        frags = frags.with_columns(pl.col(c).cast(pl.String).alias(tmp))
        keys.append(tmp)
    placed = frags.join(targets, on=keys, how="inner", nulls_equal=True, maintain_order="left").select(
        index, name
    )
    if first_only:
        grouped = placed.filter(pl.col(index).is_first_distinct())
    else:
        # A stable sort keeps child order within a key and lets group_by take its sorted
        # fast path; list + list.join is several times faster than str.join inside agg.
        grouped = (
            placed.sort(index, maintain_order=True)
            .group_by(index)
            .agg(pl.col(name))
            .with_columns(pl.col(name).list.join(separator))
        )
    # One column aligned with the rows of ``left``, put beside them (cheaper than joining
    # every child into the growing frame, which would copy all its columns each time).
    column = (
        left.targets.select(index).join(grouped, on=index, how="left", maintain_order="left").select(name)
    )
    out = pl.concat([left.lf, column], how="horizontal")
    return _Frame(out, {**left.schema, name: pl.String()}, index, left.targets)


def _collect(lf: pl.LazyFrame) -> pl.DataFrame:
    # The in-memory engine runs these string-heavy plans markedly faster than streaming.
    return lf.collect(engine="in-memory")


def _non_key(file: str, *exclude: str) -> list[str]:
    return [c for c in spec.CAS_COLUMNS[file] if c not in spec.FIR_KEY and c not in exclude]


# --------------------------------------------------------------------------------------------
# jsonl
# --------------------------------------------------------------------------------------------


def _json_child_fields(file: str) -> list[tuple[str, str]]:
    nested = spec.NESTED_CHILDREN.get(file)
    exclude = (*spec.JSONL_CHILD_OMIT.get(file, ()), *((nested[1],) if nested else ()))
    return [(spec.camel(c), c) for c in _non_key(file, *exclude)]


def _jsonl_open_documents(tables: Mapping[str, pl.DataFrame]) -> pl.Series:
    """The JSONL documents without their final ``}`` (the file writer adds it with the line
    break)."""
    t = {file: _Frame.of(df) for file, df in tables.items()}
    fir = _Frame.of(tables["fir.csv"], "__doc")
    # Court cases first get their hearings: "hearings":[{..},{..}] as an extra member.
    ((nested_key, nested_file),) = spec.JSONL_NESTED_ARRAYS.items()
    parent_file, join_col = spec.NESTED_CHILDREN[nested_file]
    nested = t[nested_file]
    parent = _attach(
        _Frame.of(tables[parent_file], "__parent"),
        nested,
        [*KEY, join_col],
        _json_core(nested.schema, nested_file, _json_child_fields(nested_file)),
        "__nested",
        separator="},{",
    )
    nested_member = pl.concat_str([pl.lit(f'"{nested_key}":[{{'), pl.col("__nested"), pl.lit("}]")])
    sources: dict[str, _Frame] = {file: t[file] for file in spec.FIR_CHILD_FILES}
    sources[parent_file] = parent
    part_file = {**spec.JSONL_ARRAYS, **spec.JSONL_OBJECTS}

    # The FIR's members each carry their leading comma, so that the whole document is one
    # flat concatenation; firRef (never null) opens the object.
    fir_ref = pl.concat_str(
        [pl.col("fir_no").fill_null(""), pl.lit("/"), pl.col("fir_year").cast(pl.String).fill_null("")]
    )
    pieces: list[pl.Expr] = [_json_string(fir_ref, '{"firRef":')]
    for c in spec.CAS_COLUMNS["fir.csv"]:
        if c not in ("fir_year", "fir_no"):
            key = spec.JSONL_FIR_FIELDS.get(c, spec.camel(c))
            pieces.append(_json_member("fir.csv", c, fir.schema[c], key, comma=True))
    for part in spec.JSONL_DOCUMENT_PARTS:
        file = part_file[part]
        df = sources[file]
        extra = [nested_member] if file == parent_file else []
        core = _json_core(df.schema, file, _json_child_fields(file), extra)
        if part in spec.JSONL_PERSON_ROLES:
            df = df.filter(pl.col("role") == spec.JSONL_PERSON_ROLES[part])
        single = part in spec.JSONL_OBJECTS
        col = f"__{part}"
        fir = _attach(fir, df, KEY, core, col, separator="},{", first_only=single)
        opening, closing = (f',"{part}":{{', "}") if single else (f',"{part}":[{{', "}]")
        pieces += [_present(col, opening), pl.col(col), _present(col, closing)]
    doc = pl.concat_str(pieces, ignore_nulls=True)
    return _collect(fir.lf.select(doc.alias("doc"))).to_series()


def render_jsonl_documents(tables: Mapping[str, pl.DataFrame]) -> pl.Series:
    """One compact JSON text per row of fir.csv (same order), children joined by FIR key.

    ``tables``: all eleven CAS tables, as for :func:`write_upload`. The texts have no
    newlines. Key order: firRef, the fir.csv fields (stateCode, districtCode, psCode,
    registeredOn, ..., version, updatedOn), then ``extract_spec.JSONL_DOCUMENT_PARTS``.
    """
    return _jsonl_open_documents(_normalise_all(tables)) + "}"


# --------------------------------------------------------------------------------------------
# xml
# --------------------------------------------------------------------------------------------


def render_xml_documents(tables: Mapping[str, pl.DataFrame]) -> pl.Series:
    """One ``<FIR>...</FIR>`` element per row of fir.csv (same order), each on one line.

    ``tables``: all eleven CAS tables, as for :func:`write_upload`. Content: one element per
    fir.csv column, then the child records of ``extract_spec.XML_CHILDREN`` in order, court
    cases holding their hearings.
    """
    return _xml_documents(_normalise_all(tables))


def _xml_documents(tables: Mapping[str, pl.DataFrame]) -> pl.Series:
    """:func:`render_xml_documents` on normalised tables."""
    t = {file: _Frame.of(df) for file, df in tables.items()}
    fir = _Frame.of(tables["fir.csv"], "__doc")

    def record(file: str, df: _Frame, extra: Sequence[pl.Expr] = ()) -> pl.Expr:
        _container, tag, attrs, text_col = spec.XML_CHILDREN[file]
        used = {c for _, c in attrs} | ({text_col} if text_col else set())
        if file in spec.NESTED_CHILDREN:
            used.add(spec.NESTED_CHILDREN[file][1])
        return _xml_record(df.schema, file, tag, attrs, text_col, _non_key(file, *used), extra)

    def contained(col: str, container: str | None) -> list[pl.Expr]:
        if container is None:
            return [pl.col(col)]
        return [_present(col, f"<{container}>"), pl.col(col), _present(col, f"</{container}>")]

    sources: dict[str, _Frame] = {file: t[file] for file in spec.FIR_CHILD_FILES}
    extras: dict[str, list[pl.Expr]] = {}
    for child, (parent_file, join_col) in spec.NESTED_CHILDREN.items():
        df = t[child]
        col = f"__{child}"
        sources[parent_file] = _attach(
            _Frame.of(tables[parent_file], "__parent"), df, [*KEY, join_col], record(child, df), col
        )
        extras[parent_file] = contained(col, spec.XML_CHILDREN[child][0])

    pieces: list[pl.Expr] = [pl.lit(f"<{spec.XML_FIR}>")]
    pieces += _xml_elements(fir.schema, "fir.csv", spec.CAS_COLUMNS["fir.csv"])
    for file, (container, *_rest) in spec.XML_CHILDREN.items():
        if file in spec.NESTED_CHILDREN:
            continue
        df = sources[file]
        col = f"__{file}"
        fir = _attach(fir, df, KEY, record(file, df, extras.get(file, ())), col)
        pieces += contained(col, container)
    pieces.append(pl.lit(f"</{spec.XML_FIR}>"))
    doc = pl.concat_str(pieces, ignore_nulls=True)
    return _collect(fir.lf.select(doc.alias("doc"))).to_series()


def _xml_head(meta: UploadMeta) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{spec.XML_ROOT} state="{xml_escape(meta.state_code)}" date="{meta.extract_date.isoformat()}">\n'
    )


def _write_lines(
    path: Path, lines: pl.Series, head: str = "", tail: str = "", terminator: str = "\n"
) -> tuple[int, str]:
    """Write ``head``, every line followed by ``terminator``, then ``tail`` (UTF-8, no BOM).

    Returns (number of lines, sha256 of the file). The lines must not contain line breaks
    (the JSON and XML texts here never do). Polars' CSV writer with ``quote_style="never"``
    writes a one-column frame byte for byte.
    """
    with path.open("wb") as fh:
        sink = _HashingSink(fh)
        sink.write(head.encode("utf-8"))
        if len(lines):
            lines.to_frame("line").write_csv(
                sink, include_header=False, quote_style="never", line_terminator=terminator
            )
        sink.write(tail.encode("utf-8"))
    return len(lines), sink.sha256.hexdigest()


# --------------------------------------------------------------------------------------------
# Upload folder
# --------------------------------------------------------------------------------------------


def write_upload(
    root: Path, meta: UploadMeta, tables: Mapping[str, pl.DataFrame], *, overwrite: bool = False
) -> Path:
    """Write one upload folder ``root/<upload_id>/`` and return it.

    The folder holds ``extract_spec.FORMAT_FILES[meta.fmt]`` and ``manifest.json``. It is
    built under a hidden temporary name in ``root`` and renamed into place at the end, so an
    inbox watcher never sees a half-written upload. ``tables`` holds all eleven CAS tables
    (see :func:`empty_tables`); rows are written in the order given.

    Raises:
        FileExistsError: the folder exists and ``overwrite`` is false.
        ValueError / TypeError: a table is missing or its columns/dtypes are not the spec's.
    """
    root = Path(root)
    final = root / meta.upload_id
    if final.exists() and not overwrite:
        raise FileExistsError(f"{final} exists (pass overwrite=True to replace it)")
    norm = _normalise_all(tables)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{meta.upload_id}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        # (data records, sha256) of every file, taken from the bytes as they are written;
        # write_manifest() recomputes the same from disk.
        stats: dict[str, tuple[int, str]] = {}
        csv_files = spec.CAS_COLUMNS if meta.fmt == "cas_csv" else spec.REGISTER_FILES
        if meta.fmt == "jsonl":
            # (documents without their closing brace: the line terminator adds it)
            stats["firs.jsonl"] = _write_lines(
                tmp / "firs.jsonl", _jsonl_open_documents(norm), terminator="}\n"
            )
        elif meta.fmt == "xml":
            stats["firs.xml"] = _write_lines(
                tmp / "firs.xml", _xml_documents(norm), _xml_head(meta), f"</{spec.XML_ROOT}>\n"
            )
        for file in csv_files:
            stats[file] = _write_csv_hashed(tmp / file, norm[file], bom=meta.bom, crlf=meta.crlf)
        files = [{"name": n, "rows": stats[n][0], "sha256": stats[n][1]} for n in spec.FORMAT_FILES[meta.fmt]]
        _dump_manifest(tmp, _manifest(meta, files))
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


# --------------------------------------------------------------------------------------------
# Counting, hashing, manifest
# --------------------------------------------------------------------------------------------

# The manifest's record-counting rule is part of the interface: see core.extract_spec.
_count_bytes = spec.count_record_bytes
_COUNTED_SUFFIXES = spec.COUNTED_SUFFIXES
count_records = spec.count_records


def sha256_file(path: Path) -> str:
    """Lower-case hex SHA-256 of a file's bytes."""
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _apply(target: dict[str, object], changes: Mapping[str, object]) -> None:
    for k, v in changes.items():
        if v is OMIT:
            target.pop(k, None)
        else:
            target[k] = v


def write_manifest(
    folder: Path,
    meta: UploadMeta,
    file_names: Sequence[str] | None = None,
    overrides: Mapping[str, Mapping[str, object]] | None = None,
    *,
    fields: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """(Re)compute and write ``folder/manifest.json``; return the manifest.

    Args:
        folder: the upload folder.
        meta: upload metadata (state, date, sequence, source system, format, generated_at).
        file_names: files to list, in order; default ``extract_spec.FORMAT_FILES[meta.fmt]``.
            Leaving a present file out (or listing an absent one) injects those defects.
        overrides: per listed file name, entry keys to force (``{"fir.csv": {"rows": 7}}``);
            :data:`OMIT` removes a key. A listed file that does not exist must get both
            ``rows`` and ``sha256`` here.
        fields: top-level keys to force (``{"spec_version": 2}``); :data:`OMIT` removes one.

    ``rows`` and ``sha256`` are computed from the bytes on disk. Keys are in the spec's order:
    spec_version, state_code, extract_date, sequence, source_system, format, generated_at,
    files[{name, rows, sha256}]. Written as indented UTF-8 JSON with a trailing newline.
    """
    folder = Path(folder)
    names = list(spec.FORMAT_FILES[meta.fmt] if file_names is None else file_names)
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise ValueError(f"overrides for files that are not listed: {unknown}")
    files: list[dict[str, object]] = []
    for name in names:
        path = folder / name
        forced = overrides.get(name, {})
        entry: dict[str, object] = {"name": name, "rows": None, "sha256": None}
        if "rows" not in forced or "sha256" not in forced:
            if not path.is_file():
                raise FileNotFoundError(
                    f"{path} is listed but missing; give its rows and sha256 in overrides"
                )
            data = path.read_bytes()
            if "rows" not in forced:
                if not name.endswith(_COUNTED_SUFFIXES):
                    raise ValueError(f"cannot count records of {name!r}; give its rows in overrides")
                entry["rows"] = _count_bytes(name, data)
            if "sha256" not in forced:
                entry["sha256"] = hashlib.sha256(data).hexdigest()
        _apply(entry, forced)
        files.append(entry)
    manifest = _manifest(meta, files)
    _apply(manifest, fields or {})
    _dump_manifest(folder, manifest)
    return manifest


def _manifest(meta: UploadMeta, files: list[dict[str, object]]) -> dict[str, object]:
    return {
        "spec_version": spec.SPEC_VERSION,
        "state_code": meta.state_code,
        "extract_date": meta.extract_date.isoformat(),
        "sequence": meta.sequence,
        "source_system": meta.source_system,
        "format": meta.fmt,
        "generated_at": meta.generated_at.isoformat(timespec="seconds"),
        "files": files,
    }


def _dump_manifest(folder: Path, manifest: Mapping[str, object]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / spec.MANIFEST_FILE).write_bytes(text.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Zip
# --------------------------------------------------------------------------------------------


def zip_upload(folder: Path, dest: Path | None = None) -> Path:
    """Zip an upload folder deterministically and return the zip's path.

    Members are the folder's regular files, sorted by name, stored as ``<upload_id>/<name>``
    with timestamp 1980-01-01 00:00:00, mode 0644, deflate (zlib default level) and no
    directory entries, so the same folder always gives the same bytes. ``dest`` defaults to
    ``<folder>.zip`` beside the folder; an existing directory means ``dest/<upload_id>.zip``.
    The zip is written under a hidden temporary name and renamed into place.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(folder)
    prefix = folder.name
    if dest is None:
        dest = folder.with_name(f"{prefix}.zip")
    else:
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / f"{prefix}.zip"
    members = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: p.name)
    with atomic_path(dest) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in members:
            info = zipfile.ZipInfo(f"{prefix}/{path.name}", date_time=_ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so external_attr carries the mode
            info.external_attr = (0o100644 & 0xFFFF) << 16
            size = path.stat().st_size
            with path.open("rb") as src, zf.open(info, "w", force_zip64=size >= 0x7FFFFFFF) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    return dest
