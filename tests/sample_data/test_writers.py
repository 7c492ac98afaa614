"""Tests of sample_data.writers: the three formats carry the same data, byte-deterministically.

The readers here are deliberately independent of the writer: they use only the standard
library (csv, json, xml.etree) and the contract in core.extract_spec, and map every
format back to the CAS tables as strings (the cas_csv text of each value, None for null).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import polars as pl
import pytest

from core import extract_spec as spec
from sample_data import writers as w

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
GENERATED = dt.datetime(2026, 11, 21, 23, 30, 0, tzinfo=IST)
FIR_FILES = ("fir.csv", *spec.FIR_CHILD_FILES)
Row = dict[str, str | None]
Tables = dict[str, list[Row]]


# --------------------------------------------------------------------------------------------
# Fixture: three FIR documents with every child kind, nulls, Indian scripts and nasty text
# --------------------------------------------------------------------------------------------


def _ts(s: str) -> dt.datetime:
    return dt.datetime.strptime(s, "%Y-%m-%d %H:%M")


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


K1 = ("24", "118", "10023", 2024, "0001")
K2 = ("24", "118", "10023", 2024, "0002")
K3 = ("24", "120", "10024", 2025, "0523")


def _frame(file: str, rows: list[tuple]) -> pl.DataFrame:
    cols = spec.CAS_COLUMNS[file]
    for r in rows:
        assert len(r) == len(cols), (file, r)
    data = {c: [r[i] for r in rows] for i, c in enumerate(cols)}
    return pl.DataFrame(data, schema=w.table_schema(file))


def fixture_tables() -> dict[str, pl.DataFrame]:
    facts1 = 'Accused "Raju" & others broke the lock, took <2> bikes;\nsecond line\ttabbed\r\nthird'
    # fmt: off
    rows: dict[str, list[tuple]] = {
        "fir.csv": [
            (*K1, _ts("2024-03-05 14:05"), _ts("2024-03-04 22:00"), _ts("2024-03-05 02:30"), _ts("2024-03-05 13:50"),
             "GD-17/2024", "W", 23.022505, 72.571362, "B-4", "N", None, "रमेश पटेल", "PSI", facts1,
             "CHARGESHEETED", _d("2024-06-01"), 3, _ts("2024-06-01 18:45")),
            (*K2, _ts("2024-04-10 09:00"), _ts("2024-04-09 20:15"), None, None,
             None, "O", None, None, None, "Y", "10099", "முருகன் செல்வம்", None, "O'Brien's shop, Main Rd > Gate 2",
             "TRANSFERRED", None, 1, _ts("2024-04-10 09:00")),
            (*K3, _ts("2025-01-02 00:00"), None, None, None,
             None, None, 21.17, 72.831, None, "N", None, None, None, None,
             "EXPUNGED", _d("2025-02-03"), 7, _ts("2025-02-03 10:10")),
        ],
        "act_section.csv": [
            (*K1, 1, "BNS", "303(2)"),
            (*K1, 2, "BNS", "3(5)"),
            (*K2, 1, "IPC", "379"),
        ],
        "crime_details.csv": [
            (*K1, "RESIDENCE", "HOUSE_BREAKING", "LOCK_BROKEN", "crowbar, screwdriver", "VEHICLE", "NIGHT",
             'Broke lock, "quietly" & fled <night>'),
            (*K2, "SHOP", None, None, None, None, None, None),
        ],
        "person.csv": [
            (*K1, "A1", "ACCUSED", "राजू", 'Raju "Bhai"', "मोहन", "M", 1990, 34, "INDIAN", "12, Station Rd, Ahmedabad",
             "118", 170, "WHEATISH", "mole on left cheek", "DRIVER"),
            (*K1, "A2", "ACCUSED", "Suresh", "Raju's friend", None, "M", None, 25, None, None, None, None, None, None, None),
            (*K1, "C1", "COMPLAINANT", "Amit Shah & Sons", None, "Bharat", "M", 1970, None, "INDIAN", "<unknown>",
             "118", None, None, None, "TRADER"),
            (*K1, "V1", "VICTIM", "Amit", None, None, "M", None, None, None, None, None, None, None, None, None),
            (*K2, "A1", "ACCUSED", "முருகன்", None, "கண்ணன்", "M", 1985, 39, "INDIAN", "5, கோயில் தெரு, Chennai",
             "603", 165, None, None, None),
            (*K2, "V1", "VICTIM", "Seema", None, None, "F", None, 41, None, None, None, None, None, None, None),
        ],
        "arrest.csv": [
            (*K1, "A1", _d("2024-03-06"), "ARRESTED_FORWARDED"),
            (*K1, "A2", _d("2024-03-09"), "SURRENDERED_BAILED"),
        ],
        "property.csv": [
            (*K1, 1, "STOLEN", "VEHICLE", "Hero Splendor, black", 65000, "GJ01AB1234", "MBLHA10A", "HA10E", "Hero",
             _d("2024-03-04")),
            (*K1, 2, "RECOVERED", "CASH", None, 1200, None, None, None, None, None),
        ],
        "final_report.csv": [
            (*K1, 1, _d("2024-06-01"), "CHARGESHEET", "N"),
            (*K1, 2, _d("2024-08-15"), "CHARGESHEET", "Y"),
        ],
        "court_case.csv": [
            (*K1, "CC/123/2025", "JMFC Court No. 3, Ahmedabad", _d("2024-07-01"), None, "PENDING"),
            (*K1, "CC/7/2026", "Sessions Court & Fast Track", _d("2024-09-01"), _d("2026-01-20"), "CONVICTED"),
        ],
        "hearing.csv": [
            (*K1, "CC/123/2025", _d("2024-07-15"), "Y", "DEFENCE"),
            (*K1, "CC/123/2025", _d("2024-08-20"), "N", None),
            (*K1, "CC/7/2026", _d("2025-01-10"), "N", "PROSECUTION"),
        ],
        "missing_person.csv": [
            ("24", "118", "10023", "MP/12/2024", _d("2024-02-01"), "सीता देवी", "F", 62, 150, "FAIR",
             'scar on chin, "wears glasses"', _d("2024-01-31"), "Kalupur bus stand, gate <3>", "MISSING", 1),
            ("24", "118", "10023", "MP/13/2024", _d("2024-02-02"), "Kumar", "M", None, None, None, None, None, None,
             "TRACED", 2),
        ],
        "unidentified_body.csv": [
            ("24", "120", "10024", "UD/1/2024", _d("2024-05-05"), "M", 30, 40, 168, "DARK", "tattoo 'ॐ' on arm",
             "Sabarmati riverfront", 23.0225, 72.5714, 1),
            ("24", "120", "10024", "UD/2/2024", _d("2024-05-06"), "U", None, None, None, None, None, None, None, None, 1),
        ],
    }
    # fmt: on
    return {file: _frame(file, rows[file]) for file in spec.CAS_COLUMNS}


def meta(fmt: str, **kw) -> w.UploadMeta:
    return w.UploadMeta("24", dt.date(2026, 11, 21), 1, "eGujCop 2.1", fmt, GENERATED, **kw)


# --------------------------------------------------------------------------------------------
# Independent readers: every format back to CAS tables of strings
# --------------------------------------------------------------------------------------------


kind = spec.column_kind


def expected_rows(file: str, df: pl.DataFrame) -> list[Row]:
    """What cas_csv must carry for a DataFrame, computed in plain Python."""
    out = []
    for rec in df.iter_rows(named=True):
        row: Row = {}
        for col, v in rec.items():
            if v is None:
                row[col] = None
            elif isinstance(v, dt.datetime):
                row[col] = v.strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(v, dt.date):
                row[col] = v.isoformat()
            elif isinstance(v, float):
                row[col] = f"{v:.6f}"
            else:
                row[col] = str(v)
        out.append(row)
    return out


def read_csv_file(path: Path) -> list[Row]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert tuple(header) == spec.CAS_COLUMNS[path.name]
        return [{c: (v if v != "" else None) for c, v in zip(header, rec, strict=True)} for rec in reader]


def read_csv_upload(folder: Path) -> Tables:
    return {file: read_csv_file(folder / file) for file in spec.CAS_COLUMNS}


def _from_json(file: str, col: str, v: object) -> str:
    k = kind(file, col)
    if isinstance(v, bool):
        return "Y" if v else "N"
    if k == "ts":
        return dt.datetime.strptime(str(v), "%d/%m/%Y %H:%M").strftime("%Y-%m-%d %H:%M:%S")
    if k == "date":
        return dt.datetime.strptime(str(v), "%d/%m/%Y").date().isoformat()
    if k == "float":
        assert isinstance(v, float | int)
        return f"{v:.6f}"
    if isinstance(v, int):
        return str(v)
    assert isinstance(v, str), (file, col, v)
    return v


def _json_record(file: str, obj: dict, base: Row, fields: list[str]) -> Row:
    by_key = {spec.camel(c): c for c in fields}
    unknown = set(obj) - set(by_key)
    assert not unknown, (file, unknown)
    # keys appear in CAS column order
    assert list(obj) == [spec.camel(c) for c in fields if spec.camel(c) in obj], (file, list(obj))
    row: Row = dict.fromkeys(spec.CAS_COLUMNS[file])
    row.update(base)
    for key, v in obj.items():
        assert v is not None, "nulls must be omitted"
        row[by_key[key]] = _from_json(file, by_key[key], v)
    return row


def read_jsonl_upload(folder: Path) -> Tables:
    out: Tables = {f: [] for f in FIR_FILES}
    fir_cols = spec.CAS_COLUMNS["fir.csv"]
    fir_keys = {
        spec.JSONL_FIR_FIELDS.get(c, spec.camel(c)): c for c in fir_cols if c not in ("fir_year", "fir_no")
    }
    order = ["firRef", *fir_keys, *spec.JSONL_DOCUMENT_PARTS]
    lines = (folder / "firs.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        # canonical compact JSON, UTF-8 not ASCII-escaped, keys as written
        doc = json.loads(line)
        assert line == json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        assert list(doc) == [k for k in order if k in doc], list(doc)
        fir_no, fir_year = doc["firRef"].split("/")
        key: Row = {
            "state_code": doc["stateCode"],
            "district_code": doc["districtCode"],
            "ps_code": doc["psCode"],
            "fir_year": fir_year,
            "fir_no": fir_no,
        }
        row: Row = dict.fromkeys(fir_cols)
        row.update(key)
        for k, v in doc.items():
            if k in fir_keys:
                assert v is not None
                row[fir_keys[k]] = _from_json("fir.csv", fir_keys[k], v)
        out["fir.csv"].append(row)

        def fields(file: str, *drop: str) -> list[str]:
            return [c for c in spec.CAS_COLUMNS[file] if c not in spec.FIR_KEY and c not in drop]

        for i, s in enumerate(doc.get("sections", []), start=1):
            out["act_section.csv"].append(
                _json_record("act_section.csv", s, {**key, "seq": str(i)}, fields("act_section.csv", "seq"))
            )
        if "crimeDetails" in doc:
            out["crime_details.csv"].append(
                _json_record("crime_details.csv", doc["crimeDetails"], key, fields("crime_details.csv"))
            )
        persons = [
            *((p, "ACCUSED") for p in doc.get("accused", [])),
            *((p, "VICTIM") for p in doc.get("victims", [])),
        ]
        if "complainant" in doc:
            assert isinstance(doc["complainant"], dict)
            persons.append((doc["complainant"], "COMPLAINANT"))
        for p, role in persons:
            out["person.csv"].append(
                _json_record("person.csv", p, {**key, "role": role}, fields("person.csv", "role"))
            )
        for a in doc.get("arrests", []):
            out["arrest.csv"].append(_json_record("arrest.csv", a, key, fields("arrest.csv")))
        for p in doc.get("properties", []):
            out["property.csv"].append(_json_record("property.csv", p, key, fields("property.csv")))
        for r in doc.get("finalReports", []):
            out["final_report.csv"].append(
                _json_record("final_report.csv", r, key, fields("final_report.csv"))
            )
        for c in doc.get("courtCases", []):
            c = dict(c)
            hearings = c.pop("hearings", [])
            assert hearings != [], "empty arrays are omitted"
            out["court_case.csv"].append(_json_record("court_case.csv", c, key, fields("court_case.csv")))
            for h in hearings:
                base = {**key, "court_case_no": c["courtCaseNo"]}
                out["hearing.csv"].append(
                    _json_record("hearing.csv", h, base, fields("hearing.csv", "court_case_no"))
                )
        for part in spec.JSONL_ARRAYS:
            assert doc.get(part) != [], "empty arrays are omitted"
    return out


def _from_xml(file: str, col: str, text: str | None) -> str:
    text = text or ""
    k = kind(file, col)
    if k == "ts":
        t = dt.datetime.fromisoformat(text)
        assert t.utcoffset() == dt.timedelta(hours=5, minutes=30)
        return t.strftime("%Y-%m-%d %H:%M:%S")
    if k == "date":
        return dt.date.fromisoformat(text).isoformat()
    return text


def _xml_record(
    file: str, el: ET.Element, base: Row, attrs: dict[str, str], text_col: str | None = None
) -> Row:
    row: Row = dict.fromkeys(spec.CAS_COLUMNS[file])
    row.update(base)
    for attr, col in attrs.items():
        if attr in el.attrib:
            row[col] = _from_xml(file, col, el.attrib[attr])
    assert set(el.attrib) <= set(attrs), el.attrib
    if text_col is not None:
        row[text_col] = el.text
        assert len(el) == 0
        return row
    by_tag = {spec.pascal(c): c for c in spec.CAS_COLUMNS[file] if c not in spec.FIR_KEY}
    seen = []
    for child in el:
        assert child.tag in by_tag or (file, child.tag) == ("court_case.csv", "Hearings"), child.tag
        if child.tag in by_tag:
            seen.append(by_tag[child.tag])
            row[by_tag[child.tag]] = _from_xml(file, by_tag[child.tag], child.text)
    # elements in CAS column order
    assert seen == [c for c in spec.CAS_COLUMNS[file] if c in seen]
    return row


def read_xml_upload(folder: Path, state: str = "24", date: str = "2026-11-21") -> Tables:
    out: Tables = {f: [] for f in FIR_FILES}
    path = folder / "firs.xml"
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    assert lines[0] == b'<?xml version="1.0" encoding="UTF-8"?>'
    assert lines[1] == f'<FirExport state="{state}" date="{date}">'.encode()
    assert lines[-2:] == [b"</FirExport>", b""]
    assert all(ln.startswith(b"<FIR>") and ln.endswith(b"</FIR>") for ln in lines[2:-2])
    root = ET.parse(path).getroot()
    assert root.tag == "FirExport" and root.attrib == {"state": state, "date": date}
    fir_cols = spec.CAS_COLUMNS["fir.csv"]
    by_tag = {spec.pascal(c): c for c in fir_cols}
    containers = [
        "Sections",
        "CrimeDetails",
        "Persons",
        "Arrests",
        "Properties",
        "FinalReports",
        "CourtCases",
    ]
    for fir in root:
        assert fir.tag == "FIR"
        row: Row = dict.fromkeys(fir_cols)
        tags = [c.tag for c in fir]
        fields = [t for t in tags if t in by_tag]
        assert fields == [spec.pascal(c) for c in fir_cols if spec.pascal(c) in fields]
        assert tags == fields + [t for t in containers if t in tags]
        for child in fir:
            if child.tag in by_tag:
                row[by_tag[child.tag]] = _from_xml("fir.csv", by_tag[child.tag], child.text)
        out["fir.csv"].append(row)
        key: Row = {c: row[c] for c in spec.FIR_KEY}
        for c in fir:
            assert c.tag in by_tag or len(c) > 0 or c.tag == "CrimeDetails", "empty containers are omitted"
        for s in fir.findall("Sections/Section"):
            out["act_section.csv"].append(
                _xml_record("act_section.csv", s, key, {"act": "act", "seq": "seq"}, "section")
            )
        for cd in fir.findall("CrimeDetails"):
            out["crime_details.csv"].append(_xml_record("crime_details.csv", cd, key, {}))
        for p in fir.findall("Persons/Person"):
            out["person.csv"].append(_xml_record("person.csv", p, key, {"role": "role", "seq": "person_seq"}))
        for a in fir.findall("Arrests/Arrest"):
            out["arrest.csv"].append(_xml_record("arrest.csv", a, key, {"personSeq": "person_seq"}))
        for p in fir.findall("Properties/Property"):
            out["property.csv"].append(_xml_record("property.csv", p, key, {"seq": "property_seq"}))
        for r in fir.findall("FinalReports/FinalReport"):
            out["final_report.csv"].append(_xml_record("final_report.csv", r, key, {"seq": "report_seq"}))
        for c in fir.findall("CourtCases/CourtCase"):
            case = _xml_record("court_case.csv", c, key, {"no": "court_case_no"})
            out["court_case.csv"].append(case)
            for h in c.findall("Hearings/Hearing"):
                base = {**key, "court_case_no": case["court_case_no"]}
                out["hearing.csv"].append(_xml_record("hearing.csv", h, base, {}))
    return out


def _sorted(rows: list[Row]) -> list[tuple]:
    return sorted(tuple((k, v or "") for k, v in r.items()) for r in rows)


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("uploads")
    tables = fixture_tables()
    return {fmt: w.write_upload(root / fmt, meta(fmt), tables) for fmt in spec.FORMATS}


def test_upload_id_and_meta_validation() -> None:
    assert meta("xml").upload_id == "24_20261121_01"
    with pytest.raises(ValueError):
        w.UploadMeta("24", dt.date(2026, 11, 21), 1, "x", "parquet", GENERATED)
    with pytest.raises(ValueError):
        w.UploadMeta("24", dt.date(2026, 11, 21), 1, "x", "xml", GENERATED.replace(tzinfo=None))


@pytest.mark.parametrize("fmt", spec.FORMATS)
def test_file_set_and_manifest(uploads: dict[str, Path], fmt: str) -> None:
    folder = uploads[fmt]
    assert folder.name == "24_20261121_01"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*spec.FORMAT_FILES[fmt], "manifest.json"])
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")], "no temporary left behind"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest) == [
        "spec_version", "state_code", "extract_date", "sequence", "source_system", "format", "generated_at", "files",
    ]  # fmt: skip
    assert manifest["spec_version"] == 1
    assert manifest["state_code"] == "24"
    assert manifest["extract_date"] == "2026-11-21"
    assert manifest["sequence"] == 1
    assert manifest["format"] == fmt
    assert manifest["generated_at"] == "2026-11-21T23:30:00+05:30"
    assert [f["name"] for f in manifest["files"]] == list(spec.FORMAT_FILES[fmt])
    expected_rows_by_file = {name: len(fixture_tables()[name]) for name in spec.CAS_COLUMNS}
    expected_rows_by_file["firs.jsonl"] = expected_rows_by_file["firs.xml"] = 3
    for entry in manifest["files"]:
        assert list(entry) == ["name", "rows", "sha256"]
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert (
            entry["rows"] == expected_rows_by_file[entry["name"]] == w.count_records(folder / entry["name"])
        )
    # write_manifest recomputes from disk what write_upload took from the bytes it wrote
    before = (folder / "manifest.json").read_bytes()
    assert w.write_manifest(folder, meta(fmt)) == manifest
    assert (folder / "manifest.json").read_bytes() == before


def test_csv_headers_and_values(uploads: dict[str, Path]) -> None:
    tables = fixture_tables()
    folder = uploads["cas_csv"]
    for file in spec.CAS_COLUMNS:
        raw = (folder / file).read_bytes()
        assert raw.split(b"\n", 1)[0].decode() == ",".join(spec.CAS_COLUMNS[file])
        assert read_csv_file(folder / file) == expected_rows(file, tables[file]), file
    fir = (folder / "fir.csv").read_text(encoding="utf-8")
    assert ",23.022505,72.571362," in fir and ",21.170000,72.831000," in fir
    assert "2024-03-05 14:05:00" in fir
    assert '"Accused ""Raju"" & others broke the lock, took <2> bikes;\nsecond line' in fir
    # quoted only when needed
    assert ",रमेश पटेल," in fir and ',"முருகன் செல்வம்",' not in fir


def test_jsonl_round_trips_to_csv(uploads: dict[str, Path]) -> None:
    from_csv = read_csv_upload(uploads["cas_csv"])
    from_jsonl = read_jsonl_upload(uploads["jsonl"])
    for file in FIR_FILES:
        assert _sorted(from_jsonl[file]) == _sorted(from_csv[file]), file
    assert from_jsonl["fir.csv"] == from_csv["fir.csv"]  # document order = fir.csv order
    first = (uploads["jsonl"] / "firs.jsonl").read_text(encoding="utf-8").split("\n")[0]
    assert first.startswith('{"firRef":"0001/2024","stateCode":"24","districtCode":"118","psCode":"10023",')
    assert '"registeredOn":"05/03/2024 14:05"' in first and '"isZeroFir":false' in first
    assert '"version":3,"updatedOn":"01/06/2024 18:45","sections":[{"act":"BNS","section":"303(2)"}' in first
    assert '"isSupplementary":true' in first and '"adjourned":true' in first and '"valueInr":65000' in first
    assert "रमेश पटेल" in first  # not ASCII-escaped
    third = json.loads((uploads["jsonl"] / "firs.jsonl").read_text(encoding="utf-8").split("\n")[2])
    assert list(third) == [
        "firRef", "stateCode", "districtCode", "psCode", "registeredOn", "placeLat", "placeLon", "isZeroFir",
        "status", "statusDate", "version", "updatedOn",
    ]  # fmt: skip


def test_xml_round_trips_to_csv(uploads: dict[str, Path]) -> None:
    from_csv = read_csv_upload(uploads["cas_csv"])
    from_xml = read_xml_upload(uploads["xml"])
    for file in FIR_FILES:
        assert from_xml[file] == from_csv[file], file  # XML keeps CSV order everywhere
    text = (uploads["xml"] / "firs.xml").read_text(encoding="utf-8")
    assert "<RegisteredAt>2024-03-05T14:05:00+05:30</RegisteredAt>" in text
    assert '<Section act="BNS" seq="1">303(2)</Section>' in text
    assert '<Person role="ACCUSED" seq="A1"><Name>राजू</Name><Alias>Raju &quot;Bhai&quot;</Alias>' in text
    assert "<PlaceLat>23.022505</PlaceLat>" in text and "<PlaceLat>21.170000</PlaceLat>" in text
    assert (
        '<CourtCase no="CC/123/2025"><CourtName>' in text
        and "<Hearings><Hearing><HearingDate>2024-07-15<" in text
    )
    assert "&amp; others" in text and "&lt;2&gt;" in text and "O&apos;Brien&apos;s" in text


@pytest.mark.parametrize("fmt", ["jsonl", "xml"])
def test_registers_identical_in_every_format(uploads: dict[str, Path], fmt: str) -> None:
    for file in spec.REGISTER_FILES:
        assert (uploads[fmt] / file).read_bytes() == (uploads["cas_csv"] / file).read_bytes()


@pytest.mark.parametrize("fmt", spec.FORMATS)
def test_deterministic_bytes_and_zip(tmp_path: Path, uploads: dict[str, Path], fmt: str) -> None:
    again = w.write_upload(tmp_path / "again", meta(fmt), fixture_tables())
    names = sorted(p.name for p in again.iterdir())
    assert names == sorted(p.name for p in uploads[fmt].iterdir())
    for name in names:
        assert (again / name).read_bytes() == (uploads[fmt] / name).read_bytes(), name
    z1 = w.zip_upload(again)
    z2 = w.zip_upload(uploads[fmt], tmp_path / "other.zip")
    assert z1 == again.with_name("24_20261121_01.zip")
    assert z1.read_bytes() == z2.read_bytes()
    with zipfile.ZipFile(z1) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == [f"24_20261121_01/{n}" for n in names]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        for i in infos:
            assert zf.read(i) == (again / i.filename.split("/", 1)[1]).read_bytes()
    # overwriting needs consent, and gives the same bytes
    with pytest.raises(FileExistsError):
        w.write_upload(tmp_path / "again", meta(fmt), fixture_tables())
    w.write_upload(tmp_path / "again", meta(fmt), fixture_tables(), overwrite=True)
    assert w.zip_upload(again, tmp_path / "third.zip").read_bytes() == z1.read_bytes()


def test_bom_and_crlf(tmp_path: Path, uploads: dict[str, Path]) -> None:
    folder = w.write_upload(tmp_path, meta("cas_csv", bom=True, crlf=True), fixture_tables())
    plain = uploads["cas_csv"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rows = {f["name"]: f["rows"] for f in manifest["files"]}
    for file in spec.CAS_COLUMNS:
        raw = (folder / file).read_bytes()
        assert raw.startswith(w.BOM + ",".join(spec.CAS_COLUMNS[file]).encode() + b"\r\n")
        assert raw.endswith(b"\r\n")
        assert read_csv_file(folder / file) == read_csv_file(plain / file)
        assert rows[file] == w.count_records(folder / file) == w.count_records(plain / file)
    # a line break inside a quoted field is kept as it is; records end with CRLF
    assert b"bikes;\nsecond line\ttabbed\r\nthird" in (folder / "fir.csv").read_bytes()
    # registers in the other formats honour the same options
    xml = w.write_upload(tmp_path / "x", meta("xml", bom=True), fixture_tables())
    assert (xml / "missing_person.csv").read_bytes().startswith(w.BOM)
    assert not (xml / "firs.xml").read_bytes().startswith(w.BOM)


def test_empty_upload(tmp_path: Path) -> None:
    for fmt in spec.FORMATS:
        folder = w.write_upload(tmp_path / fmt, meta(fmt), w.empty_tables())
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert {f["rows"] for f in manifest["files"]} == {0}
        for name in spec.FORMAT_FILES[fmt]:
            raw = (folder / name).read_bytes()
            if name.endswith(".csv"):
                assert raw == (",".join(spec.CAS_COLUMNS[name]) + "\n").encode()
            elif name == "firs.jsonl":
                assert raw == b""
            else:
                assert (
                    raw
                    == b'<?xml version="1.0" encoding="UTF-8"?>\n<FirExport state="24" date="2026-11-21">\n</FirExport>\n'
                )
                assert len(ET.fromstring(raw)) == 0


def test_count_records(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(w.BOM + b'a,b\r\n1,"two\r\nlines, and ""quotes"""\r\n\r\n2,"x\ny"\n3,z')
    assert w.count_records(p) == 3
    with p.open(encoding="utf-8-sig", newline="") as fh:
        assert len([r for r in csv.reader(fh) if r]) - 1 == 3
    p.write_bytes(b"a,b\n")
    assert w.count_records(p) == 0
    p.write_bytes(b"")
    assert w.count_records(p) == 0
    j = tmp_path / "firs.jsonl"
    j.write_bytes(b'{"a":1}\n\n{"b":"x\\ny"}\n')
    assert w.count_records(j) == 2
    x = tmp_path / "firs.xml"
    x.write_bytes(b"<FirExport>\n<FIR><FirNo>1</FirNo></FIR>\n<FIR/>\n<FIRST/>\n</FirExport>\n")
    assert w.count_records(x) == 2
    with pytest.raises(ValueError):
        w.count_records(tmp_path / "manifest.json")


