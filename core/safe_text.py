"""Text that leaves the warehouse in a file: formula neutralisation and identity withholding.

Two rules for every CSV and XLSX the project writes (ingestion's errors/warnings files, the
dashboard's feedback downloads, the parliament/RTI annexures):

**Formula neutralisation** (OWASP "CSV injection"). A spreadsheet evaluates a cell that starts
with ``=``, ``+``, ``-``, ``@``, TAB or CR as a formula (``=HYPERLINK(...)``,
``+cmd|' /C calc'!A0``). Every *text* cell that starts with one of them is written with a
single quote in front (:func:`neutralise`). Numbers stay numbers: a cell that is a plain number
(``-5``, ``+3.25``) cannot run anything and is left as it is, so is the lone ``-`` that the
annexures print for "nil"; XLSX writers keep numeric cells numeric. :func:`neutralise` is
idempotent.

**Identity withholding** (BNS s.72 / IPC s.228A, POCSO s.23). A feedback row shows its
``value`` only when the value is known to be non-identifying: the field is a code, date, key or
number of the extract interface *and* the value looks like one (:func:`feedback_value_is_safe`).
Everything else -- names, addresses, marks, free text, whole raw records (rule 120: a ragged
CSV row, a JSON line or an XML ``<FIR>`` that cannot be parsed), a name that slid into a code
column of a broken row -- is replaced by :data:`WITHHELD`, and the message is scrubbed of it
(:func:`redact_feedback_row`). The file name and row number still locate the record for the
State. This module is part of the base package: it imports nothing but the extract spec.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from core import extract_spec as spec

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
QUOTE: Final = "'"
#: A plain number (no formula can hide in it): left as it is.
_NUMBER_RE: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Cells that are not formulas although they start with a formula character.
_NOT_FORMULA: Final = frozenset({"-"})

WITHHELD: Final = "[withheld: may identify a person]"


def neutralise(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet would read it as a formula."""
    if (
        value
        and value[0] in FORMULA_PREFIXES
        and value not in _NOT_FORMULA
        and not _NUMBER_RE.fullmatch(value)
    ):
        return QUOTE + value
    return value


def neutralise_cell(value: object) -> object:
    """A text cell neutralised; numbers, dates, booleans and ``None`` unchanged."""
    return neutralise(value) if isinstance(value, str) else value


def neutralise_row(row: Iterable[object]) -> list[object]:
    return [neutralise_cell(v) for v in row]


def unneutralise(value: str) -> str:
    """The text before :func:`neutralise` (for re-checking a file this project wrote)."""
    if len(value) > 1 and value[0] == QUOTE and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _csv_field(value: object) -> str:
    """One CSV field: quoted when it holds a comma, a quote, a CR or a LF (the ``csv`` module does
    not quote a lone CR when lines end in LF, and a reader would split the record there)."""
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(row: Iterable[object]) -> str:
    """One CSV record with every text cell neutralised, ending in a line feed."""
    fields = [_csv_field(v) for v in neutralise_row(row)]
    if fields == [""]:
        fields = ['""']  # a record of one empty field is not a blank line
    return ",".join(fields) + "\n"


def csv_text(rows: Iterable[Sequence[object]], header: Sequence[str] | None = None) -> str:
    """CSV (line feeds, minimal quoting) with every text cell neutralised; ``None`` is empty."""
    out = [csv_line(header)] if header is not None else []
    out.extend(csv_line(row) for row in rows)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Identity withholding
# --------------------------------------------------------------------------------------------

