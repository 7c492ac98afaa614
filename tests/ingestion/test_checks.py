"""Row-level checks (ingestion.checks): every rule on hand-made records, and recall/precision on
the committed sample's injected defects (``sample_data/sample/_truth/defects.csv``).

Raw input is built without the adapters: ``tests/support/extract_reader`` reads an upload of any
format back to cas_csv text rows, and :func:`raw_from_upload` adds the lineage columns the
adapters add (``_file``, ``_row`` = record number in that file, a JSONL line / ``<FIR>``
element for every row of a document, ``_bad_utf8``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from core import extract_spec as spec
from core import schema
from core.settings import REPO_ROOT
from ingestion import catalogue
from ingestion.checks import Checked, check_and_standardise
from ingestion.schema import UploadContext
from sample_data.defects import UPLOAD_KINDS
from tests.support.extract_reader import read_upload

SAMPLE = REPO_ROOT / "sample_data" / "sample"
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))

# --------------------------------------------------------------------------------------------
# Raw frames from generated uploads
# --------------------------------------------------------------------------------------------


def _doc_counts(folder: Path, fmt: str) -> list[dict[str, int]]:
    """Child rows per document (JSONL line / <FIR> element), in extract_reader's order."""
    out: list[dict[str, int]] = []
    if fmt == "jsonl":
        for line in (folder / "firs.jsonl").read_bytes().decode("utf-8", "replace").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            cases = d.get("courtCases", [])
            out.append(
                {
                    "act_section.csv": len(d.get("sections", [])),
                    "crime_details.csv": 1 if d.get("crimeDetails") else 0,
                    "person.csv": len(d.get("accused", []))
                    + len(d.get("victims", []))
                    + (1 if d.get("complainant") else 0),
                    "arrest.csv": len(d.get("arrests", [])),
                    "property.csv": len(d.get("properties", [])),
                    "final_report.csv": len(d.get("finalReports", [])),
                    "court_case.csv": len(cases),
                    "hearing.csv": sum(len(c.get("hearings", [])) for c in cases),
                }
            )
    else:
        root = ET.fromstring((folder / "firs.xml").read_bytes().decode("utf-8", "replace").encode())
        for el in root:
            out.append(
                {
                    "act_section.csv": len(el.findall("Sections/Section")),
                    "crime_details.csv": len(el.findall("CrimeDetails")),
                    "person.csv": len(el.findall("Persons/Person")),
                    "arrest.csv": len(el.findall("Arrests/Arrest")),
                    "property.csv": len(el.findall("Properties/Property")),
                    "final_report.csv": len(el.findall("FinalReports/FinalReport")),
                    "court_case.csv": len(el.findall("CourtCases/CourtCase")),
                    "hearing.csv": len(el.findall("CourtCases/CourtCase/Hearings/Hearing")),
                }
            )
    return out


def context_of(folder: Path) -> UploadContext:
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return UploadContext(
        folder.name,
        m["state_code"],
        dt.date.fromisoformat(m["extract_date"]),
        dt.datetime.fromisoformat(m["generated_at"]),
        m["format"],
    )


def frames_from_rows(
    tables: dict[str, list[dict[str, str | None]]],
    rows: dict[str, list[int]] | None = None,
    files: dict[str, str] | None = None,
) -> dict[str, pl.DataFrame]:
    """Raw frames (schema.raw_schema) from text rows; ``_row`` 1-based unless given."""
    out: dict[str, pl.DataFrame] = {}
    for f in spec.CAS_COLUMNS:
        recs = tables.get(f, [])
        data: dict[str, list[object]] = {c: [r.get(c) for r in recs] for c in spec.CAS_COLUMNS[f]}
        data["_file"] = [(files or {}).get(f, f)] * len(recs)
        data["_row"] = (rows or {}).get(f) or list(range(1, len(recs) + 1))
        data["_bad_utf8"] = [any(v is not None and "\ufffd" in v for v in r.values()) for r in recs]
        out[f] = pl.DataFrame(data, schema=schema.raw_schema(f))
    return out


