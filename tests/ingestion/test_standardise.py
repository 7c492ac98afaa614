"""Standardisation (ingestion.standardise, core.text): types, IST timestamps, names,
sections, the law in force, vehicle keys and the document content hash."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from core import extract_spec as spec
from core import schema, text
from ingestion.checks import check_and_standardise
from sample_data import writers
from tests.ingestion.test_checks import (
    FIR_KEY,
    SAMPLE,
    Rows,
    clean_rows,
    raw_from_upload,
    run,
    sample_results,
)
from tests.support.extract_reader import read_upload

# --------------------------------------------------------------------------------------------
# Shape: national schema, one row per raw row, lineage
# --------------------------------------------------------------------------------------------


def test_sample_tables_have_the_national_schema_and_one_row_per_raw_row() -> None:
    for upload, res in sample_results().items():
        if res is None:
            continue
        for f, df in res.tables.items():
            assert df.schema == pl.Schema(schema.national_schema(f)), (upload, f)
        assert res.tables["fir.csv"]["content_hash"].is_not_null().all()
    for name in ("09_20261107_01", "29_20261105_01", "30_20261103_01"):  # cas_csv, jsonl, xml
        raw, ctx = raw_from_upload(SAMPLE / name)
        res = check_and_standardise(raw, ctx)
        for f, df in raw.items():
            out = res.tables[f]
            assert out.height == df.height, (name, f)
            assert out["source_row"].to_list() == df["_row"].to_list()
            assert out["source_file"].to_list() == df["_file"].to_list()
            assert out["load_id"].is_null().all() and out["upload_id"].is_null().all()
            assert out["warning_codes"].is_not_null().all()


def test_rows_with_errors_are_kept_with_best_effort_values() -> None:
    rows = clean_rows()
    rows["fir.csv"][0]["registered_at"] = "2026-02-30 10:15:00"
    rows["fir.csv"][0]["place_lat"] = "north"
    res = run(rows)
    fir = res.tables["fir.csv"].row(0, named=True)
    assert fir["registered_at"] is None and fir["place_lat"] is None
    assert fir["occurred_from"] == dt.datetime(2026, 10, 29, 22, 0, tzinfo=fir["occurred_from"].tzinfo)
    assert fir["record_version"] == 1 and fir["is_zero_fir"] is False
    assert set(res.issues["rule_code"]) == {"107", "117"}


def test_types_timestamps_are_ist() -> None:
    res = run(clean_rows())
    fir = res.tables["fir.csv"]
    assert fir.schema["registered_at"] == pl.Datetime("us", "Asia/Kolkata")
    reg = fir["registered_at"][0]
    assert reg.utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert reg.astimezone(dt.UTC) == dt.datetime(2026, 10, 30, 4, 45, tzinfo=dt.UTC)
    assert fir["status_date"][0] == dt.date(2026, 10, 30)
    assert fir["place_lat"][0] == pytest.approx(27.17)
    assert fir["fir_year"][0] == 2026 and fir.schema["fir_year"] == pl.Int32
    hearing = res.tables["hearing.csv"].row(0, named=True)
    assert hearing["adjourned"] is True and hearing["record_version"] == 1
    assert res.tables["final_report.csv"]["is_supplementary"][0] is False
    assert res.tables["person.csv"]["record_version"].to_list() == [1, 1]


def test_text_is_nfc_trimmed_and_collapsed() -> None:
    rows = clean_rows()
    rows["fir.csv"][0]["brief_facts"] = "  Stolen\tfrom   the\r\nhouse of Rame\u0301sh  "
    rows["fir.csv"][0]["io_name"] = "   "
    rows["fir.csv"][0]["status"] = " UNDER_INVESTIGATION "
    res = run(rows)
    fir = res.tables["fir.csv"].row(0, named=True)
    assert fir["brief_facts"] == "Stolen from the house of Ram\u00e9sh"
    assert fir["io_name"] is None
    assert fir["status"] == "UNDER_INVESTIGATION"
    assert res.issues.height == 0
    assert text.clean_text("a\u00a0 b") == "a b"


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "latin", "script"),
    [
        ("रमेश शर्मा", "Ramesh Sharma", "Devanagari"),
        ("सीता देवी", "Sita Devi", "Devanagari"),
        ("முருகன்", "Murugan", "Tamil"),
        ("ਹਰਪ੍ਰੀਤ ਸਿੰਘ", "Haraprit Singh", "Gurmukhi"),
        ("  Ram   Kumar ", "Ram Kumar", "Latin"),
        ("محمد", None, "Arabic"),
    ],
)
def test_name_latin_and_script(name: str, latin: str | None, script: str) -> None:
    rows = clean_rows()
    rows["person.csv"][0]["name"] = name
    person = run(rows).tables["person.csv"].row(0, named=True)
    assert person["name_latin"] == latin
    assert person["script"] == script
    assert person["name"] == text.clean_text(name)
    assert person["name_key"] == (text.name_key(latin) if latin else None)


@pytest.mark.parametrize(
    "variants",
    [
        ("Mohammad Rafiq", "Mohd Rafeeq", "Md. Rafiq", "MOHAMMED RAFIQ"),
        ("Shri Ram", "Sri Ram", "Shree Raam"),
        ("Lakshmi", "Laxmi"),
        ("Arun", "Aroon"),
        ("Vijay Kumar", "Vijai Kumaar"),
        ("Wasim", "Vasim"),
        ("Siddharth", "Sidharth"),
        ("Bhatt", "Bhat"),
        ("Raja", "Rajaa", "Raj"),
        ("Sudhir", "Sudheer"),
        ("Phoolan", "Fulan"),
        ("Chhotu", "Chotu"),
    ],
)
def test_name_key_folds_spelling_variants(variants: tuple[str, ...]) -> None:
    keys = {text.name_key(v) for v in variants}
    assert len(keys) == 1, dict(zip(variants, [text.name_key(v) for v in variants], strict=True))
    assert next(iter(keys)).replace(" ", "").isascii()


def test_name_key_distinguishes_different_names() -> None:
    assert text.name_key("Ramesh Kumar") != text.name_key("Suresh Kumar")
    assert text.name_key("Mohammad Rafiq") == "md rafik"
    assert text.name_key(None) is None and text.name_key("..") is None


def test_name_key_agrees_with_the_generators_variants() -> None:
    """In the sample's ground truth, spelling variants and native-script forms of a repeat
    offender's name get the key of the exact spelling."""
    ident = pl.read_csv(SAMPLE / "_truth" / "person_identity.csv", infer_schema=False)
    latin = text.names_latin(ident["name"])
    ident = ident.with_columns(latin["name_latin"], text.name_keys(latin["name_latin"]).alias("key"))
    exact = (
        ident.filter(pl.col("name_variant") == "exact")
        .group_by("person_uid")
        .agg(pl.col("key").first().alias("exact_key"))
    )
    pairs = ident.filter(pl.col("name_variant").is_in(["spelling", "native"])).join(exact, on="person_uid")
    agree = pairs.select((pl.col("key") == pl.col("exact_key")).mean()).item()
    print(f"\nname_key agreement with the exact spelling: {agree:.1%} of {pairs.height} variant records")
    assert pairs.height > 50 and agree >= 0.95


