"""A small, tolerant, standard-library reader of uploads, for tests only.

It maps every format back to the cas_csv tables as text (timestamps ``YYYY-MM-DD HH:MM:SS``,
dates ``YYYY-MM-DD``, flags ``Y``/``N``, None for null), keeping any value it cannot parse as it
was written so tests can look at injected defects. Independent of the generator and writers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from core import extract_spec as spec

Row = dict[str, str | None]
Tables = dict[str, list[Row]]


_kind = spec.column_kind


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")


def read_csv(path: Path) -> list[Row]:
    rows = list(csv.reader(io.StringIO(_text(path), newline="")))
    if not rows:
        return []
    header = rows[0]
    return [{c: (v if v != "" else None) for c, v in zip(header, r, strict=False)} for r in rows[1:]]


def _norm(file: str, col: str, v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "Y" if v else "N"
    k = _kind(file, col)
    s = str(v)
    try:
        if k == "ts":
            if "T" in s:
                return dt.datetime.fromisoformat(s).strftime(spec.CSV_TIMESTAMP_FORMAT)
            if "/" in s:
                return dt.datetime.strptime(s, spec.JSONL_TIMESTAMP_FORMAT).strftime(
                    spec.CSV_TIMESTAMP_FORMAT
                )
        if k == "date" and "/" in s:
            return dt.datetime.strptime(s, spec.JSONL_DATE_FORMAT).date().isoformat()
    except ValueError:
        return s
    if k == "float" and isinstance(v, (int, float)):
        return f"{float(v):.6f}"
    return s


def _blank(file: str) -> Row:
    return dict.fromkeys(spec.CAS_COLUMNS[file])


def read_jsonl(path: Path) -> Tables:
    out: Tables = {f: [] for f in ("fir.csv", *spec.FIR_CHILD_FILES)}
    rename = {spec.JSONL_FIR_FIELDS.get(c, spec.camel(c)): c for c in spec.CAS_COLUMNS["fir.csv"]}
    for line in _text(path).splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        no, year = doc["firRef"].split("/")
        key = {
            "state_code": doc.get("stateCode"),
            "district_code": doc.get("districtCode"),
            "ps_code": doc.get("psCode"),
            "fir_year": year,
            "fir_no": no,
        }
        fir = _blank("fir.csv") | key
        for k, v in doc.items():
            if k in rename and rename[k] not in spec.FIR_KEY:
                fir[rename[k]] = _norm("fir.csv", rename[k], v)
        out["fir.csv"].append(fir)

        def child(file: str, obj: dict, extra: Row, key: Row = key) -> None:
            row = _blank(file) | key | extra
            by = {spec.camel(c): c for c in spec.CAS_COLUMNS[file]}
            for k, v in obj.items():
                if k in by:
                    row[by[k]] = _norm(file, by[k], v)
            out[file].append(row)

        for i, s in enumerate(doc.get("sections", []), 1):
            child("act_section.csv", s, {"seq": str(i)})
        if doc.get("crimeDetails"):
            child("crime_details.csv", doc["crimeDetails"], {})
        for role, part in (("ACCUSED", "accused"), ("VICTIM", "victims")):
            for p in doc.get(part, []):
                child("person.csv", p, {"role": role})
        if doc.get("complainant"):
            child("person.csv", doc["complainant"], {"role": "COMPLAINANT"})
        for a in doc.get("arrests", []):
            child("arrest.csv", a, {})
        for p in doc.get("properties", []):
            child("property.csv", p, {})
        for r in doc.get("finalReports", []):
            child("final_report.csv", r, {})
        for c in doc.get("courtCases", []):
            child("court_case.csv", {k: v for k, v in c.items() if k != "hearings"}, {})
            for h in c.get("hearings", []):
                child("hearing.csv", h, {"court_case_no": c.get("courtCaseNo")})
    return out


def read_xml(path: Path) -> Tables:
    out: Tables = {f: [] for f in ("fir.csv", *spec.FIR_CHILD_FILES)}
    root = ET.fromstring(_text(path).encode())

    def fields(file: str, el: ET.Element, row: Row) -> Row:
        by = {spec.pascal(c): c for c in spec.CAS_COLUMNS[file]}
        for ch in el:
            if ch.tag in by:
                row[by[ch.tag]] = _norm(file, by[ch.tag], ch.text if ch.text is not None else "")
        return row

    for fir_el in root:
        fir = fields("fir.csv", fir_el, _blank("fir.csv"))
        out["fir.csv"].append(fir)
        key = {c: fir[c] for c in spec.FIR_KEY}
        for s in fir_el.iterfind("Sections/Section"):
            out["act_section.csv"].append(
                _blank("act_section.csv")
                | key
                | {"seq": s.get("seq"), "act": s.get("act"), "section": s.text}
            )
        for cd in fir_el.iterfind("CrimeDetails"):
            out["crime_details.csv"].append(
                fields("crime_details.csv", cd, _blank("crime_details.csv") | key)
            )
        for p in fir_el.iterfind("Persons/Person"):
            out["person.csv"].append(
                fields(
                    "person.csv",
                    p,
                    _blank("person.csv") | key | {"role": p.get("role"), "person_seq": p.get("seq")},
                )
            )
        for a in fir_el.iterfind("Arrests/Arrest"):
            out["arrest.csv"].append(
                fields("arrest.csv", a, _blank("arrest.csv") | key | {"person_seq": a.get("personSeq")})
            )
        for p in fir_el.iterfind("Properties/Property"):
            out["property.csv"].append(
                fields("property.csv", p, _blank("property.csv") | key | {"property_seq": p.get("seq")})
            )
        for r in fir_el.iterfind("FinalReports/FinalReport"):
            out["final_report.csv"].append(
                fields("final_report.csv", r, _blank("final_report.csv") | key | {"report_seq": r.get("seq")})
            )
        for c in fir_el.iterfind("CourtCases/CourtCase"):
            out["court_case.csv"].append(
                fields("court_case.csv", c, _blank("court_case.csv") | key | {"court_case_no": c.get("no")})
            )
            for h in c.iterfind("Hearings/Hearing"):
                out["hearing.csv"].append(
                    fields("hearing.csv", h, _blank("hearing.csv") | key | {"court_case_no": c.get("no")})
                )
    return out


def read_upload(folder: Path) -> Tables:
    """All tables of an upload folder as cas_csv text rows (whatever its format)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    fmt = manifest["format"]
    if fmt == "cas_csv":
        tables = {f: read_csv(folder / f) for f in spec.CAS_COLUMNS if (folder / f).exists()}
    else:
        tables = read_jsonl(folder / "firs.jsonl") if fmt == "jsonl" else read_xml(folder / "firs.xml")
        for f in spec.REGISTER_FILES:
            tables[f] = read_csv(folder / f) if (folder / f).exists() else []
    return tables
