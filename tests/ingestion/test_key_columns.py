"""Key columns: every format fills them, ingestion enforces them, and no upload can make a dbt key
test fail (issue 12, item 2; the XML root State and the offence-date floor of item 10).

The uploads are small and made here: the writers' fixture documents (``tests.sample_data``),
edited the way a State's software would write them (the extract spec's own XML example leaves
``seq`` out of ``<Section>``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import polars as pl
import pytest

from core import extract_spec as spec
from core.settings import Paths
from ingestion import catalogue
from ingestion.adapters import StructureError, read_upload
from ingestion.checks import check_and_standardise
from ingestion.pipeline import Ingestor
from ingestion.upload import BY_NAME
from sample_data import writers as w
from tests.ingestion.test_checks import clean_rows, context_of
from tests.ingestion.test_checks import run as run_checks
from tests.sample_data.test_writers import fixture_tables, meta

K1 = "24-554-01001-2024-0001"
K2 = "24-554-01001-2024-0002"
#: The fixture's made-up codes -> stations of the Gujarat master, so that its documents load.
_CODES = {"118": "554", "120": "554", "10023": "01001", "10024": "01002", "10099": "01003"}

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _tables() -> dict[str, pl.DataFrame]:
    """The fixture documents, with K1's sections valid for its offence date (IPC, before the
    switch), so that K1 (two sections, persons, properties, reports) loads."""
    tables = {
        file: df.with_columns(
            pl.col(c).replace(_CODES)
            for c in ("district_code", "ps_code", "transferred_to_ps")
            if c in df.columns
        )
        for file, df in fixture_tables().items()
    }
    sec = tables["act_section.csv"]
    k1 = pl.col("fir_no") == "0001"
    tables["act_section.csv"] = sec.with_columns(
        pl.when(k1).then(pl.lit("IPC")).otherwise(pl.col("act")).alias("act"),
        pl.when(k1 & (pl.col("seq") == 1))
        .then(pl.lit("457"))
        .when(k1)
        .then(pl.lit("380"))
        .otherwise(pl.col("section"))
        .alias("section"),
    )
    return tables


def _write(tmp_path: Path, fmt: str, tables: dict[str, pl.DataFrame] | None = None) -> Path:
    return w.write_upload(tmp_path / f"in_{fmt}", meta(fmt), tables if tables is not None else _tables())


def _rewrite(folder: Path, name: str, edit) -> None:
    """Edit one data file and keep the manifest true (hash and rows), as a State would send it."""
    path = folder / name
    path.write_bytes(edit(path.read_bytes()))
    man_path = folder / spec.MANIFEST_FILE
    man = json.loads(man_path.read_text())
    for f in man["files"]:
        if f["name"] == name:
            f["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
            f["rows"] = spec.count_records(path)
    man_path.write_text(json.dumps(man))


_SEQ_ATTR = re.compile(rb'(<(?:Section|Person|Property|FinalReport)\b[^>]*?)\s+seq="[^"]*"')


def _strip_xml_seqs(data: bytes) -> bytes:
    out = _SEQ_ATTR.sub(rb"\1", data)
    # a writer may also put the number in an element
    return re.sub(rb"<(PropertySeq|ReportSeq|PersonSeq|Seq)>[^<]*</\1>", b"", out)


def _ingest(tmp_path: Path, folder: Path, fmt: str, name: str = "home") -> tuple[Paths, dict]:
    home = Paths(tmp_path / name).ensure()
    ingestor = Ingestor(home)
    ingestor.formats["24"] = fmt
    [summary] = ingestor.run([folder], channel=BY_NAME)
    return home, summary.ledger


def _lake(home: Paths, entity: str) -> pl.DataFrame:
    files = sorted(home.lake.glob(f"state_code=*/load_id=*/{entity}.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed") if files else pl.DataFrame()


def _issues(home: Paths) -> pl.DataFrame:
    return _lake(home, "issues")


def _keys_sound(home: Paths) -> None:
    """No NULL and no duplicate in any key of any lake entity (what the dbt key tests assume)."""
    keys = {
        "fir": ("fir_key", "record_version"),
        "act_section": ("fir_key", "record_version", "seq"),
        "person": ("fir_key", "record_version", "person_seq"),
        "crime_details": ("fir_key", "record_version"),
        "property": ("fir_key", "record_version", "property_seq"),
        "final_report": ("fir_key", "record_version", "report_seq"),
        "court_case": ("fir_key", "record_version", "court_case_no"),
        "hearing": ("fir_key", "record_version", "court_case_no", "hearing_date"),
        "arrest": ("fir_key", "record_version", "person_seq", "arrested_on"),
        "missing_person": ("register_key", "record_version"),
        "unidentified_body": ("register_key", "record_version"),
    }
    for entity, cols in keys.items():
        df = _lake(home, entity)
        if df.height == 0:
            continue
        assert df.select(pl.any_horizontal(pl.col(c).is_null() for c in cols).sum()).item() == 0, entity
        assert df.select(cols).is_duplicated().sum() == 0, entity


# --------------------------------------------------------------------------------------------
# (1) sequence numbers the format leaves out are numbered by position
# --------------------------------------------------------------------------------------------


def test_person_seq_at_follows_the_interface() -> None:
    from ingestion.adapters.common import person_seq_at

    assert [person_seq_at("ACCUSED", i) for i in (1, 9, 10, 18, 19, 27, 28)] == [
        "A1",
        "A9",
        "B1",
        "B9",
        "D1",
        "D9",
        "E1",
    ]
    assert person_seq_at("VICTIM", 3) == "V3" and person_seq_at("COMPLAINANT", 1) == "C1"
    assert person_seq_at("ACCUSED", 24 * 9 + 1) is None and person_seq_at("WITNESS", 1) is None


def test_xml_records_without_seq_are_numbered_by_position(tmp_path: Path) -> None:
    """``<Section act="BNS">303(2)</Section>`` (the spec's example): seq 1..n, like JSONL."""
    folder = _write(tmp_path, "xml")
    before = read_upload(folder, "xml")
    _rewrite(folder, "firs.xml", _strip_xml_seqs)
    text = (folder / "firs.xml").read_text()
    assert "<Section act=" in text and ' seq="' not in text
    after = read_upload(folder, "xml")
    sec = after.tables["act_section.csv"]
    assert sec["seq"].null_count() == 0
    assert sec.filter(pl.col("fir_no") == "0001")["seq"].to_list() == ["1", "2"]
    for file, col in (
        ("act_section.csv", "seq"),
        ("person.csv", "person_seq"),
        ("property.csv", "property_seq"),
        ("final_report.csv", "report_seq"),
    ):
        assert after.tables[file][col].to_list() == before.tables[file][col].to_list(), file


def test_jsonl_records_without_seq_are_numbered_by_position(tmp_path: Path) -> None:
    folder = _write(tmp_path, "jsonl")
    before = read_upload(folder, "jsonl")

    def strip(data: bytes) -> bytes:
        lines = []
        for line in data.decode().splitlines():
            doc = json.loads(line)
            for part, key in (
                ("accused", "personSeq"),
                ("victims", "personSeq"),
                ("properties", "propertySeq"),
                ("finalReports", "reportSeq"),
            ):
                for rec in doc.get(part) or []:
                    rec.pop(key, None)
            if doc.get("complainant"):
                doc["complainant"]["personSeq"] = " "  # blank counts as absent
            lines.append(json.dumps(doc, ensure_ascii=False))
        return ("\n".join(lines) + "\n").encode()

    _rewrite(folder, "firs.jsonl", strip)
    assert b"personSeq" in (folder / "firs.jsonl").read_bytes()  # only the blank complainant one
    after = read_upload(folder, "jsonl")
    for file, col in (
        ("person.csv", "person_seq"),
        ("property.csv", "property_seq"),
        ("final_report.csv", "report_seq"),
    ):
        assert after.tables[file][col].null_count() == 0, file
        assert sorted(after.tables[file][col].to_list()) == sorted(before.tables[file][col].to_list()), file


def test_a_given_seq_wins_and_a_collision_is_a_duplicate_key(tmp_path: Path) -> None:
    """Position never renumbers what the State sent: <Section seq="2"> then <Section> (position
    2) collide, and the FIR is quarantined under 208 instead of loading a duplicate key."""
    folder = _write(tmp_path, "xml")

    def edit(data: bytes) -> bytes:
        data = _strip_xml_seqs(data)
        return data.replace(
            b'<Section act="IPC">457</Section>', b'<Section act="IPC" seq="2">457</Section>', 1
        )

    _rewrite(folder, "firs.xml", edit)
    home, ledger = _ingest(tmp_path, folder, "xml")
    assert ledger["outcome"] == "LOADED_WITH_ERRORS", ledger
    hits = _issues(home).filter(pl.col("rule_code") == "208")
    assert set(hits["fir_key"]) == {K1} and hits.height == 2
    assert hits["message"][0] == f"section seq 2 appears 2 times on FIR {K1}"
    assert K1 not in _lake(home, "fir")["fir_key"].to_list()
    _keys_sound(home)


# --------------------------------------------------------------------------------------------
# (2) every key column is enforced at ingestion, as an error
# --------------------------------------------------------------------------------------------


def _csv_edit(file: str, edit) -> dict[str, pl.DataFrame]:
    tables = _tables()
    tables[file] = edit(tables[file])
    return tables


_ON_K1 = pl.col("fir_no") == "0001"


def _on_k1(col: str, value: object, dtype: pl.DataType, where: pl.Expr = _ON_K1):
    return lambda df: df.with_columns(
        pl.when(where).then(pl.lit(value, dtype)).otherwise(pl.col(col)).alias(col)
    )


KEY_CASES = {
    "206": ("act_section.csv", _on_k1("seq", None, pl.Int64())),
    "207": ("act_section.csv", _on_k1("seq", 0, pl.Int64(), _ON_K1 & (pl.col("seq") == 2))),
    "208": ("act_section.csv", _on_k1("seq", 1, pl.Int64())),
    "405": ("person.csv", _on_k1("person_seq", "A1", pl.Utf8(), pl.col("person_seq") == "A2")),
    "406": ("person.csv", _on_k1("person_seq", None, pl.Utf8(), pl.col("person_seq") == "A2")),
    "121": ("property.csv", _on_k1("property_seq", None, pl.Int64())),
    "122": ("court_case.csv", lambda df: pl.concat([df, df.head(1)])),
}


@pytest.mark.parametrize("code", sorted(KEY_CASES))
def test_a_key_violation_quarantines_the_document_and_the_lake_keys_stay_sound(
    tmp_path: Path, code: str
) -> None:
    """A NULL or duplicate key column (cas_csv, where the State must fill it) is an error: the
    FIR document is quarantined with the rule, the other FIRs load, no bad key reaches the lake."""
    assert catalogue.rule(code).severity == "error"
    file, edit = KEY_CASES[code]
    folder = _write(tmp_path, "cas_csv", _csv_edit(file, edit))
    home, ledger = _ingest(tmp_path, folder, "cas_csv")
    assert ledger["outcome"] == "LOADED_WITH_ERRORS", ledger
    issues = _issues(home)
    hits = issues.filter(pl.col("rule_code") == code)
    assert hits.height >= 1 and set(hits["severity"]) == {"error"}, issues.to_dicts()
    assert "{" not in "".join(hits["message"])
    bad = set(hits["fir_key"])
    loaded = set(_lake(home, "fir")["fir_key"])
    assert bad and not (bad & loaded)
    assert K2 in loaded  # the other documents are judged on their own
    _keys_sound(home)


def test_person_seq_misfit_stays_a_warning_but_missing_is_an_error() -> None:
    rows = copy.deepcopy(clean_rows())
    rows["person.csv"][1]["person_seq"] = "A1"  # the complainant numbered like an accused
    res = run_checks(rows)
    codes = dict(zip(res.issues["rule_code"], res.issues["severity"], strict=True))
    assert codes == {"402": "warning", "405": "error"}
    rows["person.csv"][1]["person_seq"] = None
    res = run_checks(rows)
    assert sorted(res.issues["rule_code"]) == ["406"]


def test_every_child_key_is_checked() -> None:
    """121 on each key column, 122 on each child table (crime details: once per FIR)."""
    cases = {
        "arrest.csv": "arrested_on",
        "final_report.csv": "report_seq",
        "court_case.csv": "court_case_no",
        "hearing.csv": "hearing_date",
    }
    for file, col in cases.items():
        rows = copy.deepcopy(clean_rows())
        rows[file][0][col] = None
        res = run_checks(rows)
        hit = res.issues.filter(pl.col("rule_code") == "121")
        assert hit["field"].to_list() == [col], (file, res.issues.to_dicts())
        assert hit["entity"].to_list() == [file]
    for file in ("crime_details.csv", "arrest.csv", "final_report.csv", "hearing.csv"):
        rows = copy.deepcopy(clean_rows())
        rows[file].append(dict(rows[file][0]))
        res = run_checks(rows)
        hit = res.issues.filter(pl.col("rule_code") == "122")
        assert hit.height == 2 and set(hit["entity"]) == {file}, (file, res.issues.to_dicts())


# --------------------------------------------------------------------------------------------
# (3) an XML root State other than the manifest's
# --------------------------------------------------------------------------------------------


def test_xml_root_state_other_than_the_manifest_is_rejected(tmp_path: Path) -> None:
    folder = _write(tmp_path, "xml")
    _rewrite(folder, "firs.xml", lambda d: d.replace(b'<FirExport state="24"', b'<FirExport state="29"', 1))
    with pytest.raises(StructureError) as exc:
        read_upload(folder, "xml", "24")
    assert exc.value.rule_code == "029" and exc.value.value == "29"
    assert "'29'" in str(exc.value) and "'24'" in str(exc.value)
    home, ledger = _ingest(tmp_path, folder, "xml")
    assert ledger["outcome"] == "REJECTED" and ledger["reject_codes"] == "029", ledger
    assert _lake(home, "fir").height == 0
    # The same State, or no state attribute at all, reads as before.
    read_upload(folder, "xml", "29")
    _rewrite(folder, "firs.xml", lambda d: d.replace(b' state="29"', b"", 1))
    read_upload(folder, "xml", "24")


# --------------------------------------------------------------------------------------------
# (4) dates before the floor
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "col", "value"),
    [
        ("fir.csv", "occurred_from", "0001-10-29 22:00:00"),
        ("fir.csv", "registered_at", "1859-12-31 23:59:59"),
        ("fir.csv", "fir_year", "0001"),
        ("arrest.csv", "arrested_on", "0001-01-01"),
        ("missing_person.csv", "last_seen_on", "0001-01-01"),
    ],
)
def test_a_date_before_1860_is_an_error_with_a_clear_message(file: str, col: str, value: str) -> None:
    rows = copy.deepcopy(clean_rows())
    rows[file][0][col] = value
    res = run_checks(rows)
    code = "803" if file in spec.REGISTER_FILES else "123"
    hit = res.issues.filter((pl.col("rule_code") == code) & (pl.col("field") == col))
    assert hit.height == 1, res.issues.to_dicts()
    assert hit["severity"][0] == "error"
    if code == "123":
        floor = "1860" if col == "fir_year" else "1860-01-01"
        assert (
            hit["message"][0] == f"{col} {value} is before {floor}, the earliest date the warehouse accepts"
        )