def test_manifest_overrides_and_defects(tmp_path: Path) -> None:
    folder = w.write_upload(tmp_path, meta("jsonl"), fixture_tables())
    m = w.write_manifest(
        folder,
        meta("jsonl"),
        ["firs.jsonl", "missing_person.csv", "ghost.csv"],
        {"firs.jsonl": {"sha256": "0" * 64}, "ghost.csv": {"rows": 4, "sha256": "f" * 64}},
        fields={"spec_version": 2, "source_system": w.OMIT},
    )
    on_disk = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == m
    assert m["spec_version"] == 2 and "source_system" not in m
    assert m["files"] == [
        {"name": "firs.jsonl", "rows": 3, "sha256": "0" * 64},
        {"name": "missing_person.csv", "rows": 2, "sha256": w.sha256_file(folder / "missing_person.csv")},
        {"name": "ghost.csv", "rows": 4, "sha256": "f" * 64},
    ]
    with pytest.raises(FileNotFoundError):
        w.write_manifest(folder, meta("jsonl"), ["ghost.csv"], {"ghost.csv": {"rows": 1}})
    (folder / "notes.txt").write_text("stale export\n")
    with pytest.raises(ValueError, match="notes"):
        w.write_manifest(folder, meta("jsonl"), ["notes.txt"])
    listed = w.write_manifest(folder, meta("jsonl"), ["notes.txt"], {"notes.txt": {"rows": 1}})
    assert listed["files"] == [
        {"name": "notes.txt", "rows": 1, "sha256": w.sha256_file(folder / "notes.txt")}
    ]
    with pytest.raises(ValueError):
        w.write_manifest(folder, meta("jsonl"), overrides={"typo.csv": {"rows": 1}})