# --------------------------------------------------------------------------------------------
# Sections and the law in force
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("303 (2)", "303(2)"),
        ("376 da", "376DA"),
        ("u/s 379", "379"),
        ("Sec. 302", "302"),
        ("section 3 (1)(r)", "3(1)(r)"),
        ("8(C)", "8(c)"),
        (" 498a ", "498A"),
        ("3/181", "3/181"),
        ("other", "OTHER"),
        ("  ", None),
    ],
)
def test_section_canonicalisation(raw: str, canonical: str | None) -> None:
    assert text.section_canonical(raw) == canonical


def _fir_with(rows: Rows, occurred: str | None, registered: str, sections: list[tuple[str, str]]) -> Rows:
    rows = copy.deepcopy(rows)
    rows["fir.csv"][0].update(occurred_from=occurred, occurred_to=None, registered_at=registered)
    base = rows["act_section.csv"][0]
    rows["act_section.csv"] = [
        dict(base) | {"seq": str(i), "act": a, "section": s} for i, (a, s) in enumerate(sections, 1)
    ]
    return rows


def test_law_code_and_crime_heads_follow_the_offence_date() -> None:
    before = _fir_with(
        clean_rows(), "2024-06-30 23:59:00", "2024-07-02 10:00:00", [("IPC", "379"), ("IPC", "34")]
    )
    res = run(before)
    fir = res.tables["fir.csv"].row(0, named=True)
    assert (fir["offence_date"], fir["law_code"]) == (dt.date(2024, 6, 30), "IPC")
    sec = res.tables["act_section.csv"]
    assert sec["crime_head_code"][0] == "THEFT" and sec["severity_rank"][0] > sec["severity_rank"][1]
    assert not set(res.issues["rule_code"]) & {"204", "205"}

    after = _fir_with(clean_rows(), "2024-07-01 00:00:00", "2024-07-01 09:00:00", [("BNS", "303 (2)")])
    res = run(after)
    assert res.tables["fir.csv"]["law_code"][0] == "BNS"
    sec = res.tables["act_section.csv"].row(0, named=True)
    assert (sec["section"], sec["section_raw"], sec["crime_head_code"]) == ("303(2)", "303 (2)", "THEFT")
    assert not set(res.issues["rule_code"]) & {"204", "205"}

    # No occurrence time: the registration date decides.
    res = run(_fir_with(clean_rows(), None, "2024-07-01 09:00:00", [("BNS", "303(2)")]))
    fir = res.tables["fir.csv"].row(0, named=True)
    assert (fir["offence_date"], fir["law_code"]) == (dt.date(2024, 7, 1), "BNS")

    # The wrong code for the offence date is an error either way.
    res = run(_fir_with(clean_rows(), "2024-06-30 23:59:00", "2024-07-02 10:00:00", [("BNS", "303(2)")]))
    assert "205" in set(res.issues["rule_code"])


