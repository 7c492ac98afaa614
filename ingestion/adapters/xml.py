"""The xml adapter: ``firs.xml`` (``<FirExport>`` holding ``<FIR>`` elements) -> the FIR and
child raw tables.

Parsing is ``xml.etree.ElementTree`` (expat, in C), in one of two ways that give the same rows:

* **batches** (fast path): the envelope (everything before the first ``<FIR>`` and after the
  last ``</FIR>``) is parsed on its own, then runs of 2,000 consecutive ``<FIR>`` elements with
  ``ET.fromstring`` -- a whole tree built in C, no per-element events. Taken when the FIRs are
  consecutive children of the root (as written: one per line), which the parse itself proves.
* **stream** (anything else: FIRs wrapped in other elements, nested FIRs, malformed files):
  ``ET.iterparse`` over the whole file; each top-level ``<FIR>`` is turned into rows at its end
  tag and cleared, so memory stays flat.

Rows are built as Python lists (one per record, ``_row`` last) and handed to polars column-wise
at the end. The cyclic garbage collector is paused meanwhile (millions of short-lived tracked
objects and no reference cycles: 2-3x faster); its previous state is restored.

Mapping (``extract_spec`` ``XML_CHILDREN``, ``docs/extract_spec_notes.md``):

* FIR fields are the PascalCase elements of the fir.csv columns (``<RegisteredAt>``).
* Child records: ``<Sections><Section act=".." seq="..">text</Section>``, ``<CrimeDetails>``,
  ``<Persons><Person role=".." seq="..">``, ``<Arrests><Arrest personSeq="..">``,
  ``<Properties><Property seq="..">``, ``<FinalReports><FinalReport seq="..">``,
  ``<CourtCases><CourtCase no=".."><Hearings><Hearing>``; their other columns are PascalCase
  child elements. Records are also accepted without their container, and a column the writer
  puts in an attribute is also accepted as an element (the attribute wins). Hearings take the
  ``no`` of their court case. The FIR key of every child comes from its FIR.
* Unknown elements and attributes are ignored; element order does not matter; of an element
  given twice the last counts. A value is the element's text (text after a child element of a
  value element is not read).
* ``_row`` is the ``<FIR>`` element's 1-based position (by start tag), on the FIR row and all
  its children.
* A record without its number (no ``seq`` attribute nor element, or a blank one) is numbered
  by position within its FIR, as the JSONL adapter does: ``<Section>`` (the extract spec's own
  example writes ``<Section act="BNS">303(2)</Section>``), ``<Property>`` and ``<FinalReport>``
  1, 2, ... in document order; ``<Person>`` within its role (A1..A9, B1.., V1.., C1). The
  position counts every record of that kind, numbered or not, so a mix that collides is a
  duplicate key (rules 208 / 405 / 122), never silently renumbered.
* The root's ``state`` attribute, when present, must be the manifest's State: another State
  raises :class:`StructureError` ``029`` (the upload is rejected). An absent attribute is
  accepted (the manifest and the upload's name already say the State).

Errors: XML that is not well-formed, a root other than ``<FirExport>``, a DTD (``<!DOCTYPE``,
refused: entity expansion) or a file whose ``<FIR`` start tags do not match its ``<FIR>``
elements (one inside a comment or CDATA section: the manifest's row count could not be
reconciled) raise :class:`StructureError` ``015``. A ``<FIR>`` inside another ``<FIR>`` cannot
be read: both are rule-120 issues and yield no rows. An empty (0-byte or blank) file is read as
no FIRs. The XML declaration's ``encoding`` is ignored: the interface is UTF-8, and bytes that
are not UTF-8 are flagged like in the other formats. Timestamps (ISO 8601 with offset) are
converted to IST wall time by ``finish_table``.
"""

from __future__ import annotations

import gc
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from core import extract_spec as spec
from ingestion.adapters.common import (
    POSITIONAL_SEQ,
    StructureError,
    ensure_utf8,
    finish_table,
    fir_key_or_none,
    person_seq_at,
    scrub,
    strip_bom,
    unparseable,
)

