"""Row-level checks and standardisation of one upload: raw tables in, national tables and issues out.

:func:`check_and_standardise` applies every error/warning rule of :mod:`ingestion.catalogue`
that can be decided from the upload alone (all of them except 113, 114 and 806, which need the
warehouse's history and are the orchestrator's, and 120, which the adapters raise) and returns
the standardised tables (:mod:`ingestion.standardise`) with the issues.

Conventions of the issues (``core.schema.ISSUE_SCHEMA``):

* ``entity`` is the cas_csv table of the row the issue is about and ``source_file`` /
  ``source_row`` its lineage, so the three always point at one record. Rule 201 (an FIR without
  sections) is reported on the FIR row.
* ``fir_key`` is set on every issue of an FIR document's row, child rows included (the
  orchestrator quarantines the whole document on an error); ``register_key`` on register rows.
* ``severity`` and ``message`` come from the catalogue: the template's placeholders are filled
  with ``field`` (column), ``value`` (the value as sent, trimmed), ``expected``, ``state`` (the
  upload's State), ``fir_key``, ``file`` (the table), ``detail`` and ``upload``; a placeholder
  without a value is left empty.

Decisions on what the catalogue leaves open (also in the report to the lead):

* codes are compared exactly after trimming (``m`` is not ``M``); a null enumeration value is
  an error only where the column is structural (person ``role``; property ``nature`` and
  ``category``; ``arrest_status``; ``report_type``; court ``result``), elsewhere null is
  "not recorded" (a null FIR ``status`` is rule 106; a register ``gender`` rule 802);
* 103/104/105 are checked against the masters of the upload's State and only when the row's
  ``state_code`` is that State (otherwise 102 already quarantines the document);
  118 also uses the upload's State's master (station codes are not State-qualified);
* 107/108 cover every date and timestamp of the document, child rows included; a timestamp is
  in the future when it is after ``generated_at``, a date when it is after its IST date;
* values that do not parse and have no rule of their own use the nearest one of their table:
  ``place_lat``/``place_lon`` -> 117, ``age``/``birth_year``/``height_cm`` -> 403 (height
  range 30-250 cm), ``property_seq`` -> 301, ``report_seq`` -> 601, section ``seq`` -> 207,
  register numbers and ``record_version`` -> 804;
* every key column of every lake entity is an error when empty or repeated, so that nothing an
  upload sends can fail a dbt key test: section ``seq`` 206/207/208, ``person_seq`` 406/405,
  the other child keys (:data:`CHILD_KEYS`) 121/122, FIR key 101/111, register key 801/809.
  A duplicate is judged within one copy of the document (like 405), after typing (``01`` and
  ``1`` are the same seq); every copy is reported;
* no date or timestamp may be before :data:`DATE_FLOOR` (1 January 1860): 123 in FIR documents,
  803 in the registers;
* register records of another State are reported as 801 on ``state_code``; 805 checks the
  station in the upload's State's master;
* 111 / 405 / 809 flag every copy; 405 / 208 / 122 / 502 / 703 look within one copy of the document
  (same FIR key and, in JSONL/XML, the same line / ``<FIR>`` element).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

import polars as pl

from core import extract_spec as spec
from core import schema
from ingestion import catalogue
from ingestion import standardise as std
from ingestion.schema import UploadContext

ROW: Final = std.ROW
_NULL: Final = pl.lit(None, pl.Utf8)
_IST: Final = ZoneInfo(schema.IST_TZ)

#: Enumerated columns where null is not allowed (see the module docstring): the mandatory
#: columns of the FIR's child tables in the schema registry.
REQUIRED_CODES: Final[dict[str, tuple[str, ...]]] = {
    e.file: e.mandatory for e in schema.ENTITIES if e.part == "fir_child" and e.mandatory
}
#: The code-invalid rule of each table's enumerations.
CODE_RULE: Final[dict[str, str]] = {
    "fir.csv": "110",
    "act_section.csv": "202",
    "person.csv": "401",
    "arrest.csv": "501",
    "property.csv": "301",
    "final_report.csv": "601",
    "court_case.csv": "701",
    "hearing.csv": "704",
    "missing_person.csv": "804",
    "unidentified_body.csv": "804",
}
FIR_MANDATORY: Final = schema.FIR.mandatory
REGISTER_MANDATORY: Final[dict[str, tuple[str, ...]]] = {
    e.file: e.mandatory for e in schema.ENTITIES if e.is_register
}
KEY_SHAPES: Final[dict[str, str]] = {
    "state_code": r"^\d{2}$",
    "district_code": r"^\d{3}$",
    "ps_code": r"^\d{5}$",
    "fir_year": r"^\d{4}$",
    "fir_no": r"^\d{4}$",
}
SEQ_SHAPES: Final[dict[str, str]] = {
    "ACCUSED": r"^[ABD-UW-Z][1-9]$",  # A1..A9, B1..; never C (complainant) or V (victim)
    "VICTIM": r"^V[1-9]\d*$",
    "COMPLAINANT": r"^C[1-9]\d*$",
}
HEIGHT_RANGE: Final = (30, 250)
#: Earliest date or timestamp accepted anywhere in an upload (rules 123 and 803): the IPC's
#: enactment. A year such as 0001 is a typing or conversion error, never a real offence date.
DATE_FLOOR: Final = dt.date(1860, 1, 1)
#: Key of each child record within its FIR document besides the FIR key (rules 121 / 122).
#: Sections (206/207/208) and persons (406/405) have rules of their own.
#: The keys are the registry's (:attr:`core.schema.Entity.child_key`); crime details: one per FIR.
CHILD_KEYS: Final[dict[str, tuple[str, ...]]] = {
    e.file: e.child_key
    for e in schema.ENTITIES
    if e.part == "fir_child" and e.file not in ("act_section.csv", "person.csv")
}
AGE_MAX: Final = 120


@dataclass
class Checked:
    """Result of :func:`check_and_standardise`."""

    tables: dict[str, pl.DataFrame]  # cas_csv table -> national frame, one row per raw row
    issues: pl.DataFrame  # schema.ISSUE_SCHEMA, one row per rule hit


# --------------------------------------------------------------------------------------------
# Hit collection
# --------------------------------------------------------------------------------------------

Val = pl.Expr | str | None


def _text(e: Val) -> pl.Expr:
    if e is None:
        return _NULL
    if isinstance(e, str):
        return pl.lit(e, pl.Utf8)
    return e.cast(pl.Utf8)


def _ts_text(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m-%d %H:%M")


def _date_text(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m-%d")


class _Hits:
    """Rule hits per table: (row number, rule, field, value, expected, detail), lazily."""

    def __init__(self, prepared: Mapping[str, pl.DataFrame]) -> None:
        self.p = prepared
        self.frames: dict[str, list[pl.LazyFrame]] = defaultdict(list)

    def add(
        self,
        file: str,
        cond: pl.Expr,
        code: str,
        field: Val = None,
        value: Val = None,
        expected: Val = None,
        detail: Val = None,
        *,
        frame: pl.LazyFrame | None = None,
    ) -> None:
        assert code in catalogue.BY_CODE, code
        lf = frame if frame is not None else self.p[file].lazy()
        self.frames[file].append(
            lf.filter(cond).select(
                pl.col(ROW),
                pl.lit(code).alias("rule_code"),
                _text(field).alias("field"),
                _text(value).alias("value"),
                _text(expected).alias("expected"),
                _text(detail).alias("detail"),
            )
        )


# --------------------------------------------------------------------------------------------
# Rules shared by several tables
# --------------------------------------------------------------------------------------------


def _dates(h: _Hits, file: str, gen: dt.datetime, invalid: str, future: str, early: str) -> None:
    """107/803 (does not parse), 108/808 (after the extract was generated) and 123/803 (before
    :data:`DATE_FLOOR`)."""
    gen_date = gen.date()
    floor = DATE_FLOOR.isoformat()
    floor_ts = dt.datetime.combine(DATE_FLOOR, dt.time(), tzinfo=_IST)
    for c in spec.TIMESTAMP_COLUMNS.get(file, ()):
        raw = pl.col(std.raw_name(c))
        h.add(file, raw.is_not_null() & pl.col(c).is_null(), invalid, c, raw)
        h.add(file, pl.col(c) > pl.lit(gen, dtype=schema.TS), future, c, raw)
        h.add(file, pl.col(c) < pl.lit(floor_ts, dtype=schema.TS), early, c, raw, floor)
    for c in spec.DATE_COLUMNS.get(file, ()):
        raw = pl.col(std.raw_name(c))
        h.add(file, raw.is_not_null() & pl.col(c).is_null(), invalid, c, raw)
        h.add(file, pl.col(c) > pl.lit(gen_date), future, c, raw)
        h.add(file, pl.col(c) < pl.lit(DATE_FLOOR), early, c, raw, floor)


def _child_keys(h: _Hits, file: str) -> None:
    """121 (a key column of a child record is empty) and 122 (the key appears more than once in
    one copy of the FIR document); see :data:`CHILD_KEYS`."""
    cols = CHILD_KEYS[file]
    for c in cols:
        src = std.raw_name(c) if std.raw_name(c) in h.p[file].columns else c
        h.add(file, pl.col(src).is_null(), "121", c, pl.col(src))
    copies = pl.len().over("fir_key", "__inst", *cols)
    filled = pl.all_horizontal(pl.col(c).is_not_null() for c in cols) if cols else pl.lit(True)
    field = ",".join(cols) if cols else "fir_key"
    value = (
        pl.concat_str([pl.col(c).cast(pl.Utf8) for c in cols], separator=",") if cols else pl.col("fir_key")
    )
    h.add(file, filled & (copies > 1), "122", field, value, detail=copies)


def _codes(h: _Hits, file: str) -> None:
    """The table's enumerations (110/202/301/401/501/601/701/704/804)."""
    code = CODE_RULE[file]
    required = REQUIRED_CODES.get(file, ())
    for c, allowed in spec.ENUMS.get(file, {}).items():
        src = pl.col(std.raw_name(c)) if c in spec.FLAG_COLUMNS.get(file, ()) else pl.col(c)
        bad = ~src.is_in(list(allowed))
        cond = bad.fill_null(True) if c in required else (src.is_not_null() & bad)
        h.add(file, cond, code, c, src)