def test_empty_strings_differ_from_nulls(tmp_path: Path) -> None:
    tables = fixture_tables()
    tables["person.csv"] = tables["person.csv"].with_columns(
        pl.when(pl.col("person_seq") == "V1").then(pl.lit("")).otherwise(pl.col("alias")).alias("alias")
    )
    for fmt in spec.FORMATS:
        w.write_upload(tmp_path, meta(fmt), tables, overwrite=True)
        folder = tmp_path / "24_20261121_01"
        if fmt == "cas_csv":
            text = (folder / "person.csv").read_text(encoding="utf-8")
            assert ',V1,VICTIM,Amit,"",,M,' in text
        elif fmt == "jsonl":
            assert (
                '{"personSeq":"V1","name":"Amit","alias":"","gender":"M"}'
                in (folder / "firs.jsonl").read_text()
            )
        else:
            assert (
                '<Person role="VICTIM" seq="V1"><Name>Amit</Name><Alias></Alias><Gender>M</Gender></Person>'
                in (folder / "firs.xml").read_text()
            )


def test_rejects_wrong_columns_and_dtypes(tmp_path: Path) -> None:
    tables = fixture_tables()
    bad = dict(tables, **{"fir.csv": tables["fir.csv"].drop("beat_no")})
    with pytest.raises(ValueError, match=r"fir\.csv"):
        w.write_upload(tmp_path, meta("xml"), bad)
    bad = dict(
        tables, **{"act_section.csv": tables["act_section.csv"].with_columns(pl.col("seq").cast(pl.Float64))}
    )
    with pytest.raises(TypeError, match="seq"):
        w.write_upload(tmp_path, meta("xml"), bad)
    missing = {k: v for k, v in tables.items() if k != "hearing.csv"}
    with pytest.raises(ValueError, match=r"hearing\.csv"):
        w.write_upload(tmp_path, meta("cas_csv"), missing)
    assert not list(tmp_path.iterdir())


