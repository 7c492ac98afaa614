"""The jsonl adapter: ``firs.jsonl`` (one FIR document per line) -> the FIR and child raw tables.

Reading: DuckDB's NDJSON reader (multi-threaded, C++) with an explicit nested schema
(:data:`DOCUMENT_SCHEMA`: every scalar as VARCHAR, the parts as STRUCT / LIST of STRUCT), handed
to polars through Arrow; the arrays are then exploded and the objects unnested into the cas_csv
tables, all columnar. ``pl.read_ndjson`` was measured 10x slower on nested documents (3 s vs
0.25 s for 20,000 documents) and pyarrow's reader refuses a number where text is declared, so
DuckDB it is (a declared dependency of the project).

Fast path: the whole file in one read, taken when no line is empty (line *i* is then row *i*)
and DuckDB returns exactly one row per line. Otherwise (an empty or blank line, a line that is
not JSON, a document whose shape does not fit the interface, e.g. ``"sections": "303"``) the
careful path splits the file into lines: lines that ``json.loads`` rejects, or that are not a
JSON object, are rule-120 issues at once; the others are read by DuckDB in bisected chunks until
every line it refuses is isolated as a rule-120 issue too. Each issue carries ``source_row`` =
the line number, ``value`` = the line's text and, when it can be recognised, the FIR key. The
other lines are read exactly as on the fast path, so the two paths cannot disagree.

Values (:func:`ingestion.adapters.common.finish_table` does the rest):

* JSON numbers become their text as DuckDB renders them (``3``, ``23.0225``; ``1.50`` -> ``1.5``,
  ``1e5`` -> ``100000.0``); booleans become ``true``/``false`` and then ``Y``/``N`` in flag
  columns (a flag sent as the *string* ``"true"``/``"false"`` is read the same way); an object or
  array where a scalar is expected is kept as its JSON text (the checks then report it).
* ``firRef`` ``"0523/2024"`` -> ``fir_no`` ``0523``, ``fir_year`` ``2024`` (split at the last
  ``/``; without ``/`` it is all ``fir_no``). A document without ``firRef`` is rule 120.
* ``sections``: ``seq`` is the 1-based array position; persons: ``role`` from the array
  (``accused`` ACCUSED, ``victims`` VICTIM, ``complainant`` COMPLAINANT); hearings take the
  ``courtCaseNo`` of their court case. A person without ``personSeq`` (absent or blank) is
  numbered by its position in its array (accused A1..A9, B1.., victims V1.., the complainant
  C1); a property or final report without ``propertySeq`` / ``reportSeq`` by its position. ``null`` array elements are skipped; ``{}`` is a record.
* Keys are case-sensitive; unknown keys are ignored. An object holding the same key twice is
  unreadable (rule 120): which of the two values the State meant would be a guess.
* ``_row`` is the physical line number (1-based) of the document, on the FIR row and on every
  child row (equal to the record number when the file has no empty lines, as written).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Final

import duckdb
import numpy as np
import polars as pl

from core import extract_spec as spec
from ingestion.adapters.common import (
    POSITIONAL_SEQ,
    ensure_utf8,
    finish_table,
    fir_key_or_none,
    person_seq_at,
    scrub,
    strip_bom,
    unparseable,
)

FILE: Final = "firs.jsonl"
KEY: Final = spec.FIR_KEY
_DOC_KEY: Final = {"state_code": "stateCode", "district_code": "districtCode", "ps_code": "psCode"}

#: fir.csv column -> JSON key (firRef carries fir_no and fir_year).
FIR_FIELDS: Final[dict[str, str]] = {
    c: spec.JSONL_FIR_FIELDS.get(c, spec.camel(c))
    for c in spec.CAS_COLUMNS["fir.csv"]
    if c not in ("fir_year", "fir_no")
}


def _child_fields(file: str) -> dict[str, str]:
    """Child column -> JSON key: the non-key columns minus the ones JSONL does not write
    (section ``seq``, person ``role``) and the nested join column (hearing ``court_case_no``)."""
    omit = set(spec.JSONL_CHILD_OMIT.get(file, ()))
    if file in spec.NESTED_CHILDREN:
        omit.add(spec.NESTED_CHILDREN[file][1])
    return {c: spec.camel(c) for c in spec.CAS_COLUMNS[file] if c not in KEY and c not in omit}


CHILD_FIELDS: Final[dict[str, dict[str, str]]] = {file: _child_fields(file) for file in spec.FIR_CHILD_FILES}
_PART_FILE: Final[dict[str, str]] = {**spec.JSONL_ARRAYS, **spec.JSONL_OBJECTS}
((_NESTED_PART, _NESTED_FILE),) = spec.JSONL_NESTED_ARRAYS.items()
_PARENT_FILE, _JOIN_COL = spec.NESTED_CHILDREN[_NESTED_FILE]


def _struct(file: str) -> pl.Struct:
    fields = {key: pl.Utf8() for key in CHILD_FIELDS[file].values()}
    if file == _PARENT_FILE:
        fields[_NESTED_PART] = pl.List(_struct(_NESTED_FILE))
    return pl.Struct(fields)


def _document_schema() -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {"firRef": pl.Utf8()}
    schema |= {key: pl.Utf8() for key in FIR_FIELDS.values()}
    for part in spec.JSONL_DOCUMENT_PARTS:
        struct = _struct(_PART_FILE[part])
        schema[part] = struct if part in spec.JSONL_OBJECTS else pl.List(struct)
    return schema


#: The schema every document is read with (as polars types; :data:`_DUCK_COLUMNS` for DuckDB).
DOCUMENT_SCHEMA: Final = _document_schema()


# --------------------------------------------------------------------------------------------
# Documents: fast path and bisection
# --------------------------------------------------------------------------------------------


def _duck_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return _duck_type(dtype.inner) + "[]"
    if isinstance(dtype, pl.Struct):
        return "STRUCT(" + ", ".join(f'"{f.name}" {_duck_type(f.dtype)}' for f in dtype.fields) + ")"
    return "VARCHAR"


_DUCK_COLUMNS: Final = {k: _duck_type(v) for k, v in DOCUMENT_SCHEMA.items()}
_DUCK_NOISE: Final = re.compile(r' in file "[^"]*"|\s*Try setting.*$', re.S)


_LOCAL: Final = threading.local()
_GLOB_CHARS: Final = frozenset("*?[]{}")


def _connection() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB connection per thread (opening one costs ~20 ms)."""
    con, pid = getattr(_LOCAL, "con", (None, None))
    if con is None or pid != os.getpid():  # never reuse a connection across a fork
        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = true")
        _LOCAL.con = (con, os.getpid())
    return con