def _unparsed(h: _Hits, file: str, columns: tuple[str, ...], code: str) -> None:
    for c in columns:
        raw = pl.col(std.raw_name(c))
        h.add(file, raw.is_not_null() & pl.col(c).is_null(), code, c, raw)


def _bad_utf8(h: _Hits, file: str) -> None:
    df = h.p[file]
    # (column reported, prepared column holding its text as sent)
    text_cols = [
        (c, std.raw_name(c) if std.raw_name(c) in df.columns else c)
        for c in spec.CAS_COLUMNS[file]
        if df.schema.get(std.raw_name(c), df.schema.get(c)) == pl.Utf8
    ]
    bad = {c: pl.col(src).str.contains("\ufffd", literal=True) for c, src in text_cols}
    field = pl.coalesce([pl.when(bad[c]).then(pl.lit(c)) for c, _ in text_cols] + [pl.lit("record")])
    first_bad = pl.coalesce([pl.when(bad[c]).then(pl.col(src)) for c, src in text_cols] + [_NULL])
    h.add(file, pl.col("_bad_utf8"), "115", field, first_bad)


# --------------------------------------------------------------------------------------------
# FIR document
# --------------------------------------------------------------------------------------------


def _fir(h: _Hits, ctx: UploadContext, gen: dt.datetime) -> None:
    f = "fir.csv"
    p = h.p[f]
    state = ctx.state_code
    # 101 key shape
    for c, shape in KEY_SHAPES.items():
        src = pl.col(std.raw_name(c)) if c == "fir_year" else pl.col(c)
        h.add(f, ~src.str.contains(shape).fill_null(False), "101", c, src)
    ok = {c: pl.col(c).str.contains(s).fill_null(False) for c, s in KEY_SHAPES.items() if c != "fir_year"}
    # 102 State
    h.add(
        f,
        ok["state_code"] & (pl.col("state_code") != state),
        "102",
        "state_code",
        pl.col("state_code"),
        state,
    )
    same = ok["state_code"] & (pl.col("state_code") == state)
    dist_raw = pl.col(std.raw_name("district_code"))
    # 103 district of the State
    districts = list(std.district_master(state))
    h.add(f, same & ok["district_code"] & ~dist_raw.is_in(districts), "103", "district_code", dist_raw)
    # 104 station in the State's master; 105 station's district
    h.add(f, same & ok["ps_code"] & pl.col("__ps_district").is_null(), "104", "ps_code", pl.col("ps_code"))
    h.add(
        f,
        same
        & ok["district_code"]
        & pl.col("__ps_district").is_not_null()
        & (pl.col("__ps_district") != dist_raw),
        "105",
        "ps_code",
        pl.col("ps_code"),
        pl.col("__ps_district"),
        dist_raw,
    )
    # 106 mandatory
    for c in FIR_MANDATORY:
        src = pl.col(std.raw_name(c)) if std.raw_name(c) in p.columns else pl.col(c)
        h.add(f, src.is_null(), "106", c)
    # 107/108/123 dates (and a FIR year before the floor: part of the key)
    _dates(h, f, gen, "107", "108", "123")
    h.add(
        f,
        pl.col("fir_year") < DATE_FLOOR.year,
        "123",
        "fir_year",
        pl.col(std.raw_name("fir_year")),
        str(DATE_FLOOR.year),
    )
    # 109 occurred after registered; 119 occurred_to before occurred_from
    h.add(
        f,
        pl.col("occurred_from") > pl.col("registered_at"),
        "109",
        "occurred_from",
        _ts_text("occurred_from"),
        _ts_text("registered_at"),
    )
    h.add(
        f,
        pl.col("occurred_to") < pl.col("occurred_from"),
        "119",
        "occurred_to",
        _ts_text("occurred_to"),
        _ts_text("occurred_from"),
    )
    # 110 codes
    _codes(h, f)
    # 111 duplicate FIR key (every copy)
    copies = pl.len().over("fir_key")
    h.add(f, copies > 1, "111", "fir_key", copies)
    # 112 version
    ver_raw = pl.col(std.raw_name("record_version"))
    h.add(
        f,
        ver_raw.is_not_null() & (pl.col("record_version").is_null() | (pl.col("record_version") < 1)),
        "112",
        "record_version",
        ver_raw,
    )
    # 115 text not UTF-8
    _bad_utf8(h, f)
    # 116 FIR year vs registration year
    reg_year = pl.col("registered_at").dt.year()
    h.add(f, pl.col("fir_year") != reg_year, "116", "fir_year", pl.col("fir_year"), reg_year)
    # 117 location outside the State's box (or not a coordinate)
    lat, lon = pl.col("place_lat"), pl.col("place_lon")
    place = pl.concat_str(
        [pl.col(std.raw_name("place_lat")).fill_null(""), pl.col(std.raw_name("place_lon")).fill_null("")],
        separator=",",
    )
    unparsed = (pl.col(std.raw_name("place_lat")).is_not_null() & lat.is_null()) | (
        pl.col(std.raw_name("place_lon")).is_not_null() & lon.is_null()
    )
    box = std.state_bbox(state)
    if box is not None:
        lat_min, lat_max, lon_min, lon_max = box
        outside = (lat < lat_min) | (lat > lat_max) | (lon < lon_min) | (lon > lon_max)
        h.add(f, outside.fill_null(False) | unparsed, "117", "place_lat,place_lon", place)
    else:
        h.add(f, unparsed, "117", "place_lat,place_lon", place)
    # 118 zero-FIR target station
    known_ps = std.ps_master(state)["ps_code"].to_list()
    tps = pl.col("transferred_to_ps")
    h.add(f, tps.is_not_null() & ~tps.is_in(known_ps), "118", "transferred_to_ps", tps)
    # 201 FIR without sections
    sec_keys = h.p["act_section.csv"].select("fir_key").unique().lazy()
    h.add(f, pl.lit(True), "201", frame=p.lazy().join(sec_keys, on="fir_key", how="anti"))


