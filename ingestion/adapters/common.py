"""What the three format adapters share: errors, the result type, UTF-8 handling, record
counting and the value rules that turn every format's text into the same raw tables.

Value rules (``ingestion.schema`` module docstring; applied by :func:`finish_table`):

* empty or whitespace-only text becomes null (so ``""``, ``"  "``, ``<Alias></Alias>`` and a
  missing value are all null); other text is kept exactly (no trimming, no normalisation);
* dates and timestamps become ``YYYY-MM-DD`` / ``YYYY-MM-DD HH:MM:SS`` when they are valid in
  the format's notation, and stay verbatim otherwise, so that the checks can quote the State's
  bad value. The notation is taken strictly (zero-padded, as the spec writes it):
  cas_csv ``YYYY-MM-DD HH:MM:SS`` / ``YYYY-MM-DD`` are canonical already (nothing to rewrite);
  jsonl ``DD/MM/YYYY HH:mm`` / ``DD/MM/YYYY`` are rewritten when they match exactly and are a
  real date (``30/02/2024 10:00`` and ``5/3/2024 14:05`` stay verbatim); xml timestamps are
  ISO 8601 with an offset (``+05:30``, ``+0530``, ``Z``, optional fraction) converted to IST
  wall time, a timestamp without offset is taken as IST, and xml dates are ``YYYY-MM-DD``;
* JSONL flags ``true``/``false`` become ``Y``/``N``;
* text that held bytes which are not UTF-8 carries U+FFFD in their place and the record is
  flagged in ``_bad_utf8``.

Bytes that are not UTF-8 are found without slowing down clean files: the whole file is
validated first (by polars, ~10 ms per 100 MB); only when that fails is it decoded again with
every invalid byte sequence replaced by a *sentinel* character that does not otherwise occur
in the file (a private-use code point). The adapters parse that text as usual and flag the
records (CSV) or documents (JSONL/XML) holding the sentinel, which is finally replaced by
U+FFFD. A U+FFFD the State itself sent is kept and not flagged.
"""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import polars as pl

from core import extract_spec as spec
from core.schema import ISSUE_SCHEMA, IST_TZ, raw_schema
from ingestion.catalogue import rule

BOM: Final = b"\xef\xbb\xbf"
REPLACEMENT: Final = "\ufffd"
#: Rule code of a record that cannot be parsed (a JSON line that is not JSON, ...).
UNPARSEABLE: Final = "120"
#: Longest raw record text kept in an issue's ``value`` (the quarantine keeps it as ``raw``).
MAX_RAW_CHARS: Final = 100_000

#: Timestamp notations per format (polars/chrono ``strptime`` syntax). XML values carry an
#: offset and are converted to IST wall time; an XML timestamp without offset is taken as IST.
TS_FORMATS: Final[dict[str, str]] = {
    "cas_csv": spec.CSV_TIMESTAMP_FORMAT,
    "jsonl": spec.JSONL_TIMESTAMP_FORMAT,
}
XML_TS_WITH_OFFSET: Final = "%Y-%m-%dT%H:%M:%S%.f%#z"  # +05:30, +0530, Z; optional fraction
XML_TS_NAIVE: Final = "%Y-%m-%dT%H:%M:%S%.f"
DATE_FORMATS: Final[dict[str, str]] = {
    "cas_csv": spec.CSV_DATE_FORMAT,
    "jsonl": spec.JSONL_DATE_FORMAT,
    "xml": spec.XML_DATE_FORMAT,
}
CANONICAL_TS: Final = spec.CSV_TIMESTAMP_FORMAT
CANONICAL_DATE: Final = spec.CSV_DATE_FORMAT


#: Sequence numbers that JSONL and XML records may leave out: file -> column. A record without
#: one is numbered by its 1-based position among its FIR's records of that file (as JSONL
#: sections always are). Persons are numbered within their role (:func:`person_seq_at`).
POSITIONAL_SEQ: Final[dict[str, str]] = {
    "act_section.csv": "seq",
    "property.csv": "property_seq",
    "final_report.csv": "report_seq",
}
#: Letters of accused person numbers in order (A1..A9, B1..B9, D1..): never C nor V.
_ACCUSED_LETTERS: Final = "ABDEFGHIJKLMNOPQRSTUWXYZ"