def raw_from_upload(folder: Path) -> tuple[dict[str, pl.DataFrame], UploadContext]:
    """Raw frames of one upload folder as an adapter would give them, and its context."""
    ctx = context_of(folder)
    tables = read_upload(folder)
    if ctx.fmt == "cas_csv":
        return frames_from_rows(tables), ctx
    doc_file = "firs.jsonl" if ctx.fmt == "jsonl" else "firs.xml"
    counts = _doc_counts(folder, ctx.fmt)
    rows: dict[str, list[int]] = {"fir.csv": list(range(1, len(counts) + 1))}
    for f in spec.FIR_CHILD_FILES:
        rows[f] = [i for i, c in enumerate(counts, 1) for _ in range(c[f])]
        assert len(rows[f]) == len(tables.get(f, [])), (folder.name, f)
    files = {f: doc_file for f in ("fir.csv", *spec.FIR_CHILD_FILES)}
    return frames_from_rows(tables, rows, files), ctx


def sample_folders() -> list[Path]:
    return sorted(p for p in SAMPLE.iterdir() if p.is_dir() and not p.name.startswith("_"))


@cache
def truth_defects() -> pl.DataFrame:
    return pl.read_csv(SAMPLE / "_truth" / "defects.csv", infer_schema=False).with_columns(
        pl.col("record_no").cast(pl.Int64)
    )


@cache
def sample_results() -> dict[str, Checked | None]:
    """check_and_standardise of every sample upload (None: the upload cannot be read at all,
    which only an upload-level defect may cause)."""
    out: dict[str, Checked | None] = {}
    for folder in sample_folders():
        try:
            raw, ctx = raw_from_upload(folder)
        except (ValueError, ET.ParseError):
            out[folder.name] = None
            continue
        out[folder.name] = check_and_standardise(raw, ctx)
    return out


# --------------------------------------------------------------------------------------------
# Recall and precision on the committed sample
# --------------------------------------------------------------------------------------------

#: Record-level defect kinds whose rules ingestion.checks implements.
MY_KINDS = sorted(set(catalogue.GENERATOR_DEFECT_RULES) - set(UPLOAD_KINDS) - {"stale_version"})


@pytest.mark.integration
def test_sample_recall_every_record_defect_is_caught() -> None:
    defects = truth_defects().filter(pl.col("kind").is_in(MY_KINDS))
    results = sample_results()
    unreadable = {u for u, r in results.items() if r is None}
    rejected = set(truth_defects().filter(pl.col("kind").is_in(list(UPLOAD_KINDS)))["upload_id"].to_list())
    assert unreadable <= rejected, "only uploads with an upload-level defect may be unreadable"
    assert set(defects["kind"].to_list()) == set(MY_KINDS), "the sample exercises every kind"
    missed = []
    caught = 0
    for d in defects.iter_rows(named=True):
        res = results[d["upload_id"]]
        if res is None:
            continue
        codes = list(catalogue.GENERATOR_DEFECT_RULES[d["kind"]])
        hits = res.issues.filter(pl.col("rule_code").is_in(codes))
        if d["fir_key"]:
            hits = hits.filter(pl.col("fir_key") == d["fir_key"])
        else:  # a register record: its file and record number
            hits = hits.filter((pl.col("entity") == d["file"]) & (pl.col("source_row") == d["record_no"]))
            assert hits["register_key"].is_not_null().all()
        if hits.height == 0:
            missed.append(d)
        else:
            caught += 1
    recall = caught / (caught + len(missed))
    print(f"\nrecall on the sample: {caught}/{caught + len(missed)} = {recall:.1%}")
    assert not missed