def _children_common(h: _Hits, gen: dt.datetime) -> None:
    for f in spec.FIR_CHILD_FILES:
        h.add(f, ~pl.col("__has_fir"), "901")
        _bad_utf8(h, f)
        if f in spec.DATE_COLUMNS:
            _dates(h, f, gen, "107", "108", "123")


def _act_section(h: _Hits) -> None:
    f = "act_section.csv"
    act, section = pl.col("act"), pl.col("section")
    h.add(f, act.is_null(), "206", "act")
    h.add(f, pl.col("section_raw").is_null(), "206", "section")
    h.add(f, act.is_not_null() & ~act.is_in(list(spec.ACTS)), "202", "act", act)
    valid_act = act.is_in(list(spec.ACTS)).fill_null(False)
    h.add(f, valid_act & section.is_not_null() & ~pl.col("__known_section"), "203", act, section)
    off = pl.col("__offence_date")
    off_text = off.dt.strftime("%Y-%m-%d")
    h.add(f, (act == "IPC") & (off >= pl.lit(std.BNS_START)), "204", "section", section, off_text)
    h.add(f, (act == "BNS") & (off < pl.lit(std.BNS_START)), "205", "section", section, off_text)
    # The key (fir_key, seq): 206 empty, 207 not a positive integer, 208 twice in the document.
    seq_raw, seq = pl.col(std.raw_name("seq")), pl.col("seq")
    h.add(f, seq_raw.is_null(), "206", "seq")
    h.add(f, seq_raw.is_not_null() & (seq.is_null() | (seq < 1)), "207", "seq", seq_raw)
    copies = pl.len().over("fir_key", "__inst", "seq")
    h.add(f, seq.is_not_null() & (copies > 1), "208", "seq", seq, detail=copies)