def person_seq_at(role: str, position: int) -> str | None:
    """The person_seq of the ``position``-th (1-based) person of ``role`` on an FIR, as the
    interface numbers them: accused A1..A9, B1..B9, D1.. (C and V skipped), victims V1..,
    complainants C1..; None for another role or beyond Z9."""
    if role == "VICTIM":
        return f"V{position}"
    if role == "COMPLAINANT":
        return f"C{position}"
    if role == "ACCUSED":
        letter, digit = divmod(position - 1, 9)
        return f"{_ACCUSED_LETTERS[letter]}{digit + 1}" if letter < len(_ACCUSED_LETTERS) else None
    return None


class StructureError(Exception):
    """A problem that makes a whole file, and so the upload, unreadable: the upload is rejected.

    Attributes:
        rule_code: catalogue code (``"013"`` extra columns, ``"014"`` missing columns,
            ``"015"`` unreadable file, ``"007"`` file missing).
        file: the file in the upload (``"person.csv"``).
        message: human-readable reason (also ``str(exc)``).
        value: the offending value when there is one (e.g. the extra column names, comma-separated).
    """

    def __init__(self, rule_code: str, file: str, message: str, value: str | None = None) -> None:
        super().__init__(message)
        self.rule_code = rule_code
        self.file = file
        self.message = message
        self.value = value

    def __repr__(self) -> str:
        return f"StructureError({self.rule_code!r}, {self.file!r}, {self.message!r}, value={self.value!r})"


@dataclass
class RawUpload:
    """One upload read into raw tables (``ingestion.schema`` module docstring).

    Attributes:
        tables: all eleven cas_csv table names (``extract_spec.CAS_COLUMNS``) -> frame with
            schema ``core.schema.raw_schema(name)`` (empty frames when none).
        issues: ``core.schema.ISSUE_SCHEMA`` rows for records that could not be parsed
            (rule 120), each with ``source_file``/``source_row`` and the raw text in ``value``.
        records_in: data records per delivered data file (``fir.csv``..., ``firs.jsonl``,
            ``firs.xml``, ``missing_person.csv``, ``unidentified_body.csv``), counted as the
            manifest's ``rows`` are: CSV records without the header, non-empty JSON lines,
            ``<FIR>`` elements.
    """

    tables: dict[str, pl.DataFrame]
    issues: pl.DataFrame
    records_in: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Bytes: BOM, UTF-8, counting
# --------------------------------------------------------------------------------------------


def strip_bom(data: bytes) -> bytes:
    return data[len(BOM) :] if data.startswith(BOM) else data


#: Candidate sentinels: supplementary private-use code points, valid in XML text and JSON
#: strings but never in XML names.
_SENTINELS: Final = tuple(chr(cp) for cp in range(0x10FFFD, 0x10FFFD - 64, -1))


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (validated by polars, ~8x faster than ``bytes.decode``)."""
    if data.isascii():
        return True
    try:
        pl.Series([data], dtype=pl.Binary()).cast(pl.Utf8())
    except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError):
        return False
    return True


def ensure_utf8(data: bytes, file: str = "?") -> tuple[bytes, str | None]:
    """``(data, None)`` when ``data`` is valid UTF-8; otherwise ``(fixed, sentinel)``: the text
    re-encoded with every invalid byte sequence replaced by ``sentinel``, a character that does
    not occur elsewhere in the file."""
    if is_utf8(data):
        return data, None
    sentinel = next((s for s in _SENTINELS if s.encode("utf-8") not in data), None)
    if sentinel is None:  # pragma: no cover - 64 private-use characters all present
        raise StructureError("015", file, f"{file} cannot be read: too many bytes that are not UTF-8")
    name = f"cctns-sentinel-{ord(sentinel):x}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, lambda exc, s=sentinel: (s, exc.end))  # type: ignore[misc]
    return data.decode("utf-8", errors=name).encode("utf-8"), sentinel


@dataclass(frozen=True)
class CsvLayout:
    """What the RFC 4180 structure of a CSV text says, without parsing its fields."""

    records: int  # data records after the header (the manifest's ``rows``)
    commas: int  # field separators outside quoted fields, header included
    blank_lines: int  # empty lines (or lines holding only CR) outside quoted fields


def csv_layout(data: bytes) -> CsvLayout:
    """Records and separators of a CSV text (no BOM), vectorised with numpy.

    A character is outside quotes when an even number of ``"`` precede it (``""`` escapes
    and an unterminated quote included), exactly as ``core.extract_spec.count_records``
    reads RFC 4180: line breaks inside quoted fields do not end a record, and empty lines or
    lines holding only CR are not records.
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(arr == 34)
    if len(quotes) % 2:  # an unterminated quote runs to the end: nothing after it counts
        arr = arr[: quotes[-1]]
        quotes = quotes[:-1]
    if not len(arr):
        return CsvLayout(0, 0, 0)
    nl = np.flatnonzero(arr == 10)
    commas = np.flatnonzero(arr == 44)
    n_commas = len(commas)
    if len(quotes):
        nl = nl[np.searchsorted(quotes, nl) % 2 == 0]
        # commas inside the quoted runs [open, close): few runs, so search them in the commas
        inside = np.searchsorted(commas, quotes[1::2]) - np.searchsorted(commas, quotes[0::2])
        n_commas -= int(inside.sum())
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(arr)]))
    length = ends - starts
    cr_only = (length == 1) & (arr[np.minimum(starts, len(arr) - 1)] == 13)
    blank = int(np.count_nonzero(length == 0) + np.count_nonzero(cr_only))
    # the piece after a final line break is empty and not a line of its own
    trailing = 1 if length[-1] == 0 else 0
    lines = len(starts) - blank
    return CsvLayout(max(lines - 1, 0), n_commas, blank - trailing)