def test_text_columns_carry_malformed_values_verbatim(tmp_path: Path) -> None:
    """A typed column given as text (to inject a defect) is written as is in every format."""
    tables = fixture_tables()
    tables["fir.csv"] = tables["fir.csv"].with_columns(
        pl.when(pl.col("fir_no") == "0002")
        .then(pl.lit("31/02/2024"))
        .otherwise(pl.col("status_date").dt.strftime("%Y-%m-%d"))
        .alias("status_date"),
        pl.col("record_version").cast(pl.String),
    )
    csv_folder = w.write_upload(tmp_path / "c", meta("cas_csv"), tables)
    assert "TRANSFERRED,31/02/2024,1," in (csv_folder / "fir.csv").read_text()
    j = w.write_upload(tmp_path / "j", meta("jsonl"), tables)
    assert '"statusDate":"31/02/2024","version":"1"' in (j / "firs.jsonl").read_text()
    x = w.write_upload(tmp_path / "x", meta("xml"), tables)
    assert (
        "<StatusDate>31/02/2024</StatusDate><RecordVersion>1</RecordVersion>" in (x / "firs.xml").read_text()
    )


def test_orphans_duplicates_and_extra_singletons(tmp_path: Path) -> None:
    """Document formats drop children without a FIR, give duplicate FIR rows the same
    children, keep the first crimeDetails/complainant in JSONL and all of them in XML."""
    tables = fixture_tables()
    orphan = tables["act_section.csv"].head(1).with_columns(pl.lit("9999").alias("fir_no"))
    tables["act_section.csv"] = pl.concat([tables["act_section.csv"], orphan])
    tables["fir.csv"] = pl.concat([tables["fir.csv"], tables["fir.csv"].head(1)])
    extra_c = (
        tables["person.csv"]
        .filter(pl.col("person_seq") == "C1")
        .with_columns(pl.lit("C2").alias("person_seq"), pl.lit("Second").alias("name"))
    )
    tables["person.csv"] = pl.concat([tables["person.csv"], extra_c])
    j = w.write_upload(tmp_path / "j", meta("jsonl"), tables)
    docs = [json.loads(line) for line in (j / "firs.jsonl").read_text().splitlines()]
    assert len(docs) == 4 and docs[3] == docs[0]
    assert docs[0]["complainant"]["personSeq"] == "C1"
    assert "9999" not in (j / "firs.jsonl").read_text()
    x = w.write_upload(tmp_path / "x", meta("xml"), tables)
    root = ET.parse(x / "firs.xml").getroot()
    assert len(root) == 4
    assert [p.get("seq") for p in root[0].findall("Persons/Person")] == ["A1", "A2", "C1", "V1", "C2"]