def _person(h: _Hits) -> None:
    f = "person.csv"
    _codes(h, f)
    role, seq = pl.col("role"), pl.col("person_seq")
    fits = pl.coalesce(
        [pl.when(role == r).then(seq.str.contains(shape)) for r, shape in SEQ_SHAPES.items()]
    ).fill_null(False)
    # The key (fir_key, person_seq): 406 empty, 405 twice in the document; 402 a misfit number.
    h.add(f, seq.is_null(), "406", "person_seq")
    h.add(
        f,
        role.is_in(list(spec.ROLES)).fill_null(False) & seq.is_not_null() & ~fits,
        "402",
        "person_seq",
        seq,
        role,
    )
    # 403 ranges (and values that are not numbers)
    ref_year = pl.coalesce(pl.col("__registered_at").dt.year(), pl.col("__fir_year"), pl.col("fir_year"))
    age, by, height = pl.col("age"), pl.col("birth_year"), pl.col("height_cm")
    _unparsed(h, f, ("age", "birth_year", "height_cm"), "403")
    h.add(f, (age < 0) | (age > AGE_MAX), "403", "age", age)
    h.add(f, (by > ref_year) | (by < ref_year - AGE_MAX), "403", "birth_year", by)
    h.add(f, (height < HEIGHT_RANGE[0]) | (height > HEIGHT_RANGE[1]), "403", "height_cm", height)
    # 404 age vs birth year
    h.add(f, ((ref_year - by) - age).abs() > 1, "404", "age", age, by)
    # 405 duplicate person_seq within the FIR
    h.add(
        f,
        seq.is_not_null() & (pl.len().over("fir_key", "__inst", "person_seq") > 1),
        "405",
        "person_seq",
        seq,
    )