def _duck(path: Path) -> pl.DataFrame:
    """DuckDB's NDJSON reader with the document schema (raises ``duckdb.Error``). Rows come in
    file order (insertion order is preserved); blank lines yield no row."""
    rel = _connection().read_json(str(path), format="newline_delimited", columns=_DUCK_COLUMNS)
    return pl.from_arrow(rel.to_arrow_table())  # type: ignore[return-value]


class _Chunks:
    """Reads byte chunks of JSONL through files in a private temporary folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "chunk.jsonl"

    def read(self, payload: bytes, n: int) -> tuple[pl.DataFrame | None, str]:
        """(documents, "") when DuckDB reads exactly ``n`` rows; else (None, reason)."""
        self.path.write_bytes(payload)
        try:
            df = _duck(self.path)
        except duckdb.Error as exc:
            return None, _DUCK_NOISE.sub("", str(exc)).replace("Invalid Input Error: ", "").strip()
        if df.height != n:
            return None, f"{df.height} documents on {n} lines"
        return df, ""


def _why_not_json(line: bytes) -> tuple[str | None, dict[str, object] | None]:
    """(reason, None) when a line is not a JSON object, else (None, the document)."""
    try:
        doc = json.loads(line.decode("utf-8", errors="replace"), strict=False)
    except json.JSONDecodeError as exc:
        return f"not JSON: {exc.msg} (column {exc.colno})", None
    except RecursionError:
        return "not JSON: nested too deeply", None
    if not isinstance(doc, dict):
        return f"not a JSON object but {type(doc).__name__}", None
    return None, doc


_REF_RE: Final = {
    k: re.compile(rb'"' + k.encode() + rb'"\s*:\s*"([^"\\]*)"') for k in ("firRef", *_DOC_KEY.values())
}


def _guess_key(line: bytes, doc: dict[str, object] | None) -> str | None:
    """Best-effort FIR key of an unreadable line (for the State's feedback)."""
    vals: dict[str, object] = {}
    for k, rx in _REF_RE.items():
        if doc is not None:
            vals[k] = doc.get(k)
        else:
            m = rx.search(line)
            vals[k] = m.group(1).decode("utf-8", errors="replace") if m else None
    ref = vals["firRef"]
    if not isinstance(ref, str) or "/" not in ref:
        return None
    no, year = ref.rsplit("/", 1)
    return fir_key_or_none([vals["stateCode"], vals["districtCode"], vals["psCode"], year, no])


def _issue(no: int, line: bytes, detail: str, doc: dict[str, object] | None) -> dict[str, object]:
    raw = line.decode("utf-8", errors="replace").rstrip("\r")
    return unparseable("fir.csv", FILE, no, detail, raw, fir_key=_guess_key(line, doc))


def _bisect(
    chunks: _Chunks,
    lines: list[bytes],
    numbers: list[int],
    frames: list[pl.DataFrame],
    issues: list[dict[str, object]],
) -> None:
    """Read ``lines`` (all JSON objects) with DuckDB, halving failing chunks until the lines it
    refuses are isolated."""
    df, reason = chunks.read(b"\n".join(lines), len(lines))
    if df is not None:
        frames.append(df.with_columns(pl.Series("_row", numbers, dtype=pl.Int64)))
        return
    if len(lines) == 1:
        _, doc = _why_not_json(lines[0])
        issues.append(_issue(numbers[0], lines[0], f"document does not fit the interface: {reason}", doc))
        return
    mid = len(lines) // 2
    _bisect(chunks, lines[:mid], numbers[:mid], frames, issues)
    _bisect(chunks, lines[mid:], numbers[mid:], frames, issues)


def _careful(
    chunks: _Chunks, lines: list[bytes], numbers: list[int], issues: list[dict[str, object]]
) -> list[pl.DataFrame]:
    """The non-blank lines of a file the fast path could not take: all at once when DuckDB
    reads them; else lines that are not JSON objects are screened out with ``json.loads`` and
    the rest is bisected (one DuckDB call per bad line and halving level, so a few bad lines in
    a large file cost a few reads, and a file of garbage costs one ``json.loads`` per line)."""
    df, _ = chunks.read(b"\n".join(lines), len(lines))
    if df is not None:
        return [df.with_columns(pl.Series("_row", numbers, dtype=pl.Int64))]
    good: list[bytes] = []
    good_numbers: list[int] = []
    for line, no in zip(lines, numbers, strict=True):
        why, _ = _why_not_json(line)
        if why is None:
            good.append(line)
            good_numbers.append(no)
        else:
            issues.append(_issue(no, line, why, None))
    frames: list[pl.DataFrame] = []
    if good:
        _bisect(chunks, good, good_numbers, frames, issues)
    return frames


def _empty_documents() -> pl.DataFrame:
    return pl.DataFrame(schema=DOCUMENT_SCHEMA | {"_row": pl.Int64()})


def _line_structure(data: bytes) -> tuple[int, bool]:
    """(lines, whether any line is empty or only CR); a final line break ends the last line."""
    if not data:
        return 0, False
    arr = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(data)]))
    if starts[-1] == len(data):  # the text ends with a line break
        starts, ends = starts[:-1], ends[:-1]
    length = ends - starts
    blank = bool(np.any(length == 0)) or bool(
        np.any((length == 1) & (arr[np.minimum(starts, len(data) - 1)] == 13))
    )
    return len(starts), blank