def test_column_order_is_free_but_set_is_not(tmp_path: Path, uploads: dict[str, Path]) -> None:
    tables = {name: df.select(list(reversed(df.columns))) for name, df in fixture_tables().items()}
    for fmt in spec.FORMATS:
        folder = w.write_upload(tmp_path / fmt, meta(fmt), tables)
        for name in spec.FORMAT_FILES[fmt]:
            assert (folder / name).read_bytes() == (uploads[fmt] / name).read_bytes()


def test_records_without_fields_and_unknown_roles(tmp_path: Path) -> None:
    """A child row whose fields are all null is still a record; JSONL has no array for a
    person role outside ACCUSED/VICTIM/COMPLAINANT (XML keeps the role verbatim)."""
    tables = fixture_tables()
    tables["crime_details.csv"] = tables["crime_details.csv"].with_columns(
        pl.when(pl.col("fir_no") == "0002").then(pl.lit(None)).otherwise(pl.col(c)).alias(c)
        for c in spec.CAS_COLUMNS["crime_details.csv"][5:]
    )
    tables["person.csv"] = tables["person.csv"].with_columns(
        pl.when(pl.col("name") == "Seema").then(pl.lit("WITNESS")).otherwise(pl.col("role")).alias("role")
    )
    j = w.write_upload(tmp_path / "j", meta("jsonl"), tables)
    second = json.loads((j / "firs.jsonl").read_text(encoding="utf-8").splitlines()[1])
    assert second["crimeDetails"] == {}
    assert "victims" not in second and [p["personSeq"] for p in second["accused"]] == ["A1"]
    x = w.write_upload(tmp_path / "x", meta("xml"), tables)
    text = (x / "firs.xml").read_text(encoding="utf-8")
    assert "<CrimeDetails></CrimeDetails>" in text
    assert '<Person role="WITNESS" seq="V1"><Name>Seema</Name>' in text