def _arrest(h: _Hits) -> None:
    f = "arrest.csv"
    _codes(h, f)
    accused = (
        h.p["person.csv"]
        .lazy()
        .filter(pl.col("role") == "ACCUSED")
        .select("fir_key", "__inst", "person_seq", pl.lit(True).alias("__accused"))
        .unique(["fir_key", "__inst", "person_seq"])
    )
    joined = h.p[f].lazy().join(accused, on=["fir_key", "__inst", "person_seq"], how="left")
    h.add(f, pl.col("__accused").is_null(), "502", "person_seq", pl.col("person_seq"), frame=joined)
    h.add(
        f,
        pl.col("arrested_on") < pl.col("__registered_at").dt.date(),
        "503",
        "arrested_on",
        _date_text("arrested_on"),
        _ts_text("__registered_at"),
    )


def _property(h: _Hits) -> None:
    f = "property.csv"
    _codes(h, f)
    _unparsed(h, f, ("property_seq",), "301")
    v_raw = pl.col(std.raw_name("value_inr"))
    h.add(
        f,
        v_raw.is_not_null() & (pl.col("value_inr").is_null() | (pl.col("value_inr") < 0)),
        "302",
        "value_inr",
        v_raw,
    )
    no_ids = pl.all_horizontal(pl.col(c).is_null() for c in ("vehicle_reg_no", "chassis_no", "engine_no"))
    h.add(f, (pl.col("category") == "VEHICLE") & no_ids, "303", "category", pl.col("category"))