def test_sample_precision_clean_documents_are_never_quarantined() -> None:
    defects = truth_defects()
    errors_total = 0
    false = []
    for upload, res in sample_results().items():
        if res is None:
            continue
        mine = defects.filter(pl.col("upload_id") == upload)
        keys = set(mine["fir_key"].drop_nulls().to_list())
        registers = {
            (r["file"], r["record_no"])
            for r in mine.filter(pl.col("fir_key").is_null()).iter_rows(named=True)
        }
        errors = res.issues.filter(pl.col("severity") == "error")
        errors_total += errors.height
        for e in errors.iter_rows(named=True):
            if e["fir_key"] is not None:
                if e["fir_key"] not in keys:
                    false.append((upload, e))
            elif (e["entity"], e["source_row"]) not in registers:
                false.append((upload, e))
    print(f"\nerror issues on the sample: {errors_total}, on clean records: {len(false)}")
    assert not false, false[:5]


def test_sample_warnings_are_rare() -> None:
    """Clean generated data raises few warnings (plausibility rules, not noise)."""
    firs = 0
    warned = 0
    for res in sample_results().values():
        if res is None:
            continue
        firs += res.tables["fir.csv"].height
        warned += res.issues.filter(pl.col("severity") == "warning")["fir_key"].n_unique()
    assert warned <= 0.02 * firs, (warned, firs)


# --------------------------------------------------------------------------------------------
# One focused test per rule, on a hand-made upload
# --------------------------------------------------------------------------------------------

STATE = "09"
DISTRICT = "145"
PS = "02011"  # in district 145 of Uttar Pradesh
OTHER_PS = "10001"  # in district 153
KEY = {"state_code": STATE, "district_code": DISTRICT, "ps_code": PS, "fir_year": "2026", "fir_no": "0007"}
FIR_KEY = "09-145-02011-2026-0007"
GENERATED = dt.datetime(2026, 11, 2, 0, 30, tzinfo=IST)
CTX = UploadContext("09_20261101_01", STATE, dt.date(2026, 11, 1), GENERATED, "cas_csv")

Rows = dict[str, list[dict[str, str | None]]]


def clean_rows() -> Rows:
    """One complete, valid FIR document and one record of each register."""

    def row(file: str, **values: str | None) -> dict[str, str | None]:
        base = dict.fromkeys(spec.CAS_COLUMNS[file])
        if "fir_no" in base:
            base |= KEY
        return base | values

    return {
        "fir.csv": [
            row(
                "fir.csv",
                registered_at="2026-10-30 10:15:00",
                occurred_from="2026-10-29 22:00:00",
                occurred_to="2026-10-29 23:00:00",
                info_received_at="2026-10-30 10:00:00",
                gd_entry_no="17",
                info_type="W",
                place_lat="27.17",
                place_lon="78.01",
                beat_no="B01",
                is_zero_fir="N",
                io_name="Ram Kumar",
                io_rank="SI",
                brief_facts="Motorcycle stolen from outside the house.",
                status="UNDER_INVESTIGATION",
                status_date="2026-10-30",
                record_version="1",
                last_modified="2026-10-31 12:00:00",
            )
        ],
        "act_section.csv": [row("act_section.csv", seq="1", act="BNS", section="303(2)")],
        "crime_details.csv": [
            row("crime_details.csv", place_type="RESIDENCE", mo_class="VEHICLE_LIFTING", time_of_day="NIGHT")
        ],
        "person.csv": [
            row(
                "person.csv",
                person_seq="A1",
                role="ACCUSED",
                name="Mohd Rafeeq",
                gender="M",
                birth_year="1990",
                age="36",
                height_cm="170",
            ),
            row("person.csv", person_seq="C1", role="COMPLAINANT", name="सीता देवी", gender="F", age="40"),
        ],
        "arrest.csv": [
            row("arrest.csv", person_seq="A1", arrested_on="2026-10-31", arrest_status="ARRESTED_FORWARDED")
        ],
        "property.csv": [
            row(
                "property.csv",
                property_seq="1",
                nature="STOLEN",
                category="VEHICLE",
                description="Motorcycle",
                value_inr="55000",
                vehicle_reg_no="UP 80 AB-1234",
                chassis_no="ME4JC5ZOB",
                engine_no="JC5IE",
                event_date="2026-10-29",
            )
        ],
        "final_report.csv": [
            row(
                "final_report.csv",
                report_seq="1",
                report_date="2026-10-31",
                report_type="CHARGESHEET",
                is_supplementary="N",
            )
        ],
        "court_case.csv": [
            row(
                "court_case.csv",
                court_case_no="CC/1/2026",
                court_name="CJM Agra",
                committed_on="2026-10-31",
                disposal_date="2026-11-01",
                result="CONVICTED",
            )
        ],
        "hearing.csv": [
            row(
                "hearing.csv",
                court_case_no="CC/1/2026",
                hearing_date="2026-11-01",
                adjourned="Y",
                sought_by="PROSECUTION",
            )
        ],
        "missing_person.csv": [
            row(
                "missing_person.csv",
                state_code=STATE,
                district_code=DISTRICT,
                ps_code=PS,
                report_no="00001/2026",
                report_date="2026-10-30",
                name="Geeta",
                gender="F",
                age="14",
                height_cm="140",
                last_seen_on="2026-10-29",
                status="MISSING",
                record_version="1",
            )
        ],
        "unidentified_body.csv": [
            row(
                "unidentified_body.csv",
                state_code=STATE,
                district_code=DISTRICT,
                ps_code=PS,
                ud_case_no="UD/0001/2026",
                found_on="2026-10-30",
                gender="M",
                age_low="30",
                age_high="40",
                height_cm="168",
                place_lat="27.2",
                place_lon="78.0",
                record_version="1",
            )
        ],
    }