FILE: Final = "firs.xml"
_FIR_START_RE: Final = re.compile(rb"<" + spec.XML_FIR.encode() + rb"[\s/>]")
_NKEY: Final = len(spec.FIR_KEY)
#: Attribute of the root element naming the State (``<FirExport state="24" ...>``).
ROOT_STATE: Final = "state"
_DECLARATION_RE: Final = re.compile(rb"<\?xml\s(?:[^>]*?\sencoding\s*=\s*[\"']([^\"']*)[\"'])?[^>]*\?>")


@dataclass(frozen=True)
class _Record:
    """How one child record element maps to its row: the cas_csv columns, then the ``<FIR>``
    number (``_row``) as the last item."""

    file: str
    pad: list[None]  # the row after the FIR key, all missing, ``_row`` included
    attrs: tuple[tuple[str, int], ...]
    text: int | None
    elements: dict[str, int]


def _record_spec(file: str) -> _Record:
    cols = spec.CAS_COLUMNS[file]
    assert cols[:_NKEY] == spec.FIR_KEY, file
    _container, _tag, attrs, text_col = spec.XML_CHILDREN[file]
    return _Record(
        file=file,
        pad=[None] * (len(cols) - _NKEY + 1),
        attrs=tuple((a, cols.index(c)) for a, c in attrs),
        text=cols.index(text_col) if text_col else None,
        elements={spec.pascal(c): i for i, c in enumerate(cols) if i >= _NKEY and c != text_col},
    )


RECORDS: Final[dict[str, _Record]] = {file: _record_spec(file) for file in spec.XML_CHILDREN}
#: record tag -> spec; container tag -> {record tag: spec}
_BY_TAG: Final[dict[str, _Record]] = {spec.XML_CHILDREN[f][1]: r for f, r in RECORDS.items()}
_CONTAINERS: Final[dict[str, dict[str, _Record]]] = {
    spec.XML_CHILDREN[f][0]: {spec.XML_CHILDREN[f][1]: r}
    for f, r in RECORDS.items()
    if spec.XML_CHILDREN[f][0]
}
_FIR_COLS: Final = spec.CAS_COLUMNS["fir.csv"]
_FIR_ELEMENTS: Final[dict[str, int]] = {spec.pascal(c): i for i, c in enumerate(_FIR_COLS)}
((_NESTED_FILE, (_PARENT_FILE, _JOIN_COL)),) = spec.NESTED_CHILDREN.items()
_NESTED_CONTAINER: Final = spec.XML_CHILDREN[_NESTED_FILE][0]
_NESTED_TAG: Final = spec.XML_CHILDREN[_NESTED_FILE][1]
_JOIN_IN_PARENT: Final = spec.CAS_COLUMNS[_PARENT_FILE].index(_JOIN_COL)
_JOIN_IN_NESTED: Final = spec.CAS_COLUMNS[_NESTED_FILE].index(_JOIN_COL)

Rows = dict[str, list[list[str | None]]]

# The walk below is the hot loop of this adapter (about a third of its time; expat and the C
# tree builder take half). A plain loop over the children with one dict look-up each measured
# faster than gathering them with map/zip/dict calls (records have only a few children).


def _record(el: ET.Element, rs: _Record, key: list[str | None], n: int, out: Rows) -> list[str | None]:
    vals: list[str | None] = key + rs.pad
    vals[-1] = n  # type: ignore[call-overload]
    get = rs.elements.get
    nested = False
    for ch in el:
        i = get(ch.tag)
        if i is not None:
            vals[i] = ch.text
        else:
            nested = True
    if el.attrib:
        for attr, i in rs.attrs:
            v = el.get(attr)
            if v is not None:
                vals[i] = v
    if rs.text is not None:
        vals[rs.text] = el.text
    out[rs.file].append(vals)
    if nested and rs.file == _PARENT_FILE:  # a court case: its hearings
        hs = RECORDS[_NESTED_FILE]
        for ch in el:
            if ch.tag == _NESTED_CONTAINER:
                for h in ch:
                    if h.tag == _NESTED_TAG:
                        _hearing(h, hs, key, n, out, vals[_JOIN_IN_PARENT])
            elif ch.tag == _NESTED_TAG:
                _hearing(ch, hs, key, n, out, vals[_JOIN_IN_PARENT])
    return vals