def _final_report(h: _Hits) -> None:
    f = "final_report.csv"
    _codes(h, f)
    _unparsed(h, f, ("report_seq",), "601")
    h.add(
        f,
        pl.col("report_date") < pl.col("__registered_at").dt.date(),
        "602",
        "report_date",
        _date_text("report_date"),
        _ts_text("__registered_at"),
    )


def _court(h: _Hits) -> None:
    f = "court_case.csv"
    _codes(h, f)
    h.add(
        f,
        pl.col("disposal_date") < pl.col("committed_on"),
        "702",
        "disposal_date",
        _date_text("disposal_date"),
        _date_text("committed_on"),
    )
    f = "hearing.csv"
    _codes(h, f)
    cases = (
        h.p["court_case.csv"]
        .lazy()
        .select("fir_key", "__inst", "court_case_no", pl.lit(True).alias("__case"))
        .unique(["fir_key", "__inst", "court_case_no"])
    )
    joined = h.p[f].lazy().join(cases, on=["fir_key", "__inst", "court_case_no"], how="left")
    h.add(f, pl.col("__case").is_null(), "703", "court_case_no", pl.col("court_case_no"), frame=joined)


# --------------------------------------------------------------------------------------------
# Registers
# --------------------------------------------------------------------------------------------


def _register(h: _Hits, f: str, ctx: UploadContext, gen: dt.datetime) -> None:
    no = schema.BY_FILE[f].register_number
    for c in ("state_code", "district_code", "ps_code"):
        h.add(f, ~pl.col(c).str.contains(KEY_SHAPES[c]).fill_null(False), "801", c, pl.col(c))
    h.add(f, pl.col(no).is_null(), "801", no)
    state_ok = pl.col("state_code").str.contains(KEY_SHAPES["state_code"]).fill_null(False)
    h.add(f, state_ok & (pl.col("state_code") != ctx.state_code), "801", "state_code", pl.col("state_code"))
    for c in REGISTER_MANDATORY[f]:
        src = pl.col(std.raw_name(c)) if std.raw_name(c) in h.p[f].columns else pl.col(c)
        h.add(f, src.is_null(), "802", c)
    _dates(h, f, gen, "803", "808", "803")
    _codes(h, f)
    numbers = tuple(
        c for c in spec.INTEGER_COLUMNS[f] + spec.FLOAT_COLUMNS.get(f, ()) if c != "record_version"
    )
    _unparsed(h, f, numbers, "804")
    ver_raw = pl.col(std.raw_name("record_version"))
    h.add(
        f,
        ver_raw.is_not_null() & (pl.col("record_version").is_null() | (pl.col("record_version") < 1)),
        "804",
        "record_version",
        ver_raw,
    )
    ps_ok = pl.col("ps_code").str.contains(KEY_SHAPES["ps_code"]).fill_null(False)
    same = state_ok & (pl.col("state_code") == ctx.state_code)
    h.add(f, same & ps_ok & pl.col("__ps_district").is_null(), "805", "ps_code", pl.col("ps_code"))
    if f == "unidentified_body.csv":
        h.add(
            f, pl.col("age_low") > pl.col("age_high"), "807", "age_low", pl.col("age_low"), pl.col("age_high")
        )
    copies = pl.len().over("register_key")
    h.add(f, copies > 1, "809", "register_key", pl.col("register_key"))
    _bad_utf8(h, f)


# --------------------------------------------------------------------------------------------
# Issues and messages
# --------------------------------------------------------------------------------------------

_PLACEHOLDER: Final = re.compile(r"\{(\w+)\}")


def _message_expr(template: str) -> pl.Expr:
    parts: list[pl.Expr] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            parts.append(pl.lit(template[pos : m.start()]))
        parts.append(pl.col(f"__ph_{m.group(1)}").fill_null(""))
        pos = m.end()
    if pos < len(template):
        parts.append(pl.lit(template[pos:]))
    return pl.concat_str(parts) if parts else pl.lit("")