def run(rows: Rows, ctx: UploadContext = CTX) -> Checked:
    return check_and_standardise(frames_from_rows(rows), ctx)


def test_clean_document_raises_no_issue() -> None:
    res = run(clean_rows())
    assert res.issues.height == 0, res.issues.to_dicts()
    assert res.issues.schema == pl.Schema(schema.ISSUE_SCHEMA)


def _set(file: str, i: int = 0, **values: str | None) -> Callable[[Rows], None]:
    def apply(rows: Rows) -> None:
        rows[file][i].update(values)

    return apply


def _append(file: str, i: int = 0, **values: str | None) -> Callable[[Rows], None]:
    def apply(rows: Rows) -> None:
        rows[file].append(dict(rows[file][i]) | values)

    return apply


def _drop(file: str) -> Callable[[Rows], None]:
    def apply(rows: Rows) -> None:
        rows[file].clear()

    return apply


#: rule -> (mutation of the clean upload, table the issue is on)
CASES: dict[str, tuple[Callable[[Rows], None], str]] = {
    "101": (_set("fir.csv", fir_no="523"), "fir.csv"),
    "102": (_set("fir.csv", state_code="27"), "fir.csv"),
    "103": (_set("fir.csv", district_code="999"), "fir.csv"),
    "104": (_set("fir.csv", ps_code="99999"), "fir.csv"),
    "105": (_set("fir.csv", ps_code=OTHER_PS), "fir.csv"),
    "106": (_set("fir.csv", occurred_from=None), "fir.csv"),
    "107": (_set("fir.csv", registered_at="2026-02-30 10:15:00"), "fir.csv"),
    "108": (
        _set("fir.csv", registered_at="2026-11-02 00:31:00", last_modified="2026-11-02 00:31:00"),
        "fir.csv",
    ),
    "109": (_set("fir.csv", occurred_from="2026-10-30 11:00:00", occurred_to=None), "fir.csv"),
    "110": (_set("fir.csv", status="CLOSED"), "fir.csv"),
    "111": (_append("fir.csv"), "fir.csv"),
    "112": (_set("fir.csv", record_version="0"), "fir.csv"),
    "115": (_set("person.csv", name="Ram\ufffdsh"), "person.csv"),
    "116": (_set("fir.csv", fir_year="2025"), "fir.csv"),
    "117": (_set("fir.csv", place_lat="19.07", place_lon="72.87"), "fir.csv"),
    "118": (_set("fir.csv", is_zero_fir="Y", transferred_to_ps="99999"), "fir.csv"),
    "119": (_set("fir.csv", occurred_to="2026-10-29 21:00:00"), "fir.csv"),
    "121": (_set("property.csv", property_seq=None), "property.csv"),
    "122": (_append("property.csv"), "property.csv"),
    "123": (_set("fir.csv", occurred_from="0001-10-29 22:00:00"), "fir.csv"),
    "201": (_drop("act_section.csv"), "fir.csv"),
    "202": (_set("act_section.csv", act="IPCC"), "act_section.csv"),
    "203": (_set("act_section.csv", section="999Z"), "act_section.csv"),
    "204": (_set("act_section.csv", act="IPC", section="379"), "act_section.csv"),
    "205": (_set("fir.csv", occurred_from="2024-06-30 22:00:00", occurred_to=None), "act_section.csv"),
    "206": (_set("act_section.csv", section=None), "act_section.csv"),
    "207": (_set("act_section.csv", seq="0"), "act_section.csv"),
    "208": (_append("act_section.csv"), "act_section.csv"),
    "301": (_set("property.csv", category="BIKE"), "property.csv"),
    "302": (_set("property.csv", value_inr="-5"), "property.csv"),
    "303": (_set("property.csv", vehicle_reg_no=None, chassis_no=None, engine_no=None), "property.csv"),
    "401": (_set("person.csv", gender="X"), "person.csv"),
    "402": (_set("person.csv", person_seq="V1"), "person.csv"),
    "403": (_set("person.csv", age="150", birth_year=None), "person.csv"),
    "404": (_set("person.csv", age="20"), "person.csv"),
    "405": (_set("person.csv", 1, person_seq="A1", role="ACCUSED"), "person.csv"),
    "406": (_set("person.csv", person_seq=None), "person.csv"),
    "501": (_set("arrest.csv", arrest_status="ARRESTED"), "arrest.csv"),
    "502": (_set("arrest.csv", person_seq="A2"), "arrest.csv"),
    "503": (_set("arrest.csv", arrested_on="2026-10-29"), "arrest.csv"),
    "601": (_set("final_report.csv", report_type="CHARGE-SHEET"), "final_report.csv"),
    "602": (_set("final_report.csv", report_date="2026-10-29"), "final_report.csv"),
    "701": (_set("court_case.csv", result="GUILTY"), "court_case.csv"),
    "702": (_set("court_case.csv", disposal_date="2026-10-30"), "court_case.csv"),
    "703": (_set("hearing.csv", court_case_no="CC/2/2026"), "hearing.csv"),
    "704": (_set("hearing.csv", adjourned="YES"), "hearing.csv"),
    "801": (_set("missing_person.csv", report_no=None), "missing_person.csv"),
    "802": (_set("unidentified_body.csv", found_on=None), "unidentified_body.csv"),
    "803": (_set("missing_person.csv", last_seen_on="2026-13-01"), "missing_person.csv"),
    "804": (_set("missing_person.csv", gender="X"), "missing_person.csv"),
    "805": (_set("unidentified_body.csv", ps_code="99999"), "unidentified_body.csv"),
    "807": (_set("unidentified_body.csv", age_low="50", age_high="40"), "unidentified_body.csv"),
    "808": (_set("missing_person.csv", report_date="2026-11-03"), "missing_person.csv"),
    "809": (_append("missing_person.csv"), "missing_person.csv"),
    "901": (_set("person.csv", fir_no="0008"), "person.csv"),
}