def _hearing(
    el: ET.Element, hs: _Record, key: list[str | None], n: int, out: Rows, case_no: str | None
) -> None:
    vals = _record(el, hs, key, n, out)
    if vals[_JOIN_IN_NESTED] is None:
        vals[_JOIN_IN_NESTED] = case_no


_FIR_PAD: Final[list[None]] = [None] * (len(_FIR_COLS) + 1)


def _fir(el: ET.Element, n: int, out: Rows) -> None:
    """Append the rows of ``<FIR>`` number ``n`` to ``out`` (rows per table, ``_row`` last)."""
    vals: list[str | None] = _FIR_PAD.copy()
    vals[-1] = n  # type: ignore[call-overload]
    records: list[tuple[ET.Element, _Record]] = []
    fields = _FIR_ELEMENTS.get
    for ch in el:
        tag = ch.tag
        i = fields(tag)
        if i is not None:
            vals[i] = ch.text
            continue
        rs = _BY_TAG.get(tag)
        if rs is not None:
            records.append((ch, rs))
            continue
        inner = _CONTAINERS.get(tag)
        if inner is not None:
            for rec in ch:
                rs = inner.get(rec.tag)
                if rs is not None:
                    records.append((rec, rs))
    out["fir.csv"].append(vals)
    key = vals[:_NKEY]
    counts: dict[object, int] = {}
    for rec, rs in records:
        row = _record(rec, rs, key, n, out)
        number = _POSITIONAL.get(rs.file)
        if number is not None:
            number(row, counts)


def _blank(v: str | None) -> bool:
    return v is None or not v.strip()


def _number_by_position(file: str) -> Callable[[list[str | None], dict[object, int]], None]:
    """Numbers a record of ``file`` by its 1-based position among the FIR's records of that
    file (``seq``, ``property_seq``, ``report_seq``) when it carries no number itself."""
    i = spec.CAS_COLUMNS[file].index(POSITIONAL_SEQ[file])

    def number(row: list[str | None], counts: dict[object, int]) -> None:
        pos = counts[file] = counts.get(file, 0) + 1
        if _blank(row[i]):
            row[i] = str(pos)

    return number


def _number_person(row: list[str | None], counts: dict[object, int]) -> None:
    """A person without ``seq`` is numbered by position within its role (A1.., V1.., C1..)."""
    role = row[_PERSON_ROLE]
    if role is None:
        return
    role = role.strip()
    pos = counts[role] = counts.get(role, 0) + 1
    if _blank(row[_PERSON_SEQ]):
        row[_PERSON_SEQ] = person_seq_at(role, pos)


_PERSON_ROLE: Final = spec.CAS_COLUMNS["person.csv"].index("role")
_PERSON_SEQ: Final = spec.CAS_COLUMNS["person.csv"].index("person_seq")
_POSITIONAL: Final[dict[str, Callable[[list[str | None], dict[object, int]], None]]] = {
    file: _number_by_position(file) for file in POSITIONAL_SEQ
} | {"person.csv": _number_person}


def _holds(el: ET.Element, sentinel: str) -> bool:
    """Whether the element's text, attributes or descendants hold the sentinel."""
    for e in el.iter():
        if (e.text and sentinel in e.text) or (e is not el and e.tail and sentinel in e.tail):
            return True
        if any(sentinel in v for v in e.attrib.values()):
            return True
    return False


def count_fir_elements(data: bytes) -> int:
    """``<FIR>`` start tags, as the manifest's ``rows`` counts them."""
    return len(_FIR_START_RE.findall(data))