#: Files (interface tables and format files) whose records are, or embed, persons: a victim or
#: complainant (person.csv, every FIR document of JSONL/XML), a missing person or an
#: unidentified body, or free text that names them (fir.csv ``brief_facts``).
PERSON_FILES: Final = frozenset(
    {
        "person.csv",
        "fir.csv",
        "missing_person.csv",
        "unidentified_body.csv",
        "firs.jsonl",
        "firs.xml",
        "record",
    }
)
#: Files whose rows are persons, or documents that embed them: a wrong code there is shown only
#: when it is a known code or at most two characters (a name slid into ``gender`` is a word).
PERSON_ROW_FILES: Final = frozenset(
    {"person.csv", "missing_person.csv", "unidentified_body.csv", "firs.jsonl", "firs.xml", "record"}
)
#: Fields that are keys of the interface (shown when they look like a key).
KEY_FIELDS: Final = frozenset(
    {
        *spec.FIR_KEY,
        "fir_key",
        "register_key",
        "person_seq",
        "seq",
        "property_seq",
        "report_seq",
        "court_case_no",
        "report_no",
        "ud_case_no",
        "transferred_to_ps",
        "address_district_code",
        "section",
        "gd_entry_no",
        "beat_no",
        "record_version",
    }
)
#: Enumerated fields: shown only when the value is a code of the interface (any case).
ENUM_FIELDS: Final = frozenset(col for cols in spec.ENUMS.values() for col in cols) | frozenset(
    col for cols in spec.FLAG_COLUMNS.values() for col in cols
)
VOCABULARY: Final = frozenset(
    v.upper() for cols in spec.ENUMS.values() for values in cols.values() for v in values
) | frozenset(
    {
        "TRUE",
        "FALSE",
        "YES",
        "NO",
        "NULL",
        "NONE",
        "NA",
        "N/A",
        "MALE",
        "FEMALE",
        "TRANSGENDER",
        "UNKNOWN",
        "OTHER",
    }
)
ACT_CODES: Final = frozenset(a.upper() for a in spec.ACTS)
#: Dates, timestamps and numbers of the interface: shown when they look like one.
NUMERIC_FIELDS: Final = frozenset(
    col
    for table in (spec.TIMESTAMP_COLUMNS, spec.DATE_COLUMNS, spec.INTEGER_COLUMNS, spec.FLOAT_COLUMNS)
    for cols in table.values()
    for col in cols
) | frozenset({"value_inr", "age", "age_low", "age_high", "place", "status_date"})
#: Column names of the interface (a value listing columns, rules 013/014, is shown if all are).
COLUMN_NAMES: Final = frozenset(c for cols in spec.CAS_COLUMNS.values() for c in cols) | frozenset(
    spec.camel(c) for cols in spec.CAS_COLUMNS.values() for c in cols
)

#: A key: at most two letters, then a digit, then no blank and no run of more than two letters
#: (``A1``, ``V2``, ``115(2)``, ``376AB``, ``09-001-00001-2026-0001``). A name has no digit; an
#: address has blanks.
_KEY_RE: Final = re.compile(r"[A-Za-z]{0,2}\d(?:[0-9()./:_\-]|[A-Za-z]{1,2}(?![A-Za-z])){0,47}")
#: A date, time or number as a State may send it (``2026-13-01``, ``31/02/2026 10:00``, ``-5``,
#: ``28.1, 77.2``, ``2026-11-03T10:00:00+05:30``).
_NUMERIC_RE: Final = re.compile(r"[+-]?\d[0-9 .,:/+\-TZ]{0,39}|[+-]?\.\d+")
_QUOTED_RE: Final = re.compile(r"'([^']*)'|\"([^\"]*)\"|`([^`]*)`")
#: An upper-case code (``CLOSED``, ``IPCC``): shown for a code column of a file without persons.
_CODE_RE: Final = re.compile(r"[A-Z][A-Z0-9_]{0,31}")
_SHA256_RE: Final = re.compile(r"[0-9a-fA-F]{64}")
_FILE_NAME_RE: Final = re.compile(r"[A-Za-z0-9_.\-]{1,80}\.(csv|jsonl|xml|json|zip|txt)")
_ELLIPSES_RE: Final = re.compile(r"…(?:[\s,.()']*…)+")
_TOKEN_RE: Final = re.compile(r"[^\s\"'`,;:{}\[\]()<>=|\\/]+")