def read_documents(
    data: bytes, pristine: Path | None = None
) -> tuple[pl.DataFrame, list[dict[str, object]], int]:
    """The documents of a JSONL text (valid UTF-8, no BOM) with their line numbers in ``_row``,
    rule-120 issues for the lines that cannot be read, and the number of records (lines that
    are not empty nor only CR, as the manifest counts them).

    ``pristine``: a file holding exactly ``data`` (read directly instead of a copy).
    """
    with tempfile.TemporaryDirectory(prefix="cctns-jsonl-") as tmp:
        chunks = _Chunks(Path(tmp))
        n_lines, blank = _line_structure(data)
        if n_lines and not blank:
            # Every line holds something: read the file in one go; line i is row i.
            if pristine is not None:
                try:
                    df: pl.DataFrame | None = _duck(pristine)
                except duckdb.Error:
                    df = None
                df = df if df is not None and df.height == n_lines else None
            else:
                df, _ = chunks.read(data, n_lines)
            if df is not None:
                return (
                    df.with_row_index("_row", offset=1).with_columns(pl.col("_row").cast(pl.Int64)),
                    [],
                    n_lines,
                )
        # Careful path: line by line, bad lines isolated.
        lines: list[bytes] = []
        numbers: list[int] = []
        issues: list[dict[str, object]] = []
        records = 0
        for no, line in enumerate(data.split(b"\n"), 1):
            if line in (b"", b"\r"):
                continue  # not a record
            records += 1
            if line.isspace():
                issues.append(_issue(no, line, "blank line", None))
                continue
            lines.append(line)
            numbers.append(no)
        frames = _careful(chunks, lines, numbers, issues) if lines else []
    out = pl.concat(frames, how="vertical") if frames else _empty_documents()
    out = out.select("_row", *DOCUMENT_SCHEMA).sort("_row")
    issues.sort(key=lambda r: r["source_row"])  # type: ignore[arg-type, return-value]
    return out, issues, records