class _Collector:
    """Rows per table (``_row`` last), the FIRs holding bad bytes, and issues.

    Rows are turned into polars frames every :data:`_FLUSH` FIRs, while their strings are still
    in the CPU cache (transposing them all at the end measured ~2x slower).
    """

    def __init__(self, sentinel: str | None) -> None:
        self.sentinel = sentinel
        self.rows: Rows = {f: [] for f in ("fir.csv", *RECORDS)}
        self.frames: dict[str, list[pl.DataFrame]] = {f: [] for f in self.rows}
        self.bad: list[int] = []
        self.issues: list[dict[str, object]] = []
        self.firs = 0
        self._pending = 0

    def add(self, el: ET.Element, n: int) -> None:
        _fir(el, n, self.rows)
        if self.sentinel is not None and _holds(el, self.sentinel):
            self.bad.append(n)
        self._pending += 1
        if self._pending >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        for file, recs in self.rows.items():
            if recs:
                self.frames[file].append(_frame(file, recs))
                recs.clear()
        self._pending = 0

    def tables(self) -> dict[str, pl.DataFrame]:
        """The raw text tables (values not finished yet), ``_row`` and ``_file`` included."""
        self.flush()
        return {
            file: pl.concat(frames, how="vertical") if frames else _frame(file, [])
            for file, frames in self.frames.items()
        }

    def unreadable(self, el: ET.Element, n: int, detail: str) -> None:
        text = ET.tostring(el, encoding="unicode")
        key = fir_key_or_none([_text_of(el, spec.pascal(c)) for c in spec.FIR_KEY])
        self.issues.append(unparseable("fir.csv", FILE, n, detail, text, fir_key=key))


_FLUSH: Final = 1000


def _frame(file: str, recs: list[list[str | None]]) -> pl.DataFrame:
    cols = spec.CAS_COLUMNS[file]
    columns = list(zip(*recs, strict=True)) if recs else [()] * (len(cols) + 1)
    return pl.DataFrame(
        {c: pl.Series(c, v, dtype=pl.Utf8) for c, v in zip(cols, columns, strict=False)}
        | {
            "_row": pl.Series("_row", columns[-1], dtype=pl.Int64),
            "_file": pl.repeat(FILE, len(recs), eager=True),
        }
    )


class _NotBatchable(Exception):
    """The fast batch path does not apply; parse the file as a stream."""


_END_RE: Final = re.compile(rb"</" + spec.XML_FIR.encode() + rb"\s*>")
_BATCH: Final = 2000  # <FIR> elements parsed per ElementTree.fromstring call


def _batches(data: bytes, out: _Collector, records: int, state: str | None = None) -> None:
    """Fast path: the envelope (everything before the first and after the last ``<FIR>``)
    and batches of consecutive ``<FIR>`` elements are parsed with ``ET.fromstring`` (a whole
    tree in C, no per-element events). Raises _NotBatchable when the FIRs are not simply
    consecutive children of the root (then the stream parser decides)."""
    first = _FIR_START_RE.search(data)
    ends = [m.end() for m in _END_RE.finditer(data)]
    if first is None or not ends or records == 0:
        raise _NotBatchable  # no FIRs (or only broken ones): the stream parser decides
    try:
        _check_root(ET.fromstring(data[: first.start()] + data[ends[-1] :]), state)
        prev, n = first.start(), 0
        cuts = [*ends[_BATCH - 1 :: _BATCH], ends[-1]] if len(ends) % _BATCH else ends[_BATCH - 1 :: _BATCH]
        for cut in cuts:
            batch = ET.fromstring(b"<B>" + data[prev:cut] + b"</B>")
            prev = cut
            for el in batch:
                if el.tag == spec.XML_FIR:
                    n += 1
                    out.add(el, n)
    except (ET.ParseError, StructureError) as exc:
        if isinstance(exc, StructureError) and exc.rule_code == "029":
            raise  # the envelope parsed and names another State: no need to stream the file
        raise _NotBatchable from exc
    if n != records:
        raise _NotBatchable