def _issues(h: _Hits, ctx: UploadContext) -> pl.DataFrame:
    per_table: list[pl.LazyFrame] = []
    for f, frames in h.frames.items():
        p = h.p[f]
        key = "register_key" if f in spec.REGISTER_FILES else "fir_key"
        meta = p.lazy().select(
            pl.col(ROW),
            pl.col("_file").alias("source_file"),
            pl.col("_row").alias("source_row"),
            (pl.col(key) if key == "fir_key" else _NULL).alias("fir_key"),
            (pl.col(key) if key == "register_key" else _NULL).alias("register_key"),
        )
        hits = pl.concat(frames, how="vertical")
        per_table.append(hits.join(meta, on=ROW, how="left").with_columns(pl.lit(f).alias("entity")))
    if not per_table:
        return schema.empty_issues().with_columns(pl.lit(None, pl.UInt32).alias(ROW))
    found = pl.concat(per_table, how="vertical").collect(engine=std.ENGINE)
    codes = found["rule_code"].unique().to_list()
    severity = {c: catalogue.rule(c).severity for c in codes}
    found = found.with_columns(
        pl.col("rule_code").replace_strict(severity, return_dtype=pl.Utf8).alias("severity"),
        pl.col("field").alias("__ph_field"),
        pl.col("value").alias("__ph_value"),
        pl.col("expected").alias("__ph_expected"),
        pl.col("detail").alias("__ph_detail"),
        pl.col("fir_key").alias("__ph_fir_key"),
        pl.col("entity").alias("__ph_file"),
        pl.lit(ctx.state_code).alias("__ph_state"),
        pl.lit(ctx.upload_id).alias("__ph_upload"),
    )
    message: pl.Expr = _NULL
    for c in sorted(codes):
        message = (
            pl.when(pl.col("rule_code") == c)
            .then(_message_expr(catalogue.rule(c).message))
            .otherwise(message)
        )
    found = found.with_columns(message.alias("message"))
    # Stable order: table order of the interface, then row, then rule.
    order = {f: i for i, f in enumerate(std.FILES)}
    found = found.sort(
        pl.col("entity").replace_strict(order, return_dtype=pl.Int32), ROW, "rule_code", "field"
    )
    return found.select(*schema.ISSUE_SCHEMA, ROW)


def _warning_codes(issues: pl.DataFrame, prepared: Mapping[str, pl.DataFrame]) -> dict[str, pl.Series]:
    warn = issues.filter(pl.col("severity") == "warning")
    out: dict[str, pl.Series] = {}
    for f, p in prepared.items():
        w = (
            warn.filter(pl.col("entity") == f)
            .group_by(ROW)
            .agg(pl.col("rule_code").unique().sort().alias("codes"))
        )
        codes = p.select(ROW).join(w, on=ROW, how="left", maintain_order="left")["codes"]
        out[f] = codes.fill_null(pl.lit([], pl.List(pl.Utf8)))
    return out


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _generated_ist(ctx: UploadContext) -> dt.datetime:
    g = ctx.generated_at
    if g.tzinfo is None or g.utcoffset() is None:  # a naive time is taken as IST wall time
        g = g.replace(tzinfo=_IST)
    return g.astimezone(_IST)


def check_and_standardise(raw: Mapping[str, pl.DataFrame], ctx: UploadContext) -> Checked:
    """Check and standardise the raw tables of one upload (see the module docstring)."""
    prepared = std.prepare(raw, ctx)
    gen = _generated_ist(ctx)
    h = _Hits(prepared)
    _fir(h, ctx, gen)
    _children_common(h, gen)
    for f in CHILD_KEYS:
        _child_keys(h, f)
    _act_section(h)
    _person(h)
    _arrest(h)
    _property(h)
    _final_report(h)
    _court(h)
    for f in spec.REGISTER_FILES:
        _register(h, f, ctx, gen)
    found = _issues(h, ctx)
    tables = std.finalise(prepared, _warning_codes(found, prepared))
    return Checked(tables=tables, issues=found.select(list(schema.ISSUE_SCHEMA)).cast(schema.ISSUE_SCHEMA))