# --------------------------------------------------------------------------------------------
# Documents -> tables
# --------------------------------------------------------------------------------------------


def _key_columns() -> list[pl.Expr]:
    ref = pl.col("firRef")
    slash = ref.str.contains("/", literal=True)
    return [
        *(pl.col(key).alias(col) for col, key in _DOC_KEY.items()),
        pl.when(slash).then(ref.str.extract(r"(?s)/([^/]*)$", 1)).alias("fir_year"),
        pl.when(slash).then(ref.str.extract(r"(?s)^(.*)/[^/]*$", 1)).otherwise(ref).alias("fir_no"),
    ]


_LINEAGE: Final = ("_row", *KEY)


def _fields(part: str, file: str) -> list[pl.Expr]:
    return [pl.col(part).struct.field(key).alias(col) for col, key in CHILD_FIELDS[file].items()]


def _array_rows(
    docs: pl.DataFrame, part: str, file: str, extra: tuple[pl.Expr, ...] = (), carry: tuple[str, ...] = ()
) -> pl.DataFrame:
    """One row per non-null element of the array ``part`` (``_pos``: its 1-based position);
    ``carry`` columns of the parent row are kept, ``extra`` expressions on the element added."""
    sub = docs.select(*_LINEAGE, *carry, part).filter(pl.col(part).list.len() > 0)
    sub = sub.with_columns(pl.int_ranges(1, pl.col(part).list.len() + 1).alias("_pos"))
    sub = sub.explode([part, "_pos"]).filter(pl.col(part).is_not_null())
    return sub.select(*_LINEAGE, *carry, "_pos", *_fields(part, file), *extra)


def _object_rows(docs: pl.DataFrame, part: str, file: str) -> pl.DataFrame:
    sub = docs.select(*_LINEAGE, part).filter(pl.col(part).is_not_null())
    return sub.select(*_LINEAGE, *_fields(part, file))


def _by_position(col: str, names: dict[int, str] | None = None) -> pl.Expr:
    """``col``, or when it is absent or blank the record's position ``_pos`` (through ``names``)."""
    pos = pl.col("_pos")
    number = (
        pos.cast(pl.Utf8) if names is None else pos.replace_strict(names, default=None, return_dtype=pl.Utf8)
    )
    value = pl.col(col)
    return pl.when(value.is_null() | (value.str.strip_chars() == "")).then(number).otherwise(value)


def _person_seqs(role: str, most: int = 1000) -> dict[int, str]:
    return {i: v for i in range(1, most + 1) if (v := person_seq_at(role, i)) is not None}