def _stream(data: bytes, out: _Collector, state: str | None = None) -> None:
    """General path: ``iterparse`` over the whole file, ``<FIR>`` elements at any depth,
    numbered by their start tags; a ``<FIR>`` inside another ``<FIR>`` makes both unreadable."""
    open_firs: list[list[object]] = []  # [element, number, holds a nested FIR]
    n = 0
    it = ET.iterparse(io.BytesIO(data), events=("start", "end"))
    try:
        for event, el in it:
            if el.tag != spec.XML_FIR:
                continue
            if event == "start":
                n += 1
                if open_firs:
                    for outer in open_firs:
                        outer[2] = True
                open_firs.append([el, n, False])
                continue
            _el, no, has_nested = open_firs.pop()
            assert isinstance(no, int)
            if has_nested:
                out.unreadable(el, no, "a <FIR> element holds another <FIR> element")
            elif open_firs:
                out.unreadable(el, no, "a <FIR> element inside another <FIR> element")
            else:
                out.add(el, no)
            if not open_firs:
                el.clear()
    except ET.ParseError as exc:
        raise StructureError("015", FILE, f"{FILE} cannot be read: {exc}") from exc
    _check_root(it.root, state)  # type: ignore[attr-defined]
    out.firs = n


def _check_root(root: ET.Element | None, state: str | None) -> None:
    tag = None if root is None else root.tag
    if root is None or tag != spec.XML_ROOT:
        raise StructureError(
            "015", FILE, f"{FILE} cannot be read: root element is <{tag}>, expected <{spec.XML_ROOT}>"
        )
    named = root.get(ROOT_STATE)
    if state is not None and named is not None and named.strip() != state:
        raise StructureError(
            "029",
            FILE,
            f"{FILE} names State {named.strip()!r} (<{spec.XML_ROOT} {ROOT_STATE}>), but the manifest's"
            f" state_code is {state!r}: the file is not read",
            named.strip(),
        )


def _parse(data: bytes, sentinel: str | None, records: int, state: str | None = None) -> _Collector:
    out = _Collector(sentinel)
    if not data or data.isspace():
        return out
    try:
        _batches(data, out, records, state)
        out.firs = records
    except _NotBatchable:
        out = _Collector(sentinel)
        _stream(data, out, state)
    if out.firs != records:
        raise StructureError(
            "015",
            FILE,
            f"{FILE} cannot be read: it holds {records} '<FIR' start tags but {out.firs} <FIR> elements"
            " (a comment, CDATA section or processing instruction contains '<FIR')",
        )
    return out


def read_xml_bytes(
    raw: bytes, state_code: str | None = None
) -> tuple[dict[str, pl.DataFrame], list[dict[str, object]], int]:
    """``firs.xml`` bytes -> (FIR and child raw tables, rule-120 issues, records).

    ``state_code``: the manifest's State; a root ``state`` attribute naming another State raises
    :class:`StructureError` ``029``."""
    records = count_fir_elements(raw)
    data, sentinel = ensure_utf8(strip_bom(raw), FILE)
    if b"<!DOCTYPE" in data:
        raise StructureError("015", FILE, f"{FILE} cannot be read: a DTD (<!DOCTYPE) is not allowed")
    decl = _DECLARATION_RE.match(data)
    if decl is not None and decl.group(1) is not None and decl.group(1).lower() not in (b"utf-8", b"utf8"):
        # blank it out (same length: error positions stay right) so that expat reads UTF-8
        data = b" " * decl.end() + data[decl.end() :]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived tracked objects, no reference cycles: 2-3x faster
    try:
        out = _parse(data, sentinel, records, state_code)
        bad_rows = pl.Series("_row", out.bad, dtype=pl.Int64) if sentinel else None
        tables = {
            file: finish_table(df, file, "xml", FILE, sentinel=sentinel, bad_rows=bad_rows)
            for file, df in out.tables().items()
        }
    finally:
        if gc_was_enabled:
            gc.enable()
    out.issues.sort(key=lambda r: r["source_row"])  # type: ignore[arg-type, return-value]
    return tables, scrub(out.issues, sentinel), records


def _text_of(el: ET.Element, tag: str) -> str | None:
    ch = el.find(tag)
    return None if ch is None or len(ch) else ch.text


def read_xml_file(
    path: Path, state_code: str | None = None
) -> tuple[dict[str, pl.DataFrame], list[dict[str, object]], int]:
    return read_xml_bytes(path.read_bytes(), state_code)