#: Ten digits or more, in a row or in blank-separated groups (``9876543210``, ``98765 43210``,
#: ``1234 5678 9012``, ``+91 98765 43210``): a mobile or Aadhaar number, which identifies a person.
_PHONE_RE: Final = re.compile(r"(?:\d ?){9,}\d")
#: The hyphenated spellings of a mobile (``98765-43210``, ``987-654-3210``, ``+91-98765-43210``) or
#: an Aadhaar number (``1234-5678-9012``). An FIR key (``09-001-00001-2026-0001``) is neither.
_HYPHEN_PHONE_RE: Final = re.compile(
    r"(?<![\d-])(?:(?:\+?91-?)?(?:\d{5}-\d{5}|\d{3}-\d{3}-\d{4})|\d{4}-\d{4}-\d{4})(?![\d-])"
)


def _is_phone(v: str) -> bool:
    return bool(_PHONE_RE.search(v) or _HYPHEN_PHONE_RE.search(v))


def _is_key(v: str) -> bool:
    return bool(_KEY_RE.fullmatch(v)) and not _is_phone(v)


def _is_numeric(v: str) -> bool:
    return bool(_NUMERIC_RE.fullmatch(v)) and not _is_phone(v)


def _is_code(v: str) -> bool:
    return v.upper() in VOCABULARY


#: A column name the way the interface spells them (``mobile_no``, ``remarks``): names in CCTNS
#: data are written in capitals or title case.
_SNAKE_RE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _is_column_list(v: str, interface_only: bool = False) -> bool:
    """A list of column names (rules 013/014). Out of a file that holds persons only the
    interface's own columns count: a lower-case word there may as well be a name."""
    items = [s.strip() for s in v.split(",")]
    return all(s in COLUMN_NAMES or s == "" or (not interface_only and _SNAKE_RE.fullmatch(s)) for s in items)


@functools.lru_cache(maxsize=1 << 16)
def feedback_value_is_safe(rule_code: str | None, file: str | None, field: str | None, value: str) -> bool:
    """May ``value`` of a feedback row be shown? Only if it cannot identify a person.

    An allow-list: keys, dates and numbers when they look like one, codes of the interface,
    and values of upload-level rules (0xx: manifest values, counts, member names) except when
    they come out of a file that holds persons and are neither a number, a key nor a list of
    interface columns. A raw record (rule 120) is never shown.
    """
    v = unneutralise(value).strip()
    if v == "":
        return True
    code = (rule_code or "").strip()
    if code == "120":
        return False
    f = (field or "").strip()
    if "," in f and all(part.strip() in NUMERIC_FIELDS for part in f.split(",")):
        f = f.split(",")[0].strip()  # place_lat,place_lon (117)
    if f.upper() in ACT_CODES and (_is_key(v) or _is_numeric(v)):
        return True  # a section of an act (203: the field is the act)
    if f in NUMERIC_FIELDS and (_is_numeric(v) or _is_code(v)):
        return True
    if f in KEY_FIELDS and (_is_key(v) or _is_numeric(v)):
        return True
    person_rows = (file or "").strip() in PERSON_ROW_FILES
    if f in ENUM_FIELDS and (
        _is_code(v) or _is_key(v) or len(v) <= 2 or (not person_rows and bool(_CODE_RE.fullmatch(v)))
    ):
        return True  # a code, a wrong one included (``X``, ``IPCC``); a word on a person row is not
    if code.startswith("0"):
        person = (file or "").strip() in PERSON_FILES
        return (
            not person
            or _is_numeric(v)
            or _is_key(v)
            or _is_column_list(v, interface_only=person_rows)
            or bool(_SHA256_RE.fullmatch(v) or _FILE_NAME_RE.fullmatch(v))
        )
    # counts (111), keys (809) reported without a field; anything else is withheld
    return not f and (_is_numeric(v) or _is_key(v))