def test_year_0001_in_every_format_is_caught(tmp_path: Path) -> None:
    tables = _tables()
    fir = tables["fir.csv"]
    tables["fir.csv"] = fir.with_columns(
        pl.when(pl.col("fir_no") == "0002")
        .then(pl.col("occurred_from").dt.offset_by("-2023y"))
        .otherwise(pl.col("occurred_from"))
        .alias("occurred_from")
    )
    for fmt in spec.FORMATS:
        folder = w.write_upload(tmp_path / fmt, meta(fmt), tables)
        raw = read_upload(folder, fmt)
        res = check_and_standardise(raw.tables, context_of(folder))
        hit = res.issues.filter(pl.col("rule_code") == "123")
        assert hit["fir_key"].to_list() == [K2], (fmt, res.issues.to_dicts())
        assert hit["field"].to_list() == ["occurred_from"]


# --------------------------------------------------------------------------------------------
# (5) a real build over an XML upload whose sections carry no seq
# --------------------------------------------------------------------------------------------


@pytest.mark.integration
def test_xml_sections_without_seq_load_and_build(tmp_path: Path) -> None:
    """Before: seq NULL in the lake, the key test on int_act_section_versions failed and nothing
    was published. Now: seq 1..n, the build publishes, and the documented keys hold."""
    import duckdb

    from quality.gate import run_upload_gate
    from warehouse import publish as pub
    from warehouse.build import build

    folder = _write(tmp_path, "xml")
    _rewrite(folder, "firs.xml", _strip_xml_seqs)
    home, ledger = _ingest(tmp_path, folder, "xml")
    assert ledger["outcome"] in ("LOADED", "LOADED_WITH_ERRORS"), ledger
    run_upload_gate(home)
    build(home, "full")  # before the fix: BuildError (unique_combination on int_act_section_versions)
    sec = _lake(home, "act_section")
    assert sec.filter(pl.col("fir_key") == K1).sort("seq")["seq"].to_list() == [1, 2]
    _keys_sound(home)
    con = pub.connect_readonly(home)
    try:
        assert isinstance(con, duckdb.DuckDBPyConnection)
        rows = con.execute(
            "select fir_key, seq from marts.fct_fir_offences where fir_key = ? order by seq", [K1]
        ).fetchall()
        assert rows == [(K1, 1), (K1, 2)]
        nulls = con.execute("select count(*) from marts.fct_fir_offences where seq is null").fetchall()[0][0]
        assert nulls == 0
    finally:
        con.close()