# --------------------------------------------------------------------------------------------
# Issues
# --------------------------------------------------------------------------------------------


def unparseable(entity: str, file: str, row: int, detail: str, raw: str | None = None,
                fir_key: str | None = None, register_key: str | None = None) -> dict[str, object]:  # fmt: skip
    """One rule-120 issue row (``ISSUE_SCHEMA``)."""
    if raw is not None and len(raw) > MAX_RAW_CHARS:
        raw = raw[:MAX_RAW_CHARS]
    return {
        "entity": entity,
        "source_file": file,
        "source_row": row,
        "fir_key": fir_key,
        "register_key": register_key,
        "rule_code": UNPARSEABLE,
        "severity": rule(UNPARSEABLE).severity,
        "field": None,
        "value": raw,
        "message": rule(UNPARSEABLE).message.format(detail=detail),
    }


def scrub(issues: list[dict[str, object]], sentinel: str | None) -> list[dict[str, object]]:
    """The issues with the sentinel (bytes that were not UTF-8) shown as U+FFFD."""
    if sentinel is not None:
        for issue in issues:
            for k in ("value", "message", "fir_key", "register_key"):
                v = issue.get(k)
                if isinstance(v, str):
                    issue[k] = v.replace(sentinel, REPLACEMENT)
    return issues


def issues_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return (
        pl.DataFrame(rows, schema=ISSUE_SCHEMA, orient="row") if rows else pl.DataFrame(schema=ISSUE_SCHEMA)
    )


def fir_key_or_none(parts: list[object]) -> str | None:
    """``SS-DDD-PPPPP-YYYY-NNNN`` when all five key parts are non-empty text, else None."""
    if all(isinstance(p, str) and p.strip() for p in parts):
        return "-".join(str(p).strip() for p in parts)
    return None


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


_JSONL_TS_RE: Final = r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$"
_JSONL_DATE_RE: Final = r"^\d{2}/\d{2}/\d{4}$"