def scrub_message(message: str, value: str) -> str:
    """``message`` without ``value``: the value itself, any quoted part and any word of it."""
    raw = unneutralise(value)
    out = message
    for v in {raw, raw.strip(), value}:
        if v.strip():
            out = out.replace(v, WITHHELD)
    words = {t for t in _TOKEN_RE.findall(raw) if len(t) > 1}
    if words:

        def quoted(m: re.Match[str]) -> str:
            inner = next(g for g in m.groups() if g is not None)
            return m.group(0) if inner == WITHHELD or not (set(_TOKEN_RE.findall(inner)) & words) else "'…'"

        out = _QUOTED_RE.sub(quoted, out)
        keep = set(_TOKEN_RE.findall(WITHHELD))
        out = _TOKEN_RE.sub(
            lambda m: "…" if m.group(0) in words and m.group(0) not in keep else m.group(0), out
        )
        out = _ELLIPSES_RE.sub("…", out)
    return out


def _quoted_if_safe(m: re.Match[str], shown: str | None, person_rows: bool = True) -> str:
    """A quoted part of a message about a person's file: kept if it is the row's value (shown,
    so checked) or cannot identify anyone."""
    inner = next(g for g in m.groups() if g is not None)
    v = unneutralise(inner).strip()
    if (
        v in ("", WITHHELD, "…")
        or _is_numeric(v)
        or _is_key(v)
        or _is_code(v)
        or _is_column_list(v, interface_only=person_rows)
    ):
        return m.group(0)
    if shown is not None and v == unneutralise(shown).strip():
        return m.group(0)
    return "'…'"


def redact_feedback_row(row: Mapping[str, object]) -> dict[str, object]:
    """A feedback row (``file``/``source_file``, ``rule_code``, ``field``, ``value``, ``message``,
    ``fir_key``, ``register_key``) with every value that may identify a person withheld, in
    ``value`` and in the message; idempotent. The keys are kept only when they look like keys."""
    out = dict(row)
    file = out.get("file", out.get("source_file"))
    if file is None:
        file = out.get("entity")
    rule_code = out.get("rule_code")
    field = out.get("field")
    value = out.get("value")
    message = out.get("message")
    safe = (
        not isinstance(value, str)
        or value in ("", WITHHELD)
        or feedback_value_is_safe(
            str(rule_code) if rule_code is not None else None,
            str(file) if file is not None else None,
            str(field) if field is not None else None,
            value,
        )
    )
    if not safe:
        out["value"] = WITHHELD
        if isinstance(message, str) and message:
            out["message"] = scrub_message(message, str(value))
    message = out.get("message")
    if isinstance(message, str) and message and str(file or "").strip() in PERSON_FILES:
        shown = value if safe and isinstance(value, str) else None
        person_rows = str(file or "").strip() in PERSON_ROW_FILES
        out["message"] = _QUOTED_RE.sub(lambda m: _quoted_if_safe(m, shown, person_rows), message)
    for key in ("fir_key", "register_key"):
        k = out.get(key)
        if isinstance(k, str) and k and k != WITHHELD and not _is_key(unneutralise(k).strip()):
            out[key] = WITHHELD
            if isinstance(out.get("message"), str) and out["message"]:
                out["message"] = scrub_message(str(out["message"]), k)
    return out


def sanitise_feedback_csv(text: str) -> str:
    """A feedback CSV (header + rows) with :func:`redact_feedback_row` applied to every row and
    every text cell neutralised; fields beyond the header (a torn row) are dropped. Idempotent:
    a file this project wrote comes back unchanged."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [redact_feedback_row(r) for r in reader]
    header = list(reader.fieldnames or [])
    if not header:
        return ""
    return csv_text(([r.get(c) for c in header] for r in rows), header=header)


__all__ = [
    "FORMULA_PREFIXES",
    "PERSON_FILES",
    "WITHHELD",
    "csv_line",
    "csv_text",
    "feedback_value_is_safe",
    "neutralise",
    "neutralise_cell",
    "neutralise_row",
    "redact_feedback_row",
    "sanitise_feedback_csv",
    "scrub_message",
    "unneutralise",
]
