"""Hostile and careless uploads for the property-based tests: small valid uploads, mutated.

A base upload is a copy of a small committed sample upload without injected defects (one per
format). Hypothesis then picks mutations, the way a broken exporter, a damaged transfer or a
hostile SCRB would change it: bytes, truncation, columns, ragged rows, wrong types, NULL keys,
missing ``seq``, unknown codes, deep nesting, bad XML, manifest values of the wrong type, wrong
hash or rows, extra/missing/unlisted files, links, and a zip (whole or damaged).

Data mutations are optionally "resealed": the manifest's ``rows`` and ``sha256`` recomputed, so
the mutated data reaches the format adapter and the record checks instead of stopping at the
hash check (rule 010). Manifest mutations are applied after resealing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from core import extract_spec as spec
from core.settings import SAMPLE_DIR
from sample_data import writers

#: Small committed sample uploads without injected defects (see ``_truth/defects.csv``).
BASE_UPLOADS: dict[str, str] = {
    "cas_csv": "01_20261101_01",  # 5 FIRs with people, arrests, reports, court cases, hearings
    "jsonl": "28_20261106_01",  # 18 FIR documents
    "xml": "30_20261103_01",  # 2 FIR documents
}
#: For the build property: a clean first day per format, and a later day to mutate.
BUILD_CLEAN: dict[str, str] = {
    "cas_csv": "01_20261101_01",
    "jsonl": "28_20261102_01",
    "xml": "30_20261101_01",
}
BUILD_MUTATED: dict[str, str] = {
    "cas_csv": "01_20261102_01",
    "jsonl": "28_20261106_01",
    "xml": "30_20261103_01",
}

Draw = Callable[[st.SearchStrategy[Any]], Any]

#: A mutation's description starting with ``MUST_REPORT`` means the upload may not load as if
#: nothing were wrong (it is rejected, or its load has issues); ``MUST_REJECT``: it is rejected.
MUST_REPORT = "[must report] "
MUST_REJECT = "[must reject] "

#: Reproducible in CI (derandomized, no example database). Each example is a real ingest, so
#: shrinking a failure costs minutes: it is off unless ``CCTNS_HYPOTHESIS_SHRINK=1`` (the
#: unshrunk example is small already and printed with the mutations applied).
HYPOTHESIS_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    phases=tuple(Phase)
    if os.environ.get("CCTNS_HYPOTHESIS_SHRINK") == "1"
    else (Phase.explicit, Phase.generate),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def copy_upload(name: str, inbox: Path) -> Path:
    inbox.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copytree(SAMPLE_DIR / name, inbox / name))


def upload_format(folder: Path) -> str:
    return spec.format_for_state(folder.name[:2])


def data_files(folder: Path) -> list[str]:
    fmt = upload_format(folder)
    return [n for n in spec.FORMAT_FILES[fmt] if (folder / n).is_file() and not (folder / n).is_symlink()]


# --- CSV helpers ---------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list[str]]:
    if csv.field_size_limit() < 2**30:  # as the cas_csv adapter does: long fields are data too
        csv.field_size_limit(2**31 - 1)
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    return list(csv.reader(io.StringIO(text, newline="")))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8", errors="surrogateescape"))


def _csv_with_rows(folder: Path, draw: Draw) -> tuple[Path, list[list[str]]] | None:
    names = [n for n in data_files(folder) if n.endswith(".csv") and len(_read_csv(folder / n)) > 1]
    if not names:
        return None
    path = folder / draw(st.sampled_from(sorted(names)))
    return path, _read_csv(path)


def _set_csv_field(folder: Path, draw: Draw, file: str, column: str, value: str) -> str:
    path = folder / file
    if not path.is_file():
        return f"no {file}"
    rows = _read_csv(path)
    if len(rows) < 2 or column not in rows[0]:
        return f"{file} has no row with {column}"
    i = draw(st.integers(1, len(rows) - 1))
    j = rows[0].index(column)
    if j < len(rows[i]):
        rows[i][j] = value
    _write_csv(path, rows)
    return f"{file} row {i} {column}={value!r}"


# --- document helpers (JSONL lines, XML <FIR> elements) ---------------------------------------------


def _jsonl_lines(folder: Path) -> list[bytes]:
    return (folder / "firs.jsonl").read_bytes().splitlines(keepends=True)


def _edit_json_doc(folder: Path, draw: Draw, edit: Callable[[dict[str, Any]], str]) -> str:
    lines = _jsonl_lines(folder)
    if not lines:
        return "no JSON line"
    i = draw(st.integers(0, len(lines) - 1))
    doc = json.loads(lines[i])
    what = edit(doc)
    lines[i] = json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n"
    (folder / "firs.jsonl").write_bytes(b"".join(lines))
    return f"firs.jsonl line {i + 1}: {what}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _xml_sub(folder: Path, pattern: str, repl: str, count: int = 0) -> str:
    path = folder / "firs.xml"
    if not path.is_file():  # an earlier mutation removed it (the upload is rejected for that)
        return "firs.xml: absent, not edited"
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=count)
    path.write_text(new, encoding="utf-8")
    return f"firs.xml: {pattern!r} -> {repl!r} ({n}x)"


# --- data mutations -----------------------------------------------------------------------------


def corrupt_bytes(folder: Path, draw: Draw) -> str:
    path = folder / draw(st.sampled_from(data_files(folder)))
    data = bytearray(path.read_bytes())
    if not data:
        return f"{path.name} empty"
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] = draw(st.integers(0, 255))
    path.write_bytes(bytes(data))
    return f"corrupt bytes in {path.name}"


def truncate(folder: Path, draw: Draw) -> str:
    path = folder / draw(st.sampled_from(data_files(folder)))
    data = path.read_bytes()
    cut = draw(st.integers(0, max(0, len(data) - 1)))
    path.write_bytes(data[:cut])
    return f"truncate {path.name} at {cut}/{len(data)}"


def csv_columns(folder: Path, draw: Draw) -> str:
    """Drop, duplicate, rename or reorder a column of a CSV file."""
    found = _csv_with_rows(folder, draw)
    if found is None:
        return "no CSV"
    path, rows = found
    width = len(rows[0])
    j = draw(st.integers(0, width - 1))
    how = draw(st.sampled_from(["drop", "duplicate", "rename", "reorder"]))
    if how == "drop":
        rows = [r[:j] + r[j + 1 :] for r in rows]
    elif how == "duplicate":
        rows = [r[: j + 1] + r[j : j + 1] + r[j + 1 :] for r in rows]
    elif how == "rename":
        rows[0][j] = rows[0][j] + "_x"
    else:
        order = draw(st.permutations(range(width)))
        rows = [[r[k] if k < len(r) else "" for k in order] for r in rows]
    _write_csv(path, rows)
    return f"{how} column {j} of {path.name}"


def ragged_row(folder: Path, draw: Draw) -> str:
    found = _csv_with_rows(folder, draw)
    if found is None:
        return "no CSV"
    path, rows = found
    i = draw(st.integers(1, len(rows) - 1))
    if draw(st.booleans()):
        rows[i] = [*rows[i], draw(st.sampled_from(["x", "", "Ram Kumar, S/o Shyam", "=HYPERLINK(1)"]))]
    else:
        rows[i] = rows[i][: draw(st.integers(0, max(0, len(rows[i]) - 1)))]
    _write_csv(path, rows)
    return f"ragged row {i} of {path.name}"


def duplicate_record(folder: Path, draw: Draw) -> str:
    fmt = upload_format(folder)
    if fmt == "jsonl" and draw(st.booleans()):
        lines = _jsonl_lines(folder)
        if lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            (folder / "firs.jsonl").write_bytes(b"".join(lines))
            return f"duplicate JSON line {i + 1}"
    if fmt == "xml" and draw(st.booleans()):
        return _xml_sub(folder, r"(?s)(<FIR>.*?</FIR>\n?)", r"\1\1", count=1)
    found = _csv_with_rows(folder, draw)
    if found is None:
        return "no CSV"
    path, rows = found
    i = draw(st.integers(1, len(rows) - 1))
    rows.insert(i, list(rows[i]))
    _write_csv(path, rows)
    return f"duplicate row {i} of {path.name}"


def wrong_type(folder: Path, draw: Draw) -> str:
    bad = draw(st.sampled_from(["abc", "1.5", "-7", "", "2026-13-45", "99999999999999999999", "true"]))
    fmt = upload_format(folder)
    if fmt == "cas_csv":
        file, col = draw(
            st.sampled_from(
                [
                    ("fir.csv", "record_version"),
                    ("fir.csv", "registered_at"),
                    ("fir.csv", "fir_year"),
                    ("fir.csv", "place_lat"),
                    ("person.csv", "age"),
                    ("property.csv", "value_inr"),
                    ("act_section.csv", "seq"),
                ]
            )
        )
        return _set_csv_field(folder, draw, file, col, bad)
    if fmt == "jsonl":
        key = draw(st.sampled_from(["version", "registeredOn", "placeLat", "isZeroFir", "sections"]))
        value: Any = draw(st.sampled_from([bad, None, [], {}, 1.5, True]))

        def edit(doc: dict[str, Any]) -> str:
            doc[key] = value
            return f"{key}={value!r}"

        return _edit_json_doc(folder, draw, edit)
    tag = draw(st.sampled_from(["RecordVersion", "RegisteredAt", "FirYear", "PlaceLat", "Age"]))
    return _xml_sub(folder, rf"<{tag}>[^<]*</{tag}>", f"<{tag}>{bad}</{tag}>", count=1)


def null_key(folder: Path, draw: Draw) -> str:
    fmt = upload_format(folder)
    if fmt == "cas_csv":
        file = draw(st.sampled_from([n for n in spec.CAS_COLUMNS if n in data_files(folder)]))
        col = draw(st.sampled_from(list(spec.CAS_COLUMNS[file][:7])))
        return _set_csv_field(folder, draw, file, col, "")
    if fmt == "jsonl":
        key = draw(st.sampled_from(["firRef", "stateCode", "districtCode", "psCode"]))

        def edit(doc: dict[str, Any]) -> str:
            doc[key] = None if draw(st.booleans()) else ""
            return f"{key} empty"

        return _edit_json_doc(folder, draw, edit)
    tag = draw(st.sampled_from(["FirNo", "FirYear", "PsCode", "DistrictCode", "StateCode"]))
    return _xml_sub(folder, rf"<{tag}>[^<]*</{tag}>", "", count=1)


def missing_seq(folder: Path, draw: Draw) -> str:
    """Section / person sequence numbers left out (the XML example of the spec has none)."""
    fmt = upload_format(folder)
    which = draw(st.sampled_from(["Section", "Person"]))
    if fmt == "xml":
        return _xml_sub(folder, rf'(<{which}\b[^>]*?) seq="[^"]*"', r"\1")
    if fmt == "cas_csv":
        file, col = ("act_section.csv", "seq") if which == "Section" else ("person.csv", "person_seq")
        return _set_csv_field(folder, draw, file, col, "")

    def edit(doc: dict[str, Any]) -> str:
        # JSONL sections are numbered by position; people carry personSeq.
        people = [*(doc.get("accused") or []), *(doc.get("victims") or []), doc.get("complainant")]
        for item in people:
            if isinstance(item, dict):
                item.pop("personSeq", None)
        return "no personSeq"

    return _edit_json_doc(folder, draw, edit)


def unknown_code(folder: Path, draw: Draw) -> str:
    code = draw(st.sampled_from(["XYZ", "closed", "999", "IPC ", "NDPS"]))
    fmt = upload_format(folder)
    if fmt == "cas_csv":
        file, col = draw(
            st.sampled_from(
                [
                    ("fir.csv", "status"),
                    ("fir.csv", "info_type"),
                    ("act_section.csv", "act"),
                    ("act_section.csv", "section"),
                    ("person.csv", "role"),
                    ("person.csv", "gender"),
                    ("fir.csv", "ps_code"),
                    ("fir.csv", "district_code"),
                ]
            )
        )
        return _set_csv_field(folder, draw, file, col, code)
    if fmt == "jsonl":
        key = draw(st.sampled_from(["status", "infoType", "psCode", "districtCode"]))

        def edit(doc: dict[str, Any]) -> str:
            doc[key] = code
            return f"{key}={code!r}"

        return _edit_json_doc(folder, draw, edit)
    tag = draw(st.sampled_from(["Status", "InfoType", "PsCode", "Gender"]))
    return _xml_sub(folder, rf"<{tag}>[^<]*</{tag}>", f"<{tag}>{code}</{tag}>", count=1)


def identity_and_formulas(folder: Path, draw: Draw) -> str:
    """Names that are spreadsheet formulas or carry commas, quotes and newlines."""
    value = draw(
        st.sampled_from(
            [
                '=HYPERLINK("http://x","y")',
                "+cmd|' /C calc'!A0",
                "@SUM(1)",
                "-2+3",
                'Ram "Kumar", S/o\nShyam',
                "\tTab",
                "\rCR",
            ]
        )
    )
    fmt = upload_format(folder)
    if fmt == "cas_csv":
        return _set_csv_field(folder, draw, "person.csv", draw(st.sampled_from(["name", "address"])), value)
    if fmt == "jsonl":

        def edit(doc: dict[str, Any]) -> str:
            doc["ioName"] = value
            return f"ioName={value!r}"

        return _edit_json_doc(folder, draw, edit)
    return _xml_sub(folder, r"<Name>[^<]*</Name>", f"<Name>{writers.xml_escape(value)}</Name>", count=1)


def deep_nesting(folder: Path, draw: Draw) -> str:
    depth = draw(st.sampled_from([50, 2_000, 100_000]))
    fmt = upload_format(folder)
    if fmt == "jsonl":
        lines = _jsonl_lines(folder)
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        nested = b"[" * depth + b"]" * depth
        line = b'{"firRef":"0001/2026","crimeDetails":' + nested + b"}\n"
        lines[i : i + 1] = [line]
        (folder / "firs.jsonl").write_bytes(b"".join(lines))
        return f"JSON line {i + 1} nested {depth} deep"
    if fmt == "xml":
        nested = "<a>" * depth + "</a>" * depth
        return _xml_sub(folder, r"<BriefFacts>", "<BriefFacts>" + nested.replace("\\", "\\\\"), count=1)
    return _set_csv_field(folder, draw, "crime_details.csv", "mo_text", "[" * depth + "]" * depth)


def bad_xml(folder: Path, draw: Draw) -> str:
    if upload_format(folder) != "xml":
        return corrupt_bytes(folder, draw)
    how = draw(st.sampled_from(["unclosed", "garbage", "entity", "no_root_end", "doctype", "encoding"]))
    path = folder / "firs.xml"
    text = path.read_text(encoding="utf-8")
    if how == "unclosed":
        text = text.replace("</FIR>", "", 1)
    elif how == "garbage":
        text = text.replace("<FIR>", "<FIR><<>>&&", 1)
    elif how == "entity":
        text = text.replace("<BriefFacts>", "<BriefFacts>&undefined;", 1)
    elif how == "no_root_end":
        text = text.replace(f"</{spec.XML_ROOT}>", "")
    elif how == "doctype":
        text = text.replace(
            "?>",
            '?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
            1,
        ).replace("<BriefFacts>", "<BriefFacts>&x;&b;", 1)
    else:
        path.write_bytes(text.encode("utf-16"))
        return "firs.xml in UTF-16"
    path.write_text(text, encoding="utf-8")
    return f"bad XML: {how}"


def xml_root_state(folder: Path, draw: Draw) -> str:
    if upload_format(folder) != "xml":
        return "not XML"
    other = draw(st.sampled_from(["29", "09", "", "3O", "30 "]))
    return MUST_REPORT + _xml_sub(folder, r'<FirExport state="[^"]*"', f'<FirExport state="{other}"', count=1)


def non_utf8(folder: Path, draw: Draw) -> str:
    path = folder / draw(st.sampled_from(data_files(folder)))
    data = path.read_bytes()
    pos = data.rfind(b"\n", 0, max(1, len(data) // 2)) + 1
    path.write_bytes(data[:pos] + b"\xff\xfe\x80" + data[pos:])
    return f"non-UTF-8 bytes in {path.name}"


def file_set(folder: Path, draw: Draw) -> str:
    """A file the format does not have (listed or not), or one of its files missing."""
    how = draw(st.sampled_from(["extra_listed", "extra_unlisted", "missing", "other_format"]))
    if how == "missing":
        name = draw(st.sampled_from(data_files(folder)))
        (folder / name).unlink()
        return f"missing {name}"
    name = draw(st.sampled_from(["notes.txt", "fir.csv", "firs.jsonl", "firs.xml", "extra.csv", "sub"]))
    if (folder / name).exists():
        name = "extra.csv"
    if name == "sub":
        (folder / name).mkdir()
        (folder / name / "x.csv").write_text("a\n1\n", encoding="utf-8")
    else:
        (folder / name).write_text("a,b\n1,2\n", encoding="utf-8")
    if how in ("extra_listed", "other_format") and (folder / name).is_file():
        man = json.loads((folder / spec.MANIFEST_FILE).read_text(encoding="utf-8"))
        data = (folder / name).read_bytes()
        man["files"].append({"name": name, "rows": 1, "sha256": hashlib.sha256(data).hexdigest()})
        (folder / spec.MANIFEST_FILE).write_text(json.dumps(man, indent=2), encoding="utf-8")
        return f"{MUST_REJECT}{how} {name}"  # a file the format does not have
    return f"{how} {name}"


def links(folder: Path, draw: Draw) -> str:
    """Links are never followed: an unlisted link to a system file, or a listed file as a link."""
    how = draw(st.sampled_from(["unlisted_etc", "listed_outside", "dangling", "hardlink_outside"]))
    if how == "unlisted_etc":
        (folder / "passwd.csv").symlink_to("/etc/passwd")
    elif how == "dangling":
        (folder / "gone.csv").symlink_to(folder.parent / "nowhere.csv")
    else:
        name = draw(st.sampled_from(data_files(folder)))
        outside = folder.parent.parent / f"outside_{folder.name}_{name}"
        shutil.move(folder / name, outside)
        if how == "listed_outside":
            (folder / name).symlink_to(outside)
            return f"{MUST_REJECT}link: {how} {name}"  # loading it means following the link
        (folder / name).hardlink_to(outside)  # a regular file as far as the upload can tell
    return f"link: {how}"


DATA_MUTATIONS: dict[str, Callable[[Path, Draw], str]] = {
    "corrupt_bytes": corrupt_bytes,
    "truncate": truncate,
    "csv_columns": csv_columns,
    "ragged_row": ragged_row,
    "duplicate_record": duplicate_record,
    "wrong_type": wrong_type,
    "null_key": null_key,
    "missing_seq": missing_seq,
    "unknown_code": unknown_code,
    "identity_and_formulas": identity_and_formulas,
    "deep_nesting": deep_nesting,
    "bad_xml": bad_xml,
    "xml_root_state": xml_root_state,
    "non_utf8": non_utf8,
    "file_set": file_set,
    "links": links,
}


# --- the manifest -------------------------------------------------------------------------------


def reseal(folder: Path) -> None:
    """Recompute ``rows`` and ``sha256`` of every listed file present (as a careful exporter would)."""
    path = folder / spec.MANIFEST_FILE
    man = json.loads(path.read_text(encoding="utf-8"))
    for entry in man["files"]:
        f = folder / entry["name"]
        if f.is_file() and not f.is_symlink():
            data = f.read_bytes()
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            if entry["name"].endswith(spec.COUNTED_SUFFIXES):
                entry["rows"] = spec.count_record_bytes(entry["name"], data)
    path.write_text(json.dumps(man, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def manifest_mutation(folder: Path, draw: Draw) -> str:
    path = folder / spec.MANIFEST_FILE
    man = json.loads(path.read_text(encoding="utf-8"))
    how = draw(
        st.sampled_from(
            [
                "field_type",
                "file_entry",
                "remove_key",
                "unknown_key",
                "deep",
                "not_object",
                "not_json",
                "state_mismatch",
                "format_mismatch",
                "bom",
                "empty",
            ]
        )
    )
    if how == "field_type":
        key = draw(
            st.sampled_from(
                [
                    "spec_version",
                    "sequence",
                    "state_code",
                    "extract_date",
                    "format",
                    "generated_at",
                    "source_system",
                    "files",
                ]
            )
        )
        value = draw(st.sampled_from([True, False, None, "1", 1, 1.0, 2, -1, [], {}, "", "x" * 300]))
        what = f"{key}={value!r}"
        integral = type(value) is int or (type(value) is float and value.is_integer())
        if key == "spec_version" and not (integral and value == spec.SPEC_VERSION):
            what = MUST_REJECT + what  # true is not 1, nor is "1"
        elif key == "sequence" and not (integral and value == man[key]):
            what = MUST_REJECT + what  # the upload's name says 01
        elif key in ("state_code", "format", "extract_date", "generated_at", "files") and value != man[key]:
            what = MUST_REJECT + what
        man[key] = value
    elif how == "file_entry":
        entry = man["files"][draw(st.integers(0, len(man["files"]) - 1))]
        key = draw(st.sampled_from(["rows", "sha256", "name"]))
        reject = True
        if key == "rows":
            value = draw(st.sampled_from([str(entry["rows"]), entry["rows"] + 1, -1, None, 1.5, True]))
        elif key == "sha256":
            value = draw(st.sampled_from([entry["sha256"].upper(), "0" * 64, "", None, 7]))
            reject = value != entry["sha256"].upper()  # upper-case hex is the same digest
        else:
            value = draw(st.sampled_from(["../fir.csv", "/etc/passwd", "FIR.CSV", "", None]))
        what = f"{MUST_REJECT if reject else ''}files[{entry.get('name')!r}].{key}={value!r}"
        entry[key] = value
    elif how == "remove_key":
        key = draw(st.sampled_from(sorted(man)))
        del man[key]
        what = f"no {key}"
    elif how == "unknown_key":
        man["extra"] = {"a": 1}
        what = "unknown key"
    elif how == "deep":
        depth = draw(st.sampled_from([100, 5_000, 200_000]))
        path.write_text('{"spec_version": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
        return f"{MUST_REJECT}manifest nested {depth} deep"
    elif how == "not_object":
        path.write_text(json.dumps([man]), encoding="utf-8")
        return MUST_REJECT + "manifest is a list"
    elif how == "not_json":
        path.write_bytes(path.read_bytes()[: draw(st.integers(0, 40))])
        return MUST_REJECT + "manifest cut"
    elif how == "state_mismatch":
        man["state_code"] = draw(st.sampled_from(["29", "9", "99", "00"]))
        what = f"{MUST_REJECT}state_code={man['state_code']}"
    elif how == "format_mismatch":
        man["format"] = draw(st.sampled_from([f for f in spec.FORMATS if f != man["format"]] + ["CSV"]))
        what = f"{MUST_REJECT}format={man['format']}"
    elif how == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        return "manifest with a BOM"
    else:
        path.write_bytes(b"")
        return MUST_REJECT + "manifest empty"
    path.write_text(json.dumps(man, indent=2), encoding="utf-8")
    flag = MUST_REJECT if what.startswith(MUST_REJECT) else ""
    return f"{flag}manifest {how}: {what.removeprefix(MUST_REJECT)}"


# --- packaging ----------------------------------------------------------------------------------


def package(folder: Path, draw: Draw) -> tuple[Path, str]:
    """Leave the folder, or zip it (and maybe damage the zip in transit)."""
    how = draw(st.sampled_from(["folder", "folder", "zip", "damaged_zip", "truncated_zip", "empty_zip"]))
    if how == "folder":
        return folder, "folder"
    if how == "empty_zip":
        shutil.rmtree(folder)
        dest = folder.with_name(folder.name + ".zip")
        dest.write_bytes(b"")
        return dest, how
    if any(p.is_symlink() or p.is_dir() for p in folder.iterdir()):
        return folder, "folder (holds a link or directory)"
    dest = writers.zip_upload(folder)
    shutil.rmtree(folder)
    data = bytearray(dest.read_bytes())
    if how == "damaged_zip":
        # Flip bytes inside the members' compressed data (before the central directory), so
        # the central directory is intact but the member data or CRC is wrong.
        end = max(31, data.rfind(b"PK\x01\x02"))
        for _ in range(draw(st.integers(1, 3))):
            pos = draw(st.integers(30, end - 1))
            data[pos] ^= draw(st.integers(1, 255))
    elif how == "truncated_zip":
        data = data[: draw(st.integers(0, len(data) - 1))]
    dest.write_bytes(bytes(data))
    return dest, how


def mutate_upload(
    draw: Draw, inbox: Path, name: str | None = None, *, data_only: bool = False
) -> tuple[Path, list[str]]:
    """Copy a base upload into ``inbox`` and apply Hypothesis-chosen mutations; (path, what).

    ``draw`` is ``st.data().draw`` of the running example (the files are written as it draws).
    ``data_only``: at least one data mutation, always resealed, manifest untouched, a folder (so
    the mutated records reach the checks, the lake and the build rather than a rejection).
    """
    if name is None:
        name = BASE_UPLOADS[draw(st.sampled_from(sorted(BASE_UPLOADS)))]
    folder = copy_upload(name, inbox)
    what: list[str] = [name]
    kinds = sorted(k for k in DATA_MUTATIONS if not (data_only and k in ("links", "file_set")))
    for m in draw(st.lists(st.sampled_from(kinds), min_size=int(data_only), max_size=3)):
        if not data_files(folder):
            break
        what.append(DATA_MUTATIONS[m](folder, draw))
    if data_only or draw(st.booleans()):
        try:
            reseal(folder)
            what.append("resealed")
        except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
            what.append(f"not resealed: {exc!r}")
    if data_only:
        return folder, what
    if draw(st.integers(0, 3)) == 0:
        what.append(manifest_mutation(folder, draw))
    path, how = package(folder, draw)
    what.append(how)
    return path, what


# --- the properties every ingest must satisfy ------------------------------------------------------

OUTCOMES = frozenset({"LOADED", "LOADED_WITH_ERRORS", "REJECTED", "DUPLICATE"})
LOADED = frozenset({"LOADED", "LOADED_WITH_ERRORS"})
#: Key columns of the lake that the warehouse's dbt key tests rely on (within one load).
LAKE_KEYS: dict[str, tuple[str, ...]] = {
    "fir": ("fir_key", "record_version"),
    "act_section": ("fir_key", "record_version", "seq"),
    "person": ("fir_key", "record_version", "person_seq"),
    "final_report": ("fir_key", "record_version", "report_seq"),
    "court_case": ("fir_key", "record_version", "court_case_no"),
    "missing_person": ("register_key", "record_version"),
    "unidentified_body": ("register_key", "record_version"),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def assert_ingest_properties(
    home: Any,
    summaries: list[Any],
    uploads: list[Path],
    whats: list[list[str]] | None = None,
    *,
    strict: bool = True,
) -> None:
    """(a) every upload ends loaded, partly quarantined or rejected with a catalogue rule;
    (b) per file of every load, rows in = rows loaded + rows quarantined (and rows in = the
    records the delivered file holds); (c) every quarantined row carries catalogue rule codes;
    keys of loaded rows are present and unique; feedback files carry no spreadsheet formula;
    links are never landed; a mutation marked MUST_REPORT / MUST_REJECT (``whats``, one list
    per upload) is reported / rejected. ``strict=False`` checks only (a), (b) and (c): the build
    property uses it, so that what the build does with the loads is tested, not masked."""
    import polars as pl

    from ingestion.catalogue import BY_CODE
    from ingestion.store import Store

    assert len(summaries) == len(uploads), [s.ledger for s in summaries]
    ledger = Store(home).ledger()
    assert ledger.height == len(uploads), ledger
    by_source = {p.name: p for p in uploads}
    expect = {p.name: w for p, w in zip(uploads, whats or [[] for _ in uploads], strict=True)}
    for led in ledger.iter_rows(named=True):
        load_id, outcome = led["load_id"], led["outcome"]
        assert outcome in OUTCOMES, led
        if outcome == "REJECTED":
            codes = (led["reject_codes"] or "").split(",")
            assert codes != [""] and all(c in BY_CODE for c in codes), led
            assert led["rows_loaded"] == 0, led
        load_dir = home.lake / f"state_code={led['state_code']}" / f"load_id={load_id}"
        files = pl.read_parquet(load_dir / "files.parquet")
        wrong = files.filter(pl.col("rows_in") != pl.col("rows_loaded") + pl.col("rows_quarantined"))
        assert wrong.height == 0, wrong.to_dicts()
        assert led["rows_in"] == led["rows_loaded"] + led["rows_quarantined"], led
        what = expect.get(led["source_name"], []) if strict else []
        if any(w.startswith(MUST_REJECT) for w in what):
            assert outcome == "REJECTED", (what, led)
        if any(w.startswith(MUST_REPORT) for w in what):
            assert outcome == "REJECTED" or led["errors"] + led["warnings"] > 0, (what, led)
        if outcome in LOADED:
            fmt = led["format"]
            expected = {n for n in spec.FORMAT_FILES[fmt] if n != spec.MANIFEST_FILE}
            assert expected <= set(files["file"].to_list()), (expected, files.to_dicts())
            src = by_source.get(led["source_name"])
            if src is not None and src.is_dir():
                for name, n_in in files.select("file", "rows_in").iter_rows():
                    assert n_in == spec.count_records(src / name), (name, n_in)
        if outcome in LOADED and strict:
            for entity, keys in LAKE_KEYS.items():
                df = pl.read_parquet(load_dir / f"{entity}.parquet")
                nulls = df.filter(pl.any_horizontal(pl.col(k).is_null() for k in keys))
                assert nulls.height == 0, (entity, keys, nulls.select(keys).to_dicts()[:3])
                dup = df.filter(pl.struct(keys).is_duplicated())
                assert dup.height == 0, (entity, keys, dup.select(keys).to_dicts()[:3])
        issues = pl.read_parquet(load_dir / "issues.parquet")
        unknown = set(issues["rule_code"].to_list()) - set(BY_CODE)
        assert not unknown, unknown
        q = pl.read_parquet(
            home.quarantine / f"state_code={led['state_code']}" / f"load_id={load_id}" / "quarantine.parquet"
        )
        no_rule = q.filter(pl.col("rule_codes").list.len() == 0)
        assert no_rule.height == 0, no_rule.drop("raw").to_dicts()[:3]
        codes = set(q["rule_codes"].explode().drop_nulls().to_list())
        assert codes <= set(BY_CODE), codes - set(BY_CODE)
    if not strict:
        return
    landed_links = [p for p in home.landing.rglob("*") if p.is_symlink()]
    assert not landed_links, landed_links
    for p in uploads:
        if p.is_dir():
            landed = {_sha256(q): q for q in home.landing.rglob("*") if q.is_file() and not q.is_symlink()}
            for link in (q for q in p.iterdir() if q.is_symlink()):
                target = link.resolve()
                if target.is_file():  # the bytes behind the link must not have been landed
                    copy = landed.get(_sha256(target))
                    assert copy is None, ("a link was followed into the landing zone", link, copy)
    for f in home.outbox.glob("*/*.csv"):
        text = f.read_text(encoding="utf-8")
        for row in csv.reader(io.StringIO(text, newline="")):
            # a plain number ("-7", "+3.5") is no formula and stays readable; anything else that
            # starts like one must have been neutralised
            risky = [c for c in row if c.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(c)]
            assert not risky, (f.name, risky)


def scripted(values: list[Any]) -> Draw:
    """A ``draw`` that returns ``values`` in order: a fixed example of :func:`mutate_upload`, for
    cases a few derandomized examples may not reach (Hypothesis' ``@example`` cannot fix the
    draws of ``st.data()``)."""
    queue = list(values)

    def draw(strategy: st.SearchStrategy[Any]) -> Any:
        assert queue, f"the script ran out of values at {strategy!r}"
        return queue.pop(0)

    return draw