def test_control_characters(tmp_path: Path) -> None:
    tables = fixture_tables()
    tables["fir.csv"] = tables["fir.csv"].with_columns(
        pl.when(pl.col("fir_no") == "0523").then(pl.lit("bell\x07 back\\slash")).alias("brief_facts")
    )
    j = w.write_upload(tmp_path / "j", meta("jsonl"), tables)
    last = (j / "firs.jsonl").read_text().splitlines()[2]
    assert '"briefFacts":"bell\\u0007 back\\\\slash"' in last
    assert json.loads(last)["briefFacts"] == "bell\x07 back\\slash"
    x = w.write_upload(tmp_path / "x", meta("xml"), tables)
    root = ET.parse(x / "firs.xml").getroot()
    assert root[2].findtext("BriefFacts") == "bell\ufffd back\\slash"


def test_accepts_convenient_dtypes(tmp_path: Path) -> None:
    """tz-aware timestamps are converted to IST; Boolean flags become Y/N; all-null columns."""
    base = fixture_tables()
    tables = dict(base)
    tables["fir.csv"] = base["fir.csv"].with_columns(
        pl.col("registered_at").dt.replace_time_zone("Asia/Kolkata").dt.convert_time_zone("UTC"),
        (pl.col("is_zero_fir") == "Y").alias("is_zero_fir"),
        pl.lit(None).alias("beat_no"),
    )
    a = w.write_upload(tmp_path / "a", meta("cas_csv"), tables)
    expected = base["fir.csv"].with_columns(pl.lit(None, pl.String).alias("beat_no"))
    assert read_csv_file(a / "fir.csv") == expected_rows("fir.csv", expected)