@pytest.mark.parametrize(
    ("act", "section", "head", "known"),
    [
        ("BNS", "103 (1)", "MURDER", True),
        ("BNS", "999", "OTHER_IPC_BNS", False),
        ("POCSO", "99", "POCSO", False),
        ("NDPS", "8 (c)", "NDPS", True),
        ("NDPS", "99", "NDPS", False),
        ("MV", "3/999", "MV_ACT", False),
        ("SCST_POA", "3(1)(R)", "SCST_ATROCITIES", True),
        ("OTHER_SLL", "Sec 12", "OTHER_SLL", False),
    ],
)
def test_crime_head_and_residual_heads(act: str, section: str, head: str, known: bool) -> None:
    res = run(_fir_with(clean_rows(), "2026-10-29 22:00:00", "2026-10-30 10:15:00", [(act, section)]))
    sec = res.tables["act_section.csv"].row(0, named=True)
    assert sec["crime_head_code"] == head
    assert (sec["severity_rank"] > 0) == known
    assert ("203" in set(res.issues["rule_code"])) == (not known)
    if not known:
        assert sec["warning_codes"] == ["203"]


def test_tombstone() -> None:
    rows = clean_rows()
    rows["fir.csv"][0]["status"] = "EXPUNGED"
    assert run(rows).tables["fir.csv"]["is_tombstone"].to_list() == [True]
    assert run(clean_rows()).tables["fir.csv"]["is_tombstone"].to_list() == [False]


# --------------------------------------------------------------------------------------------
# Vehicles
# --------------------------------------------------------------------------------------------


def test_vehicle_keys_fold_look_alike_characters() -> None:
    prop = run(clean_rows()).tables["property.csv"].row(0, named=True)
    assert prop["vehicle_reg_no"] == "UP80AB1234"
    assert prop["chassis_no"] == "ME4JC5ZOB"
    assert prop["chassis_key"] == "ME4JC5208"
    assert prop["engine_key"] == "JC51E"
    frame = pl.DataFrame({"c": ["ma3 ezs-1ob", "MA3E251O8", "MA3EZ5IO8", " - ", None]})
    keys = frame.select(text.identifier_key_expr(pl.col("c")))["c"].to_list()
    assert keys == ["MA3E25108", "MA3E25108", "MA3E25108", None, None]