#: Rules that need the warehouse's history (orchestrator) or are raised by the adapters.
NOT_HERE = {"113", "114", "120", "806"}


def test_every_row_rule_has_a_case() -> None:
    row_rules = {r.code for r in catalogue.RULES if r.severity in ("error", "warning")} - NOT_HERE
    row_rules -= {r.code for r in catalogue.RULES if r.code < "100"}
    assert row_rules == set(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires(code: str) -> None:
    mutate, table = CASES[code]
    rows = copy.deepcopy(clean_rows())
    mutate(rows)
    res = run(rows)
    hits = res.issues.filter(pl.col("rule_code") == code)
    assert hits.height >= 1, res.issues.to_dicts()
    rule = catalogue.rule(code)
    assert set(hits["severity"]) == {rule.severity}
    assert set(hits["entity"]) == {table}
    assert "{" not in "".join(hits["message"].to_list())
    if table in spec.REGISTER_FILES:
        assert hits["register_key"].is_not_null().all() and hits["fir_key"].is_null().all()
    else:
        assert hits["fir_key"].is_not_null().all() and hits["register_key"].is_null().all()
    assert hits["source_file"].to_list() == [table] * hits.height
    # A warning is listed on the row it hits; an error never is.
    row_codes = res.tables[table].select(pl.col("warning_codes").list.contains(code).any()).item()
    assert row_codes == (rule.severity == "warning")
    # One output row per raw row, whatever the issues.
    for f in spec.CAS_COLUMNS:
        assert res.tables[f].height == len(rows[f])


def test_rule_details() -> None:
    """Values, expectations and messages of a few rules, filled from the catalogue templates."""
    rows = clean_rows()
    for f in ("fir.csv", *spec.FIR_CHILD_FILES):
        for r in rows[f]:
            r["ps_code"] = OTHER_PS
    _set("act_section.csv", act="IPC", section="379")(rows)
    res = run(rows)
    assert sorted(res.issues["rule_code"]) == ["105", "204"]
    by = {r["rule_code"]: r for r in res.issues.to_dicts()}
    assert by["105"]["message"] == f"police station {OTHER_PS} belongs to district 153, not {DISTRICT}"
    assert by["204"]["message"] == "IPC 379 invoked for an offence of 2026-10-29, after 1 July 2024"
    # The station's district in the master wins; the key keeps what was sent.
    fir = res.tables["fir.csv"].row(0, named=True)
    assert fir["district_code"] == "153"
    assert fir["fir_key"] == f"09-145-{OTHER_PS}-2026-0007"
    assert fir["warning_codes"] == ["105"]


def test_child_issues_carry_the_fir_key_and_duplicates_hit_every_copy() -> None:
    rows = clean_rows()
    _append("fir.csv")(rows)
    _set("arrest.csv", arrested_on="2026-02-30")(rows)
    res = run(rows)
    dup = res.issues.filter(pl.col("rule_code") == "111")
    assert dup["source_row"].to_list() == [1, 2]
    assert dup["message"].to_list() == [f"FIR {FIR_KEY} appears 2 times in this upload"] * 2
    bad = res.issues.filter(pl.col("rule_code") == "107").row(0, named=True)
    assert (bad["entity"], bad["fir_key"], bad["field"], bad["value"]) == (
        "arrest.csv",
        FIR_KEY,
        "arrested_on",
        "2026-02-30",
    )


def test_orphan_key_and_register_key() -> None:
    rows = clean_rows()
    _set("person.csv", fir_no="0008")(rows)
    _set("missing_person.csv", gender="X")(rows)
    res = run(rows)
    orphan = res.issues.filter(pl.col("rule_code") == "901").row(0, named=True)
    assert orphan["fir_key"] == "09-145-02011-2026-0008"
    assert (
        orphan["message"]
        == "person.csv row refers to FIR 09-145-02011-2026-0008, which is not in fir.csv of this upload"
    )
    reg = res.issues.filter(pl.col("rule_code") == "804").row(0, named=True)
    assert reg["register_key"] == "09-02011-00001/2026"


def test_bad_utf8_on_a_register_row() -> None:
    rows = clean_rows()
    _set("unidentified_body.csv", identification_marks="mole \ufffd left cheek")(rows)
    res = run(rows)
    hit = res.issues.filter(pl.col("rule_code") == "115").row(0, named=True)
    assert (hit["entity"], hit["field"], hit["register_key"]) == (
        "unidentified_body.csv",
        "identification_marks",
        "09-02011-UD/0001/2026",
    )


def test_future_is_judged_against_generated_at_in_ist() -> None:
    rows = clean_rows()
    # 00:29 IST is before the extract was generated (00:30 IST = 19:00 UTC the day before).
    _set("fir.csv", registered_at="2026-11-02 00:29:00", last_modified="2026-11-02 00:29:00")(rows)
    utc_ctx = UploadContext(CTX.upload_id, STATE, CTX.extract_date, GENERATED.astimezone(dt.UTC), "cas_csv")
    assert run(rows, utc_ctx).issues.filter(pl.col("rule_code") == "108").height == 0
    _set("fir.csv", registered_at="2026-11-02 00:31:00")(rows)
    assert run(rows, utc_ctx).issues.filter(pl.col("rule_code") == "108")["field"].to_list() == [
        "registered_at"
    ]


def test_empty_and_missing_tables() -> None:
    res = check_and_standardise({}, CTX)
    assert res.issues.height == 0
    for f in spec.CAS_COLUMNS:
        assert res.tables[f].height == 0
        assert res.tables[f].schema == pl.Schema(schema.national_schema(f))


# --------------------------------------------------------------------------------------------
# Throughput
# --------------------------------------------------------------------------------------------


def big_upload(state: str = "09", n_docs: int = 100_000) -> tuple[dict[str, pl.DataFrame], UploadContext]:
    """A large upload of one State: its sample uploads tiled, FIR numbers renumbered per station."""
    parts: dict[str, list[pl.DataFrame]] = {f: [] for f in spec.CAS_COLUMNS}
    ctx = None
    for u, folder in enumerate(p for p in sample_folders() if p.name.startswith(f"{state}_")):
        raw, ctx = raw_from_upload(folder)
        for f, df in raw.items():
            parts[f].append(df.with_columns(pl.lit(u).alias("__u")))
    assert ctx is not None
    base = {f: pl.concat(v) for f, v in parts.items()}
    tiles = pl.DataFrame({"__t": list(range(-(-n_docs // base["fir.csv"].height)))})
    key = list(spec.FIR_KEY)
    station = ["state_code", "district_code", "ps_code", "fir_year"]
    docs = (
        base["fir.csv"]
        .select("__u", *key)
        .unique()
        .join(tiles, how="cross")
        .with_columns(
            pl.int_range(pl.len())
            .over(station, order_by=["__t", "__u", "fir_no"])
            .cast(pl.Utf8)
            .str.zfill(4)
            .alias("__no")
        )
    )
    out = {}
    for f, df in base.items():
        d = df.join(tiles, how="cross")
        if f in spec.REGISTER_FILES:
            no = "report_no" if f == "missing_person.csv" else "ud_case_no"
            d = d.with_columns(pl.format("{}-{}-{}", no, "__t", "__u").alias(no))
        else:
            d = d.join(docs, on=["__u", "__t", *key], how="left", maintain_order="left")
            d = d.with_columns(pl.coalesce("__no", "fir_no").alias("fir_no"))
        d = d.sort("__t", maintain_order=True)
        out[f] = d.with_columns(pl.lit(f).alias("_file"), pl.int_range(1, pl.len() + 1).alias("_row")).select(
            list(schema.raw_schema(f))
        )
    return out, ctx


@pytest.mark.integration
def test_throughput_is_measured() -> None:
    raw, ctx = big_upload()
    check_and_standardise(raw, ctx)  # warm the reference caches
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        res = check_and_standardise(raw, ctx)
        best = min(best, time.perf_counter() - t0)
    docs = raw["fir.csv"].height
    rows = sum(df.height for df in raw.values())
    print(
        f"\nchecks + standardisation: {docs:,} FIR documents ({rows:,} rows) in {best:.2f} s = {docs / best:,.0f} documents/s"
    )
    assert res.tables["fir.csv"].height == docs