# --------------------------------------------------------------------------------------------
# Throughput (printed, not asserted)
# --------------------------------------------------------------------------------------------


def synthetic_tables(n: int) -> dict[str, pl.DataFrame]:
    """``n`` FIR documents, built vectorised, with varied (non-constant) values: 2 sections,
    crime details, 4 persons (A1, A2, C1, V1), 1 arrest, 2 properties, 1 final report and
    1 court case with 2 hearings each. Roughly 2 KB of JSON per document."""
    i = pl.int_range(0, n, eager=True)
    key = pl.DataFrame(
        {
            "state_code": pl.repeat("24", n, eager=True),
            "district_code": (100 + (i % 500) // 20).cast(pl.String),
            "ps_code": (10000 + i % 500).cast(pl.String),
            "fir_year": (2023 + i % 2).cast(pl.Int64),
            "fir_no": (1 + i // 500).cast(pl.String).str.zfill(4),
        }
    ).sort(spec.FIR_KEY)
    r = pl.int_range(0, pl.len())  # row number, to vary every value
    rs = r.cast(pl.String)
    day0 = pl.lit(dt.date(2024, 1, 1))
    ts0 = pl.lit(dt.datetime(2024, 1, 1)).cast(pl.Datetime("us"))

    def day(offset: int) -> pl.Expr:
        return day0 + pl.duration(days=(r * 7 + offset) % 700)

    def rep(df: pl.DataFrame, k: int) -> pl.DataFrame:
        return df.select(pl.all().repeat_by(k).explode()).with_columns(
            (pl.int_range(0, pl.len()) % k + 1).cast(pl.Int64).alias("seq")
        )

    reg = ts0 + pl.duration(minutes=(r * 7919) % 1_000_000)
    fir = key.with_columns(
        registered_at=reg,
        occurred_from=reg - pl.duration(minutes=300 + r % 97),
        occurred_to=reg - pl.duration(minutes=100 + r % 89),
        info_received_at=reg - pl.duration(minutes=r % 50),
        gd_entry_no=pl.format("GD-{}/2024", r % 400),
        info_type=pl.when(r % 3 == 0).then(pl.lit("O")).otherwise(pl.lit("W")),
        place_lat=(20 + (r % 100_000) / 10_000).round(6),
        place_lon=(72 + (r % 77_777) / 10_000).round(6),
        beat_no=pl.format("B-{}", r % 9),
        is_zero_fir=pl.when(r % 50 == 0).then(pl.lit("Y")).otherwise(pl.lit("N")),
        transferred_to_ps=pl.when(r % 50 == 0).then((10000 + r % 500).cast(pl.String)),
        io_name=pl.format("रमेश पटेल {}", r % 1000),
        io_rank=pl.lit("PSI"),
        brief_facts=pl.format('Accused {} broke the lock, took "{}" bikes & fled <night>', rs, r % 5),
        status=pl.lit("UNDER_INVESTIGATION"),
        status_date=day(30),
        record_version=(1 + r % 3).cast(pl.Int64),
        last_modified=reg + pl.duration(days=3),
    )
    sec = rep(key, 2).with_columns(act=pl.lit("BNS"), section=pl.format("{}(2)", 300 + r % 20))
    cd = key.with_columns(
        place_type=pl.lit("RESIDENCE"), mo_class=pl.lit("HOUSE_BREAKING"), entry_method=pl.lit("LOCK_BROKEN"),
        tools_used=pl.lit("crowbar"), target=pl.lit("VEHICLE"), time_of_day=pl.lit("NIGHT"),
        mo_text=pl.format("Broke lock {}, fled", rs),
    )  # fmt: skip
    per = rep(key, 4).with_columns(
        person_seq=pl.col("seq").replace_strict({1: "A1", 2: "A2", 3: "C1", 4: "V1"}, return_dtype=pl.String),
        role=pl.col("seq").replace_strict({1: "ACCUSED", 2: "ACCUSED", 3: "COMPLAINANT", 4: "VICTIM"}, return_dtype=pl.String),
        name=pl.format("राजू कुमार {}", r % 5000), alias=pl.when(r % 4 == 0).then(pl.format("Raju {}", rs)),
        relative_name=pl.format("Mohan {}", r % 700), gender=pl.when(r % 5 == 0).then(pl.lit("F")).otherwise(pl.lit("M")),
        birth_year=(1960 + r % 45).cast(pl.Int64), age=(19 + r % 45).cast(pl.Int64), nationality=pl.lit("INDIAN"),
        address=pl.format("{}, Station Rd, Ahmedabad", r % 300), address_district_code=(100 + r % 25).cast(pl.String),
        height_cm=pl.when(r % 2 == 0).then((150 + r % 40).cast(pl.Int64)), complexion=pl.lit("WHEATISH"),
        identification_marks=pl.when(r % 3 == 0).then(pl.lit("mole on left cheek")), occupation=pl.lit("DRIVER"),
    )  # fmt: skip
    ar = key.with_columns(person_seq=pl.lit("A1"), arrested_on=day(3), arrest_status=pl.lit("POLICE_BAIL"))
    pr = rep(key, 2).with_columns(
        property_seq=pl.col("seq"), nature=pl.lit("STOLEN"), category=pl.lit("VEHICLE"),
        description=pl.format("Motorcycle, black {}", r % 100), value_inr=(10_000 + r * 13 % 90_000).cast(pl.Int64),
        vehicle_reg_no=pl.format("GJ01AB{}", (r % 10000).cast(pl.String).str.zfill(4)),
        chassis_no=pl.format("MBLHA10A{}", rs), engine_no=pl.format("HA10E{}", rs), make=pl.lit("Hero"), event_date=day(0),
    )  # fmt: skip
    fr = key.with_columns(
        report_seq=pl.lit(1, pl.Int64), report_date=day(60), report_type=pl.lit("CHARGESHEET"),
        is_supplementary=pl.lit("N"),
    )  # fmt: skip
    cc = key.with_columns(
        court_case_no=pl.format("CC/{}/2025", rs), court_name=pl.lit("JMFC Court No. 3, Ahmedabad"),
        committed_on=day(90), disposal_date=pl.lit(None, pl.Date), result=pl.lit("PENDING"),
    )  # fmt: skip
    hr = rep(cc.select(*spec.FIR_KEY, "court_case_no"), 2).with_columns(
        hearing_date=day(100), adjourned=pl.when(r % 2 == 0).then(pl.lit("Y")).otherwise(pl.lit("N")),
        sought_by=pl.lit("DEFENCE"),
    )  # fmt: skip
    out = {
        "fir.csv": fir,
        "act_section.csv": sec,
        "crime_details.csv": cd,
        "person.csv": per,
        "arrest.csv": ar,
        "property.csv": pr,
        "final_report.csv": fr,
        "court_case.csv": cc,
        "hearing.csv": hr,
    }
    tables = {f: df.select(spec.CAS_COLUMNS[f]).cast(w.table_schema(f)).rechunk() for f, df in out.items()}
    empty = w.empty_tables()
    tables["missing_person.csv"] = empty["missing_person.csv"]
    tables["unidentified_body.csv"] = empty["unidentified_body.csv"]
    return tables


@pytest.mark.integration
def test_throughput(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    n = 20_000
    tables = synthetic_tables(n)
    report = io.StringIO()
    for fmt in spec.FORMATS:
        start = time.perf_counter()
        folder = w.write_upload(tmp_path / fmt, meta(fmt), tables)
        elapsed = time.perf_counter() - start
        mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        report.write(f"  {fmt:8s} {n / elapsed:>10,.0f} FIR documents/s  ({elapsed:.2f} s, {mb:.1f} MB)\n")
        rows = {f["name"]: f["rows"] for f in json.loads((folder / "manifest.json").read_text())["files"]}
        assert rows[spec.FORMAT_FILES[fmt][0]] == n
    with capsys.disabled():
        print(f"\nwriters throughput, {n:,} synthetic FIR documents:\n{report.getvalue()}", end="")