def build_tables(docs: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The FIR and child tables (interface columns as text, ``_row``; values not yet finished)."""
    docs = docs.with_columns(_key_columns())
    out: dict[str, pl.DataFrame] = {}
    out["fir.csv"] = docs.select(
        *_LINEAGE, *(pl.col(key).alias(col) for col, key in FIR_FIELDS.items() if col not in KEY)
    )
    out["act_section.csv"] = _array_rows(docs, "sections", "act_section.csv").with_columns(
        pl.col("_pos").cast(pl.Utf8).alias("seq")
    )
    out["crime_details.csv"] = _object_rows(docs, "crimeDetails", "crime_details.csv")
    persons = []
    for part, role in spec.JSONL_PERSON_ROLES.items():
        if part in spec.JSONL_OBJECTS:
            rows = _object_rows(docs, part, "person.csv").with_columns(pl.lit(1, pl.Int64).alias("_pos"))
        else:
            rows = _array_rows(docs, part, "person.csv")
        rows = rows.with_columns(
            _by_position("person_seq", _person_seqs(role)).alias("person_seq"), pl.lit(role).alias("role")
        )
        persons.append(rows.drop("_pos"))
    out["person.csv"] = pl.concat(persons, how="vertical").sort("_row", maintain_order=True)
    for part, file in spec.JSONL_ARRAYS.items():
        if file in ("act_section.csv", "person.csv"):
            continue
        nested = (
            (pl.col(part).struct.field(_NESTED_PART).alias(_NESTED_PART),) if file == _PARENT_FILE else ()
        )
        out[file] = _array_rows(docs, part, file, nested)
        if file in POSITIONAL_SEQ:
            col = POSITIONAL_SEQ[file]
            out[file] = out[file].with_columns(_by_position(col).alias(col))
    courts = out[_PARENT_FILE]
    out[_NESTED_FILE] = _array_rows(courts, _NESTED_PART, _NESTED_FILE, carry=(_JOIN_COL,))
    out[_PARENT_FILE] = courts.drop(_NESTED_PART)
    return {file: df.drop("_pos", strict=False) for file, df in out.items()}


def _bad_lines(data: bytes, sentinel: str) -> pl.Series:
    """Line numbers (1-based) holding the sentinel, i.e. bytes that were not UTF-8."""
    needle = sentinel.encode("utf-8")
    found: list[int] = []
    pos, line, last = data.find(needle), 1, 0
    while pos >= 0:
        line += data.count(b"\n", last, pos)
        last = pos
        if not found or found[-1] != line:
            found.append(line)
        pos = data.find(needle, pos + len(needle))
    return pl.Series("_row", found, dtype=pl.Int64)


def read_jsonl_bytes(
    raw: bytes, path: Path | None = None
) -> tuple[dict[str, pl.DataFrame], list[dict[str, object]], int]:
    """``firs.jsonl`` bytes -> (FIR and child raw tables, rule-120 issues, records)."""
    data, sentinel = ensure_utf8(strip_bom(raw), FILE)
    # DuckDB reads the delivered file itself when it holds exactly ``data`` and its name cannot
    # be taken for a glob pattern (which could match other files); otherwise a private copy.
    direct = path is not None and data is raw and not _GLOB_CHARS.intersection(str(path))
    docs, issues, records = read_documents(data, path if direct else None)
    missing_ref = docs.filter(pl.col("firRef").is_null())["_row"]
    if len(missing_ref):
        text = data.split(b"\n")
        for no in missing_ref.to_list():
            line = text[no - 1]
            issues.append(
                unparseable(
                    "fir.csv",
                    FILE,
                    no,
                    "document lacks firRef",
                    line.decode("utf-8", errors="replace").rstrip("\r"),
                )
            )
        docs = docs.filter(pl.col("firRef").is_not_null())
        issues.sort(key=lambda r: r["source_row"])  # type: ignore[arg-type, return-value]
    bad = _bad_lines(data, sentinel) if sentinel else None
    tables = {
        file: finish_table(df, file, "jsonl", FILE, sentinel=sentinel, bad_rows=bad)
        for file, df in build_tables(docs).items()
    }
    return tables, scrub(issues, sentinel), records


def read_jsonl_file(path: Path) -> tuple[dict[str, pl.DataFrame], list[dict[str, object]], int]:
    return read_jsonl_bytes(path.read_bytes(), path)