def _canonical_ts(c: str, fmt: str) -> pl.Expr | None:
    """The canonicalised timestamp column (None when the format's notation is canonical)."""
    e = pl.col(c)
    if fmt == "jsonl":  # DD/MM/YYYY HH:mm -> YYYY-MM-DD HH:MM:00, by slicing once validated
        ok = e.str.contains(_JSONL_TS_RE) & e.str.to_datetime(TS_FORMATS[fmt], strict=False).is_not_null()
        parts = [e.str.slice(6, 4), pl.lit("-"), e.str.slice(3, 2), pl.lit("-"), e.str.slice(0, 2)]
        canon = pl.concat_str([*parts, pl.lit(" "), e.str.slice(11, 5), pl.lit(":00")])
        return pl.when(ok).then(canon).otherwise(e)
    if fmt == "xml":  # ISO 8601 with offset -> IST wall time; without offset: IST
        s = e.str.strip_chars()
        aware = (
            s.str.to_datetime(XML_TS_WITH_OFFSET, strict=False, time_unit="us")
            .dt.convert_time_zone(IST_TZ)
            .dt.strftime(CANONICAL_TS)
        )
        naive = s.str.to_datetime(XML_TS_NAIVE, strict=False, time_unit="us").dt.strftime(CANONICAL_TS)
        return pl.coalesce(aware, naive, e)
    return None  # cas_csv: YYYY-MM-DD HH:MM:SS is canonical; anything else stays verbatim


def _canonical_date(c: str, fmt: str) -> pl.Expr | None:
    e = pl.col(c)
    if fmt == "jsonl":  # DD/MM/YYYY -> YYYY-MM-DD
        ok = e.str.contains(_JSONL_DATE_RE) & e.str.to_date(DATE_FORMATS[fmt], strict=False).is_not_null()
        canon = pl.concat_str(
            [e.str.slice(6, 4), pl.lit("-"), e.str.slice(3, 2), pl.lit("-"), e.str.slice(0, 2)]
        )
        return pl.when(ok).then(canon).otherwise(e)
    return None  # cas_csv and xml: YYYY-MM-DD is canonical


@functools.cache
def _value_exprs(file: str, fmt: str) -> tuple[pl.Expr, ...]:
    """The finished interface columns of ``file`` read in ``fmt`` notation (built once).

    Canonicalisation never turns text into blank text or back, so the blank test is made on
    the value as read and the rewriting applies to the rest.
    """
    out = []
    for c in spec.CAS_COLUMNS[file]:
        e = pl.col(c)
        value: pl.Expr | None = None
        if c in spec.TIMESTAMP_COLUMNS.get(file, ()):
            value = _canonical_ts(c, fmt)
        elif c in spec.DATE_COLUMNS.get(file, ()):
            value = _canonical_date(c, fmt)
        elif fmt == "jsonl" and c in spec.FLAG_COLUMNS.get(file, ()):
            value = pl.when(e == "true").then(pl.lit("Y")).when(e == "false").then(pl.lit("N")).otherwise(e)
        out.append(pl.when(e.str.contains(r"\S")).then(e if value is None else value).alias(c))
    return tuple(out)


def finish_table(
    df: pl.DataFrame,
    file: str,
    fmt: str,
    source: str,
    *,
    sentinel: str | None = None,
    bad_rows: pl.Series | None = None,
) -> pl.DataFrame:
    """Apply the value rules and return exactly ``raw_schema(file)``.

    ``df`` holds the interface columns as text (missing ones are added as null) and ``_row``.
    ``fmt`` is the notation of its dates (``cas_csv`` for every CSV file); ``source`` the file
    of the upload the rows come from (``_file``). ``sentinel``: the stand-in for bytes that were
    not UTF-8 (:func:`ensure_utf8`); rows holding it get ``_bad_utf8`` (CSV) unless ``bad_rows``
    gives the ``_row`` numbers to flag (whole JSONL/XML documents), and it becomes U+FFFD.
    """
    cols = spec.CAS_COLUMNS[file]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        df = df.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in missing)
    if sentinel is None:
        bad = pl.lit(False)
    else:
        if bad_rows is not None:
            flag = pl.col("_row").is_in(bad_rows.implode())
        else:
            flag = pl.any_horizontal(
                pl.col(c).str.contains(sentinel, literal=True).fill_null(False) for c in cols
            )
        df = df.with_columns(
            flag.alias("_bad_utf8"),
            *(pl.col(c).str.replace_all(sentinel, REPLACEMENT, literal=True) for c in cols),
        )
        bad = pl.col("_bad_utf8")
    return df.select(
        *_value_exprs(file, fmt),
        pl.lit(source, pl.Utf8).alias("_file"),
        pl.col("_row").cast(pl.Int64),
        bad.alias("_bad_utf8"),
    )


def empty_tables() -> dict[str, pl.DataFrame]:
    return {file: pl.DataFrame(schema=raw_schema(file)) for file in spec.CAS_COLUMNS}