# --------------------------------------------------------------------------------------------
# Content hash
# --------------------------------------------------------------------------------------------

TYPES = {"ts": "%Y-%m-%d %H:%M:%S", "date": "%Y-%m-%d"}


def typed_tables(folder: Path) -> dict[str, pl.DataFrame]:
    """The tables of a clean cas_csv upload with the writers' canonical dtypes."""
    rows = read_upload(folder)
    out = {}
    for f, cols in spec.CAS_COLUMNS.items():
        df = pl.DataFrame(
            {c: [r.get(c) for r in rows.get(f, [])] for c in cols}, schema=dict.fromkeys(cols, pl.Utf8)
        )
        target = writers.table_schema(f)
        exprs = []
        for c in cols:
            kind = writers._kind(f, c)
            e = pl.col(c)
            if kind == "ts":
                e = e.str.to_datetime(TYPES["ts"])
            elif kind == "date":
                e = e.str.to_date(TYPES["date"])
            elif kind in ("int", "float"):
                e = e.cast(target[c])
            exprs.append(e.alias(c))
        out[f] = df.select(exprs)
    return out


def _hashes(folder: Path) -> dict[str, str]:
    raw, ctx = raw_from_upload(folder)
    res = check_and_standardise(raw, ctx)
    assert res.issues.filter(pl.col("severity") == "error").height == 0
    fir = res.tables["fir.csv"]
    return dict(zip(fir["fir_key"], fir["content_hash"], strict=True))


def test_content_hash_is_the_same_in_every_format_and_changes_with_the_content(tmp_path: Path) -> None:
    source = SAMPLE / "09_20261102_01"  # a cas_csv upload without defects
    tables = typed_tables(source)
    ctx = raw_from_upload(source)[1]
    hashes = {}
    for fmt in spec.FORMATS:
        meta = writers.UploadMeta(ctx.state_code, ctx.extract_date, 1, "test", fmt, ctx.generated_at)
        hashes[fmt] = _hashes(writers.write_upload(tmp_path / fmt, meta, tables))
    assert len(hashes["cas_csv"]) == tables["fir.csv"].height
    assert hashes["cas_csv"] == hashes["jsonl"] == hashes["xml"]

    # Child rows in another order: the same document.
    shuffled = dict(tables)
    shuffled["person.csv"] = tables["person.csv"].reverse()
    shuffled["hearing.csv"] = tables["hearing.csv"].reverse()
    meta = writers.UploadMeta(ctx.state_code, ctx.extract_date, 1, "test", "cas_csv", ctx.generated_at)
    assert _hashes(writers.write_upload(tmp_path / "shuffled", meta, shuffled)) == hashes["cas_csv"]

    # One value of one child row changed: only that document's hash changes.
    changed = dict(tables)
    hearing = tables["hearing.csv"]
    changed["hearing.csv"] = hearing.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("COURT"))
        .otherwise(pl.col("sought_by"))
        .alias("sought_by")
    )
    first = hearing.row(0, named=True)
    key = spec.fir_key_str(*(first[c] for c in spec.FIR_KEY))
    after = _hashes(writers.write_upload(tmp_path / "changed", meta, changed))
    assert {k for k in after if after[k] != hashes["cas_csv"][k]} == {key}


def test_content_hash_of_hand_made_documents() -> None:
    base = run(clean_rows()).tables["fir.csv"]["content_hash"][0]
    assert len(base) == 64 and int(base, 16) >= 0
    # Whitespace and NFC differences are not content differences.
    rows = clean_rows()
    rows["fir.csv"][0]["brief_facts"] = "  Motorcycle stolen   from outside the house. "
    assert run(rows).tables["fir.csv"]["content_hash"][0] == base
    # A change in a child row is.
    rows = clean_rows()
    rows["person.csv"][1]["age"] = "41"
    assert run(rows).tables["fir.csv"]["content_hash"][0] != base
    # So is the record version (a re-send with a new version is a new document).
    rows = clean_rows()
    rows["fir.csv"][0]["record_version"] = "2"
    changed = run(rows).tables["fir.csv"]
    assert changed["content_hash"][0] != base and changed["fir_key"][0] == FIR_KEY
