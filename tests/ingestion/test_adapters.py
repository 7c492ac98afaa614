"""Tests of ingestion.adapters: every format reads back to the same raw tables.

The writer (sample_data.writers) produces the uploads; the adapters must read exactly what it
writes, plus the variations a real State sends (BOM, CRLF, column order, bad bytes, bad dates,
broken lines), and agree with the slow standard-library reader in tests/support.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import polars as pl
import pytest

from core import extract_spec as spec
from core.schema import ISSUE_SCHEMA, raw_schema
from ingestion.adapters import RawUpload, StructureError, read_upload
from ingestion.adapters import xml as xml_adapter
from ingestion.adapters.common import csv_layout, ensure_utf8
from sample_data import writers as w
from sample_data.defects import REJECTING_KINDS
from tests.sample_data.test_writers import fixture_tables, meta, synthetic_tables
from tests.support import extract_reader

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sample"
FIR_FILES = ("fir.csv", *spec.FIR_CHILD_FILES)
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def write(tmp_path: Path, fmt: str, tables: dict[str, pl.DataFrame], **kw: bool) -> Path:
    name = "-".join([fmt, *(k for k, v in sorted(kw.items()) if v)])
    return w.write_upload(tmp_path / name, meta(fmt, **kw), tables)


def comparable(df: pl.DataFrame, file: str) -> list[tuple]:
    """Interface columns only, floats as numbers (JSONL writes the shortest number), sorted."""
    cols = spec.CAS_COLUMNS[file]
    floats = spec.FLOAT_COLUMNS.get(file, ())
    exprs = [
        pl.col(c).cast(pl.Float64, strict=False).round(6).cast(pl.Utf8) if c in floats else pl.col(c)
        for c in cols
    ]
    return sorted(df.select(exprs).rows(), key=lambda r: tuple("" if v is None else v for v in r))


def assert_same_tables(a: RawUpload, b: RawUpload, files: tuple[str, ...] = tuple(spec.CAS_COLUMNS)) -> None:
    for file in files:
        assert comparable(a.tables[file], file) == comparable(b.tables[file], file), file


def check_shape(raw: RawUpload) -> None:
    """Every table has exactly its raw schema; issues have ISSUE_SCHEMA."""
    assert set(raw.tables) == set(spec.CAS_COLUMNS)
    for file, df in raw.tables.items():
        assert df.schema == pl.Schema(raw_schema(file)), file
        assert df["_row"].null_count() == 0 and df["_file"].null_count() == 0
    assert raw.issues.schema == pl.Schema(ISSUE_SCHEMA)


def builder_tables(tmp_path: Path) -> dict[str, pl.DataFrame]:
    """One State-day of generated FIR documents (as in test_generator)."""
    from sample_data.documents import Builder
    from sample_data.generate import offender_pool_sizes
    from sample_data.rand import Hasher
    from sample_data.world import Reference, events, simulate_state
    from tests.conftest import make_config

    cfg = make_config(tmp_path / "x", states=("09",), days=2, defect_rate=0.0)
    ref = Reference.load()
    h = Hasher(cfg.seed)
    world = simulate_state(cfg, ref, h, "09")
    ev = events(cfg, h, world).filter(pl.col("day") == cfg.first_day)
    tables = Builder(ref, h, cfg.seed, offender_pool_sizes(cfg, ref)).build(world, ev)
    tables = {n: df.select(spec.CAS_COLUMNS[n]) for n, df in tables.items()}
    return w.empty_tables() | tables


# --------------------------------------------------------------------------------------------
# (1) the three adapters agree
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["fixture", "generated"])
def test_three_formats_read_to_identical_tables(tmp_path: Path, source: str) -> None:
    tables = fixture_tables() if source == "fixture" else builder_tables(tmp_path)
    raws = {fmt: read_upload(write(tmp_path, fmt, tables), fmt) for fmt in spec.FORMATS}
    for raw in raws.values():
        check_shape(raw)
        assert raw.issues.height == 0
        for df in raw.tables.values():
            assert not df["_bad_utf8"].any()
    assert raws["cas_csv"].tables["fir.csv"].height == tables["fir.csv"].height
    if source == "generated":
        assert tables["fir.csv"].height > 50
    for fmt in ("jsonl", "xml"):
        assert_same_tables(raws["cas_csv"], raws[fmt])
    # lineage: file and record numbers
    doc_files = {"cas_csv": None, "jsonl": "firs.jsonl", "xml": "firs.xml"}
    for fmt, raw in raws.items():
        fir = raw.tables["fir.csv"]
        assert fir["_row"].to_list() == list(range(1, fir.height + 1))
        for file in FIR_FILES:
            assert set(raw.tables[file]["_file"].unique()) <= {doc_files[fmt] or file}
        # every child row carries the record number of its FIR document in JSONL / XML
        if fmt != "cas_csv":
            keyed = fir.select("_row", *spec.FIR_KEY)
            for file in spec.FIR_CHILD_FILES:
                child = raw.tables[file]
                joined = child.join(keyed, on=list(spec.FIR_KEY), how="left", suffix="_fir", nulls_equal=True)
                assert (joined["_row"] == joined["_row_fir"]).all(), (fmt, file)


def test_values_follow_the_raw_rules(tmp_path: Path) -> None:
    """Canonical dates, Y/N flags, nulls for empty strings, text kept exactly."""
    raws = {fmt: read_upload(write(tmp_path, fmt, fixture_tables()), fmt) for fmt in spec.FORMATS}
    for fmt, raw in raws.items():
        fir = raw.tables["fir.csv"].sort("fir_no")
        first = fir.row(0, named=True)
        assert first["registered_at"] == "2024-03-05 14:05:00", fmt
        assert first["status_date"] == "2024-06-01"
        assert first["is_zero_fir"] == "N" and fir["is_zero_fir"].to_list() == ["N", "Y", "N"]
        assert first["record_version"] == "3"
        assert first["io_name"] == "रमेश पटेल"
        assert first["brief_facts"].startswith(
            'Accused "Raju" & others broke the lock, took <2> bikes;\nsecond'
        )
        assert "\r\nthird" in first["brief_facts"]
        assert float(first["place_lat"]) == pytest.approx(23.022505)
        assert fir.row(1, named=True)["io_rank"] is None
        persons = raw.tables["person.csv"].sort("fir_no", "person_seq")
        assert persons.filter(pl.col("person_seq") == "A1")["name"].to_list() == ["राजू", "முருகன்"]
        assert sorted(persons["role"].unique().to_list()) == ["ACCUSED", "COMPLAINANT", "VICTIM"]
        sections = raw.tables["act_section.csv"].sort("fir_no", "seq")
        assert sections["seq"].to_list() == ["1", "2", "1"]
        hearings = raw.tables["hearing.csv"].sort("hearing_date")
        assert hearings["court_case_no"].to_list() == ["CC/123/2025", "CC/123/2025", "CC/7/2026"]
        assert hearings["adjourned"].to_list() == ["Y", "N", "N"]


# --------------------------------------------------------------------------------------------
# (2) agreement with the reference reader on the committed sample, (3) records_in
# --------------------------------------------------------------------------------------------


def _sample_uploads() -> list[Path]:
    return sorted(p for p in SAMPLE.iterdir() if p.is_dir() and spec.UPLOAD_NAME_RE.match(p.name))


def _rejected_uploads() -> dict[str, str]:
    d = pl.read_csv(SAMPLE / "_truth" / "defects.csv", infer_schema=False)
    return dict(
        d.filter(pl.col("kind").is_in(sorted(REJECTING_KINDS))).select("upload_id", "kind").iter_rows()
    )


def _reference_value(file: str, col: str, v: str | None) -> str | None:
    """The reference reader's value after the adapters' rules (blank -> null, floats as numbers)."""
    if v is None or not v.strip():
        return None
    if col in spec.FLOAT_COLUMNS.get(file, ()):
        try:
            return f"{round(float(v), 6)}"
        except ValueError:
            return v
    return v


def _ours(df: pl.DataFrame, file: str) -> list[tuple]:
    floats = spec.FLOAT_COLUMNS.get(file, ())
    rows = []
    for rec in df.select(spec.CAS_COLUMNS[file]).iter_rows(named=True):
        rows.append(
            tuple(f"{round(float(v), 6)}" if c in floats and v is not None else v for c, v in rec.items())
        )
    return sorted(rows, key=lambda r: tuple("" if v is None else v for v in r))


@pytest.mark.integration
def test_sample_agrees_with_reference_reader() -> None:
    rejected = _rejected_uploads()
    checked = 0
    for folder in _sample_uploads():
        if folder.name in rejected:
            continue
        fmt = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["format"]
        raw = read_upload(folder, fmt)
        check_shape(raw)
        assert raw.issues.height == 0, folder.name
        ref = extract_reader.read_upload(folder)
        for file in spec.CAS_COLUMNS:
            expected = sorted(
                (
                    tuple(_reference_value(file, c, r[c]) for c in spec.CAS_COLUMNS[file])
                    for r in ref.get(file, [])
                ),
                key=lambda r: tuple("" if v is None else v for v in r),
            )
            assert _ours(raw.tables[file], file) == expected, (folder.name, file)
        checked += 1
    assert checked > 200


@pytest.mark.integration
def test_records_in_equals_manifest_count_for_every_sample_file() -> None:
    rejected = _rejected_uploads()
    expected_codes = {"extra_column": "013", "missing_column": "014", "missing_file": "007"}
    for folder in _sample_uploads():
        fmt = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["format"]
        try:
            raw = read_upload(folder, fmt)
        except StructureError as exc:
            assert expected_codes.get(rejected.get(folder.name, "")) == exc.rule_code, (folder.name, exc)
            continue
        delivered = [f for f in spec.FORMAT_FILES[fmt] if (folder / f).exists()]
        assert sorted(raw.records_in) == sorted(delivered)
        for f in delivered:
            assert raw.records_in[f] == w.count_records(folder / f), (folder.name, f)
            if f.endswith(".csv"):
                # every record became a row or a rule-120 issue
                unparsed = raw.issues.filter(pl.col("source_file") == f).height
                assert raw.tables[f].height + unparsed == raw.records_in[f], (folder.name, f)
        if fmt != "cas_csv":
            doc = spec.FORMAT_FILES[fmt][0]
            docs = raw.tables["fir.csv"].height + raw.issues.filter(pl.col("source_file") == doc).height
            assert docs == raw.records_in[doc], folder.name


def test_non_utf8_records_of_the_sample_are_flagged() -> None:
    defects = pl.read_csv(SAMPLE / "_truth" / "defects.csv", infer_schema=False).filter(
        pl.col("kind") == "non_utf8"
    )
    assert defects.height >= 3
    for d in defects.iter_rows(named=True):
        folder = SAMPLE / d["upload_id"]
        fmt = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["format"]
        raw = read_upload(folder, fmt)
        flagged = {f: df.filter("_bad_utf8")["_row"].unique().to_list() for f, df in raw.tables.items()}
        row = int(d["record_no"])
        if fmt == "cas_csv":
            assert flagged.pop("person.csv") == [row]
        else:
            for file in FIR_FILES:
                rows = flagged.pop(file)
                assert rows in ([row], []), (file, rows)
            assert raw.tables["fir.csv"].filter("_bad_utf8")["_row"].to_list() == [row]
        assert all(not v for v in flagged.values()), flagged
        names = raw.tables["person.csv"].filter("_bad_utf8")["name"].to_list()
        assert any("\ufffd" in n for n in names if n)


# --------------------------------------------------------------------------------------------
# (4) BOM, CRLF, quoting, scripts, empty uploads
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", spec.FORMATS)
def test_bom_and_crlf_read_the_same(tmp_path: Path, fmt: str) -> None:
    plain = read_upload(write(tmp_path, fmt, fixture_tables()), fmt)
    both = read_upload(write(tmp_path, fmt, fixture_tables(), bom=True, crlf=True), fmt)
    assert_same_tables(plain, both)
    assert plain.records_in == both.records_in
    # the quoted CRLF inside brief_facts is kept as written, not turned into LF
    facts = both.tables["fir.csv"].sort("fir_no")["brief_facts"][0]
    assert "tabbed\r\nthird" in facts and "lock, took <2> bikes;\nsecond" in facts


def test_csv_quoting_and_scripts(tmp_path: Path) -> None:
    folder = write(tmp_path, "cas_csv", fixture_tables())
    text = (folder / "crime_details.csv").read_text(encoding="utf-8")
    assert '"crowbar, screwdriver"' in text and '""quietly""' in text
    raw = read_upload(folder, "cas_csv")
    cd = raw.tables["crime_details.csv"].sort("fir_no")
    assert cd["tools_used"][0] == "crowbar, screwdriver"
    assert cd["mo_text"][0] == 'Broke lock, "quietly" & fled <night>'
    body = raw.tables["unidentified_body.csv"].sort("ud_case_no")
    assert body["identification_marks"][0] == "tattoo 'ॐ' on arm"
    assert raw.tables["person.csv"].filter(pl.col("fir_no") == "0002")["address"].drop_nulls().to_list() == [
        "5, கோயில் தெரு, Chennai"
    ]


@pytest.mark.parametrize("fmt", spec.FORMATS)
def test_empty_upload(tmp_path: Path, fmt: str) -> None:
    folder = write(tmp_path, fmt, w.empty_tables())
    raw = read_upload(folder, fmt)
    check_shape(raw)
    assert all(df.height == 0 for df in raw.tables.values())
    assert raw.records_in == dict.fromkeys(spec.FORMAT_FILES[fmt], 0)
    assert raw.issues.height == 0


def test_empty_upload_with_bom_and_crlf(tmp_path: Path) -> None:
    folder = write(tmp_path, "cas_csv", w.empty_tables(), bom=True, crlf=True)
    raw = read_upload(folder, "cas_csv")
    check_shape(raw)
    assert all(df.height == 0 for df in raw.tables.values())
    assert set(raw.records_in.values()) == {0}


def test_empty_document_files_in_other_shapes(tmp_path: Path) -> None:
    for fmt, text in (("jsonl", b"\n\r\n"), ("xml", b""), ("xml", b"<FirExport/>"), ("xml", b"  \n")):
        folder = write(tmp_path / f"{fmt}{len(text)}", fmt, w.empty_tables())
        (folder / spec.FORMAT_FILES[fmt][0]).write_bytes(text)
        raw = read_upload(folder, fmt)
        assert raw.tables["fir.csv"].height == 0 and raw.issues.height == 0
        assert raw.records_in[spec.FORMAT_FILES[fmt][0]] == 0


# --------------------------------------------------------------------------------------------
# (5) bytes that are not UTF-8
# --------------------------------------------------------------------------------------------

LATIN1 = "Sur\u00e9sh".encode("latin-1")


def _inject(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) == 1, (path, old)
    path.write_bytes(data.replace(old, new))


@pytest.mark.parametrize("fmt", spec.FORMATS)
def test_non_utf8_byte_flags_exactly_its_record(tmp_path: Path, fmt: str) -> None:
    folder = write(tmp_path, fmt, fixture_tables())
    target = {"cas_csv": "person.csv", "jsonl": "firs.jsonl", "xml": "firs.xml"}[fmt]
    _inject(folder / target, b"Suresh", LATIN1)
    raw = read_upload(folder, fmt)
    check_shape(raw)
    assert raw.issues.height == 0
    person = raw.tables["person.csv"]
    bad = person.filter("_bad_utf8")
    assert "Sur\ufffdsh" in bad["name"].to_list()
    if fmt == "cas_csv":
        assert bad.height == 1
        assert all(not df["_bad_utf8"].any() for f, df in raw.tables.items() if f != "person.csv")
    else:
        # the whole document of FIR 0001 (row 1), nothing of the others
        for file in FIR_FILES:
            df = raw.tables[file]
            assert df.filter("_bad_utf8")["fir_no"].unique().to_list() in (["0001"], []), file
            assert df.filter(pl.col("fir_no") == "0001")["_bad_utf8"].all(), file
        assert raw.tables["fir.csv"].filter("_bad_utf8")["_row"].to_list() == [1]
    # the clean upload has the same values apart from that name
    clean = read_upload(write(tmp_path / "clean", fmt, fixture_tables()), fmt)
    fixed = raw.tables["person.csv"].with_columns(
        pl.col("name").str.replace("Sur\ufffdsh", "Suresh", literal=True)
    )
    assert comparable(fixed, "person.csv") == comparable(clean.tables["person.csv"], "person.csv")


def test_a_file_that_is_latin1_throughout(tmp_path: Path) -> None:
    folder = write(tmp_path, "cas_csv", fixture_tables())
    path = folder / "missing_person.csv"
    path.write_bytes(path.read_bytes().decode("utf-8").replace("सीता देवी", "Sîtà Dévî").encode("latin-1"))
    raw = read_upload(folder, "cas_csv")
    mp = raw.tables["missing_person.csv"].sort("report_no")
    assert mp["_bad_utf8"].to_list() == [True, False]
    assert mp["name"][0] == "S\ufffdt\ufffd D\ufffdv\ufffd"


def test_sentinel_decoding_keeps_other_text() -> None:
    data = "ok ராஜா ".encode() + b"\xe9\xff" + b" end"
    fixed, sentinel = ensure_utf8(data)
    assert sentinel is not None
    assert fixed.decode("utf-8") == f"ok ராஜா {sentinel}{sentinel} end"
    assert ensure_utf8(b"plain") == (b"plain", None)


# --------------------------------------------------------------------------------------------
# (6) dates and timestamps
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "bad_ts", "bad_date"),
    [
        ("cas_csv", "2024-02-30 10:00:00", "2024-13-01"),
        ("jsonl", "30/02/2024 10:00", "31/02/2024"),
        ("xml", "2024-02-30T10:00:00+05:30", "2024-02-30"),
    ],
)
def test_bad_dates_are_kept_verbatim(tmp_path: Path, fmt: str, bad_ts: str, bad_date: str) -> None:
    tables = fixture_tables()
    fir = tables["fir.csv"]
    text_ts = {
        "cas_csv": "%Y-%m-%d %H:%M:%S",
        "jsonl": spec.JSONL_TIMESTAMP_FORMAT,
        "xml": spec.XML_TIMESTAMP_FORMAT,
    }[fmt]
    fir = fir.with_columns(
        pl.col("registered_at").dt.strftime(text_ts),
        pl.col("status_date").dt.strftime("%d/%m/%Y" if fmt == "jsonl" else "%Y-%m-%d"),
    ).with_columns(
        pl.when(pl.col("fir_no") == "0001")
        .then(pl.lit(bad_ts))
        .otherwise(pl.col("registered_at"))
        .alias("registered_at"),
        pl.when(pl.col("fir_no") == "0001")
        .then(pl.lit(bad_date))
        .otherwise(pl.col("status_date"))
        .alias("status_date"),
    )
    tables["fir.csv"] = fir
    raw = read_upload(write(tmp_path, fmt, tables), fmt)
    got = raw.tables["fir.csv"].sort("fir_no")
    assert got["registered_at"].to_list() == [bad_ts, "2024-04-10 09:00:00", "2025-01-02 00:00:00"]
    assert got["status_date"].to_list() == [bad_date, None, "2025-02-03"]


def test_jsonl_notation_is_strict(tmp_path: Path) -> None:
    """Only DD/MM/YYYY HH:mm is canonicalised; other spellings stay verbatim for the checks."""
    tables = fixture_tables()
    values = ["5/3/2024 14:05", "2024-03-05 14:05:00", "05/03/2024 14:05"]
    tables["fir.csv"] = tables["fir.csv"].with_columns(pl.Series("registered_at", values))
    raw = read_upload(write(tmp_path, "jsonl", tables), "jsonl")
    got = raw.tables["fir.csv"].sort("_row")["registered_at"].to_list()
    assert got == ["5/3/2024 14:05", "2024-03-05 14:05:00", "2024-03-05 14:05:00"]


def test_xml_offsets_are_converted_to_ist(tmp_path: Path) -> None:
    folder = write(tmp_path, "xml", fixture_tables())
    path = folder / "firs.xml"
    data = path.read_text(encoding="utf-8")
    data = data.replace("<RegisteredAt>2024-03-05T14:05:00+05:30<", "<RegisteredAt>2024-03-05T08:35:00Z<")
    data = data.replace("<RegisteredAt>2024-04-10T09:00:00+05:30<", "<RegisteredAt>2024-04-10T09:00:00<")
    data = data.replace(
        "<LastModified>2025-02-03T10:10:00+05:30<", "<LastModified>2025-02-03T04:40:00+00:00<"
    )
    path.write_text(data, encoding="utf-8")
    fir = read_upload(folder, "xml").tables["fir.csv"].sort("fir_no")
    assert fir["registered_at"].to_list() == [
        "2024-03-05 14:05:00",
        "2024-04-10 09:00:00",
        "2025-01-02 00:00:00",
    ]
    assert fir["last_modified"][2] == "2025-02-03 10:10:00"


# --------------------------------------------------------------------------------------------
# (7) structure errors and unparseable records
# --------------------------------------------------------------------------------------------


def _edit_csv_header(path: Path, new_header: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(new_header + text[text.index("\n") :], encoding="utf-8")


def test_extra_and_missing_columns_are_rejected(tmp_path: Path) -> None:
    folder = write(tmp_path, "cas_csv", fixture_tables())
    header = ",".join(spec.CAS_COLUMNS["arrest.csv"])
    text = (folder / "arrest.csv").read_text(encoding="utf-8")
    (folder / "arrest.csv").write_text(
        "\n".join(line + ",x" if line else line for line in text.split("\n")).replace(
            header + ",x", header + ",remarks"
        ),
        encoding="utf-8",
    )
    with pytest.raises(StructureError) as exc:
        read_upload(folder, "cas_csv")
    assert (exc.value.rule_code, exc.value.file, exc.value.value) == ("013", "arrest.csv", "remarks")

    folder = write(tmp_path / "m", "cas_csv", fixture_tables())
    df = pl.read_csv(folder / "person.csv", infer_schema=False).drop("occupation", "alias")
    df.write_csv(folder / "person.csv")
    with pytest.raises(StructureError) as exc:
        read_upload(folder, "cas_csv")
    assert (exc.value.rule_code, exc.value.file, exc.value.value) == ("014", "person.csv", "alias,occupation")

    # the register CSVs of a document upload are checked the same way
    folder = write(tmp_path / "x", "xml", fixture_tables())
    _edit_csv_header(
        folder / "unidentified_body.csv", ",".join([*spec.CAS_COLUMNS["unidentified_body.csv"], "state_code"])
    )
    with pytest.raises(StructureError) as exc:
        read_upload(folder, "xml")
    assert exc.value.rule_code == "013" and exc.value.value == "state_code"


def test_columns_in_another_order_are_mapped_by_name(tmp_path: Path) -> None:
    folder = write(tmp_path, "cas_csv", fixture_tables())
    expected = read_upload(folder, "cas_csv")
    for file in ("fir.csv", "person.csv"):
        df = pl.read_csv(folder / file, infer_schema=False)
        df.select(list(reversed(df.columns))).write_csv(folder / file)
    got = read_upload(folder, "cas_csv")
    assert_same_tables(expected, got)


def test_unparseable_csv_is_rejected(tmp_path: Path) -> None:
    folder = write(tmp_path, "cas_csv", fixture_tables())
    text = (folder / "arrest.csv").read_text(encoding="utf-8")
    (folder / "arrest.csv").write_text(text.replace(",A2,", ',"A2"x,'), encoding="utf-8")
    with pytest.raises(StructureError) as exc:
        read_upload(folder, "cas_csv")
    assert (exc.value.rule_code, exc.value.file) == ("015", "arrest.csv")


def test_ragged_csv_record_is_an_issue(tmp_path: Path) -> None:
    folder = write(tmp_path, "cas_csv", fixture_tables())
    lines = (folder / "final_report.csv").read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1] + ",extra"  # record 1 too long
    lines.insert(2, "")  # an empty line is not a record
    (folder / "final_report.csv").write_text("\n".join(lines), encoding="utf-8")
    with (folder / "arrest.csv").open("a", encoding="utf-8") as fh:
        fh.write("24,118,10023\n")  # record 3 too short
    raw = read_upload(folder, "cas_csv")
    issues = raw.issues.sort("source_file")
    assert issues.select("source_file", "source_row", "rule_code", "severity").rows() == [
        ("arrest.csv", 3, "120", "error"),
        ("final_report.csv", 1, "120", "error"),
    ]
    assert issues["fir_key"].to_list() == [None, "24-118-10023-2024-0001"]
    assert raw.tables["final_report.csv"]["_row"].to_list() == [2]
    assert raw.tables["arrest.csv"]["_row"].to_list() == [1, 2]
    assert raw.records_in["final_report.csv"] == w.count_records(folder / "final_report.csv") == 2
    assert raw.records_in["arrest.csv"] == 3


def test_malformed_xml_is_rejected(tmp_path: Path) -> None:
    folder = write(tmp_path, "xml", fixture_tables())
    path = folder / "firs.xml"
    good = path.read_bytes()
    for broken, why in (
        (good.replace(b"</IoRank>", b"</IoRankx>", 1), "mismatched tag"),
        (good[: len(good) // 2], "unclosed token"),
        (good.replace(b"<FirExport", b"<Export", 1).replace(b"</FirExport>", b"</Export>"), "root element"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n' + good.split(b"\n", 1)[1], "DTD"),
    ):
        path.write_bytes(broken)
        with pytest.raises(StructureError) as exc:
            read_upload(folder, "xml")
        assert (exc.value.rule_code, exc.value.file) == ("015", "firs.xml"), why
        assert why in str(exc.value)


def test_broken_json_lines_are_issues_and_the_rest_is_read(tmp_path: Path) -> None:
    folder = write(tmp_path, "jsonl", fixture_tables())
    path = folder / "firs.jsonl"
    lines = path.read_bytes().split(b"\n")
    assert len(lines) == 4 and lines[-1] == b""
    lines[1] = lines[1][:-40]  # line 2 cut short: not JSON
    lines.insert(2, b"   ")  # line 3 blank but counted by the manifest
    lines.insert(3, b'{"stateCode":"24","sections":[]}')  # line 4: no firRef
    lines.insert(4, b'{"firRef":"0009/2024","sections":"303"}')  # line 5: sections is not an array
    lines.insert(5, b"")  # line 6: an empty line is not a record
    path.write_bytes(b"\n".join(lines))
    raw = read_upload(folder, "jsonl")
    check_shape(raw)
    assert raw.records_in["firs.jsonl"] == w.count_records(path) == 6
    issues = raw.issues
    assert issues["source_row"].to_list() == [2, 3, 4, 5]
    assert set(issues["rule_code"]) == {"120"} and set(issues["source_file"]) == {"firs.jsonl"}
    assert issues["fir_key"].to_list() == ["24-118-10023-2024-0002", None, None, None]
    assert "not JSON" in issues["message"][0] and "firRef" in issues["message"][2]
    assert "does not fit" in issues["message"][3]
    assert issues["value"][0] == lines[1].decode("utf-8")
    fir = raw.tables["fir.csv"]
    assert fir.select("_row", "fir_no").rows() == [(1, "0001"), (7, "0523")]
    # children keep the line of their document; those of the broken line are gone
    assert set(raw.tables["person.csv"]["_row"]) == {1}
    clean = read_upload(write(tmp_path / "c", "jsonl", fixture_tables()), "jsonl")
    for file in FIR_FILES:
        expected = clean.tables[file].filter(pl.col("fir_no") != "0002")
        assert comparable(raw.tables[file], file) == comparable(expected, file), file


def test_jsonl_careful_path_reads_like_the_fast_path(tmp_path: Path) -> None:
    folder = write(tmp_path, "jsonl", fixture_tables())
    path = folder / "firs.jsonl"
    expected = read_upload(folder, "jsonl")
    good = path.read_bytes()
    path.write_bytes(b"\r\n" + good.replace(b"}\n", b"}\r\n\n"))  # empty lines: line numbers move
    raw = read_upload(folder, "jsonl")
    assert raw.issues.height == 0 and raw.records_in["firs.jsonl"] == 3
    assert raw.tables["fir.csv"]["_row"].to_list() == [2, 4, 6]
    assert_same_tables(expected, raw)
    path.write_bytes(b"\n".join(b"garbage %d" % i for i in range(200)))
    raw = read_upload(folder, "jsonl")
    assert raw.issues["source_row"].to_list() == list(range(1, 201))
    assert raw.tables["fir.csv"].height == 0


def test_unreadable_and_nested_xml_firs(tmp_path: Path) -> None:
    """Both paths of the XML reader agree; a <FIR> inside a <FIR> makes both unreadable."""
    folder = write(tmp_path, "xml", fixture_tables())
    path = folder / "firs.xml"
    data = path.read_bytes()
    expected = read_upload(folder, "xml")
    # FIRs wrapped in another element and a comment: not the simple layout, the stream path
    wrapped = data.replace(b"<FirExport state", b"<!-- nightly --><FirExport state").replace(
        b"<FIR>", b"<Wrap><FIR>"
    )
    wrapped = wrapped.replace(b"</FIR>", b"</FIR></Wrap>")
    path.write_bytes(wrapped)
    assert_same_tables(expected, read_upload(folder, "xml"))
    # a comment that holds a <FIR> start tag breaks the record count
    path.write_bytes(data.replace(b"</FirExport>", b"<!-- <FIR> --></FirExport>"))
    with pytest.raises(StructureError, match="start tags"):
        read_upload(folder, "xml")
    # nested FIR
    lines = data.split(b"\n")
    lines[2] = lines[2].replace(b"</FIR>", b"<FIR><FirNo>0999</FirNo></FIR></FIR>")
    path.write_bytes(b"\n".join(lines))
    raw = read_upload(folder, "xml")
    assert raw.records_in["firs.xml"] == 4
    assert raw.issues.select("source_row", "rule_code").rows() == [(1, "120"), (2, "120")]
    assert raw.issues["fir_key"][0] == "24-118-10023-2024-0001"
    assert raw.tables["fir.csv"].select("_row", "fir_no").rows() == [(3, "0002"), (4, "0523")]


def test_xml_batch_and_stream_paths_agree(tmp_path: Path) -> None:
    data = (write(tmp_path, "xml", builder_tables(tmp_path)) / "firs.xml").read_bytes()
    records = xml_adapter.count_fir_elements(data)
    batch, stream = xml_adapter._Collector(None), xml_adapter._Collector(None)
    xml_adapter._batches(data, batch, records)
    xml_adapter._stream(data, stream)
    assert stream.firs == records > 50
    batch_tables, stream_tables = batch.tables(), stream.tables()
    for file, df in batch_tables.items():
        assert df.equals(stream_tables[file]), file


def test_unknown_keys_and_elements_are_ignored(tmp_path: Path) -> None:
    expected = {fmt: read_upload(write(tmp_path, fmt, fixture_tables()), fmt) for fmt in ("jsonl", "xml")}
    folder = write(tmp_path / "u", "jsonl", fixture_tables())
    path = folder / "firs.jsonl"
    text = path.read_text(encoding="utf-8").replace('{"firRef":', '{"remarks":{"a":[1,2]},"firRef":')
    text = text.replace('"personSeq":', '"extra":true,"personSeq":')
    path.write_text(text, encoding="utf-8")
    assert_same_tables(expected["jsonl"], read_upload(folder, "jsonl"))
    folder = write(tmp_path / "u", "xml", fixture_tables())
    path = folder / "firs.xml"
    text = path.read_text(encoding="utf-8").replace("<FIR>", '<FIR id="7"><Remarks><Name>x</Name></Remarks>')
    text = text.replace("<Persons>", "<Persons><Note/>").replace("<Name>", '<Name lang="hi">')
    path.write_text(text, encoding="utf-8")
    assert_same_tables(expected["xml"], read_upload(folder, "xml"))


def test_xml_declared_encoding_is_ignored(tmp_path: Path) -> None:
    """The interface is UTF-8: a declaration saying otherwise does not change how bytes are read."""
    folder = write(tmp_path, "xml", fixture_tables())
    expected = read_upload(folder, "xml")
    path = folder / "firs.xml"
    path.write_bytes(path.read_bytes().replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1))
    assert_same_tables(expected, read_upload(folder, "xml"))


def test_json_key_given_twice_is_unreadable(tmp_path: Path) -> None:
    folder = write(tmp_path, "jsonl", fixture_tables())
    path = folder / "firs.jsonl"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"status":', b'"status":"QUASHED","status":', 1)
    path.write_bytes(b"\n".join(lines))
    raw = read_upload(folder, "jsonl")
    assert raw.issues.select("source_row", "fir_key").rows() == [(3, "24-120-10024-2025-0523")]
    assert "duplicate key" in raw.issues["message"][0]
    assert raw.tables["fir.csv"]["_row"].to_list() == [1, 2]


def test_paths_that_look_like_globs(tmp_path: Path) -> None:
    """DuckDB treats a path as a glob pattern: such paths are read through a private copy."""
    expected = read_upload(write(tmp_path, "jsonl", fixture_tables()), "jsonl")
    folder = write(tmp_path / "in[box]*", "jsonl", fixture_tables())
    assert_same_tables(expected, read_upload(folder, "jsonl"))


def test_missing_file_is_a_structure_error(tmp_path: Path) -> None:
    folder = write(tmp_path, "jsonl", fixture_tables())
    (folder / "missing_person.csv").unlink()
    with pytest.raises(StructureError) as exc:
        read_upload(folder, "jsonl")
    assert (exc.value.rule_code, exc.value.file) == ("007", "missing_person.csv")


def test_csv_layout_counts_like_the_manifest() -> None:
    cases = [b"a,b\n1,2\n", b'a,b\n"x\ny",2\n\n"",3\r\n\r\n', b'a,b\n1,"open\n2,3\n', b"a,b", b""]
    for data in cases:
        assert csv_layout(data).records == w._count_bytes("x.csv", data), data
    assert csv_layout(b'a,b\n"1,2",3\n').commas == 2


# --------------------------------------------------------------------------------------------
# (8) throughput
# --------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_throughput(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    n = 20_000
    tables = synthetic_tables(n)
    report = []
    for fmt in spec.FORMATS:
        folder = w.write_upload(tmp_path / fmt, meta(fmt), tables)
        read_upload(folder, fmt)  # warm-up (first DuckDB use, file cache)
        start = time.perf_counter()
        raw = read_upload(folder, fmt)
        elapsed = time.perf_counter() - start
        rows = sum(df.height for df in raw.tables.values())
        assert raw.tables["fir.csv"].height == n
        mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        report.append(
            f"  {fmt:8s} {n / elapsed:>10,.0f} FIR documents/s  ({elapsed:.2f} s, {rows:,} rows, {mb:.0f} MB)"
        )
    with capsys.disabled():
        print(f"\nadapters throughput, {n:,} synthetic FIR documents:\n" + "\n".join(report))


def test_fir_key_of_an_unreadable_json_line() -> None:
    from ingestion.adapters.jsonl import _guess_key

    line = b'{"firRef": "0005/2024", "stateCode":"33","districtCode" : "699","psCode":"02007", "x": 1'
    assert _guess_key(line, None) == "33-699-02007-2024-0005"
    assert _guess_key(b'{"firRef":"0005"', None) is None
