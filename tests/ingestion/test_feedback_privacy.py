"""Feedback files locate a bad record by file and row, but never carry a person's identity."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from core import extract_spec as spec
from core import safe_text
from core.settings import SAMPLE_DIR, Paths
from ingestion.store import IDENTITY_FIELDS, WITHHELD, Store, redact_identity
from sample_data import writers
from sample_data.generate import TRUTH_DIR


def test_identity_values_are_withheld_in_value_and_message() -> None:
    issues = pl.DataFrame(
        {
            "field": ["name", "address", "age", None],
            "value": ["Sita Devi", "12 MG Road", "200", None],
            "message": ["name 'Sita Devi' has invalid bytes", "address too long: 12 MG Road", "age 200", "x"],
        }
    )
    out = redact_identity(issues)
    assert out["value"].to_list() == [WITHHELD, WITHHELD, "200", None]
    assert "Sita Devi" not in out["message"][0] and WITHHELD in out["message"][0]
    assert "12 MG Road" not in out["message"][1]
    assert out["message"][2] == "age 200"


def test_sample_feedback_files_hold_no_identity_value(sample_lake: tuple[Paths, list]) -> None:
    home, _ = sample_lake
    files = sorted(home.outbox.glob("*/*.csv"))
    assert files
    fb = pl.concat(
        [pl.read_csv(f, infer_schema=False) for f in files if f.stat().st_size > 1], how="diagonal"
    )
    identity = fb.filter(pl.col("field").is_in(sorted(IDENTITY_FIELDS)) & pl.col("value").is_not_null())
    assert identity.height > 0  # the sample's defects do touch names
    assert set(identity["value"].to_list()) == {WITHHELD}


# --------------------------------------------------------------------------------------------
# Hostile uploads, built small inside the tests: a raw record that holds a victim never reaches
# a feedback file, the dashboard's copy of it or the ingest log; no cell is a formula.
# --------------------------------------------------------------------------------------------

VICTIM = "Zubeida Khatoonbi"
FATHER = "Qasimuddin Farooqui"
ADDRESS = "H.No. 4417, Yellowbrick Lane, Tumkur"
MARKS = "mole below Zubeida's left ear"
IDENTITY = (VICTIM, FATHER, ADDRESS, MARKS, "Zubeida", "Khatoonbi", "Qasimuddin", "Farooqui", "Yellowbrick")
FORMULAS = ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1+2", "\r=3+4")


def _sample_upload(fmt: str) -> Path:
    """The smallest clean sample upload of a format that has at least one FIR."""
    truth = pl.read_csv(SAMPLE_DIR / TRUTH_DIR / "uploads.csv", infer_schema=False)
    ok = truth.filter(
        (pl.col("format") == fmt)
        & (pl.col("record_defects") == "0")
        & (pl.col("upload_defect") == "")
        & (pl.col("fir_records").cast(pl.Int64) > 0)
    ).sort(pl.col("fir_records").cast(pl.Int64))
    return SAMPLE_DIR / ok["upload_id"][0]


def _copy_with(src: Path, dest_root: Path, edit: Callable[[Path], None]) -> Path:
    """A copy of a sample upload, edited, with its manifest recomputed (rows and sha256)."""
    dest = dest_root / src.name
    shutil.copytree(src, dest)
    edit(dest)
    m = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    meta = writers.UploadMeta(
        m["state_code"],
        dt.date.fromisoformat(m["extract_date"]),
        m["sequence"],
        m["source_system"],
        m["format"],
        dt.datetime.fromisoformat(m["generated_at"]),
    )
    writers.write_manifest(dest, meta)
    return dest


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _ingest_via_cli(upload: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Paths, str]:
    """``cctns ingest <upload>`` into ``home``; the paths and everything it printed (the log)."""
    from typer.testing import CliRunner

    from cctns.cli import app

    monkeypatch.setenv("CCTNS_HOME", str(home))
    res = CliRunner().invoke(app, ["ingest", "--channel", "by-name", str(upload)])
    assert res.exit_code == 0, res.output
    return Paths(home), res.output


def _feedback(paths: Paths) -> dict[str, str]:
    """Every feedback file of the outbox, as ingestion wrote it and as the dashboard serves it."""
    from dashboards import queries
    from dashboards.queries import Scope
    from dashboards.roles import Role

    admin = Scope(Role.NCRB_ADMIN)
    out: dict[str, str] = {}
    for f in sorted(paths.outbox.glob("*/*.csv")):
        out[f"outbox:{f.name}"] = f.read_text(encoding="utf-8")
        out[f"served:{f.name}"] = queries.feedback_file_bytes(f, paths.outbox, admin).decode("utf-8")
    return out


def _assert_no_identity(texts: dict[str, str]) -> None:
    for where, text in texts.items():
        for s in IDENTITY:
            assert s not in text, f"{s!r} in {where}"


def _assert_no_formula(texts: dict[str, str]) -> None:
    for where, text in texts.items():
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                bad = cell[:1] in safe_text.FORMULA_PREFIXES and cell != safe_text.neutralise(cell)
                assert not bad, f"formula cell {cell!r} in {where}"


def _issue_rows(paths: Paths) -> pl.DataFrame:
    files = sorted(paths.outbox.glob("*/*.csv"))
    return pl.concat([pl.read_csv(f, infer_schema=False) for f in files], how="diagonal")


def test_ragged_person_row_of_a_victim_is_withheld(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _sample_upload("cas_csv")

    def edit(d: Path) -> None:
        first = next(csv.DictReader((d / "fir.csv").open(encoding="utf-8", newline="")))
        key = [first[c] for c in spec.FIR_KEY]
        # a victim row with one field missing (an unquoted comma lost in the State's export)
        row = [
            *key,
            "V1",
            "VICTIM",
            VICTIM,
            FATHER,
            "F",
            "2009",
            "17",
            "INDIAN",
            ADDRESS,
            key[1],
            "",
            "",
            MARKS,
        ]
        _append(d / "person.csv", ",".join(f'"{v}"' if "," in v else v for v in row) + "\n")

    upload = _copy_with(src, tmp_path / "inbox", edit)
    paths, log = _ingest_via_cli(upload, tmp_path / "home", monkeypatch)
    rows = _issue_rows(paths).filter(pl.col("rule_code") == "120")
    assert rows.height == 1 and rows["file"][0] == "person.csv"  # the row is reported: file, row, rule
    assert rows["row"][0] is not None and rows["value"][0] == safe_text.WITHHELD
    assert "fields" in rows["message"][0]  # a useful message: what is wrong with the record
    texts = _feedback(paths) | {"ingest log": log}
    _assert_no_identity(texts)


def test_unparseable_jsonl_line_of_a_bns_64_fir_is_withheld(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _sample_upload("jsonl")

    def edit(d: Path) -> None:
        doc = json.loads((d / "firs.jsonl").read_text(encoding="utf-8").splitlines()[0])
        doc["firRef"] = "9931/" + doc["firRef"].split("/")[-1]
        doc["sections"] = [{"act": "BNS", "section": "64"}]
        doc["briefFacts"] = f"{VICTIM} was raped near her house at {ADDRESS}."
        doc["victims"] = [
            {
                "personSeq": "V1",
                "name": VICTIM,
                "relativeName": FATHER,
                "gender": "F",
                "age": 15,
                "address": ADDRESS,
                "identificationMarks": MARKS,
            }
        ]
        line = json.dumps(doc, ensure_ascii=False)
        _append(d / "firs.jsonl", line[: len(line) // 2] + "\n")  # cut in the middle of the victim

    upload = _copy_with(src, tmp_path / "inbox", edit)
    paths, log = _ingest_via_cli(upload, tmp_path / "home", monkeypatch)
    rows = _issue_rows(paths).filter(pl.col("rule_code") == "120")
    assert rows.height == 1 and rows["file"][0] == "firs.jsonl" and rows["value"][0] == safe_text.WITHHELD
    _assert_no_identity(_feedback(paths) | {"ingest log": log})


def test_unreadable_xml_fir_of_a_victim_is_withheld(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _sample_upload("xml")

    def edit(d: Path) -> None:
        text = (d / "firs.xml").read_text(encoding="utf-8")
        victim = (
            f'<Person role="VICTIM" seq="V1"><Name>{VICTIM}</Name><RelativeName>{FATHER}</RelativeName>'
            f"<Gender>F</Gender><Age>15</Age><Address>{ADDRESS}</Address>"
            f"<IdentificationMarks>{MARKS.replace(chr(39), '&apos;')}</IdentificationMarks></Person>"
        )
        nested = f"<FIR><FirNo>9932</FirNo><Persons>{victim}</Persons><FIR><FirNo>9933</FirNo></FIR></FIR>\n"
        (d / "firs.xml").write_text(text.replace("</FirExport>", nested + "</FirExport>"), encoding="utf-8")

    upload = _copy_with(src, tmp_path / "inbox", edit)
    paths, log = _ingest_via_cli(upload, tmp_path / "home", monkeypatch)
    rows = _issue_rows(paths).filter(pl.col("rule_code") == "120")
    assert rows.height >= 1 and set(rows["value"].to_list()) == {safe_text.WITHHELD}
    _assert_no_identity(_feedback(paths) | {"ingest log": log})


def test_formulas_in_an_upload_are_neutralised_in_every_feedback_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _sample_upload("cas_csv")

    def edit(d: Path) -> None:
        first = next(csv.DictReader((d / "fir.csv").open(encoding="utf-8", newline="")))
        key = [first[c] for c in spec.FIR_KEY]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        for i, f in enumerate(FORMULAS[:-1], start=1):
            # well-formed victim rows: a formula in every text field and in the age (a CR inside a
            # quoted CSV field makes the file unreadable, 015: tested on the files themselves)
            w.writerow([*key, f"V{i + 1}", "VICTIM", f, f, f, f, f, "-2+3", f, f, f, f, f, f, f])
        w.writerow([FORMULAS[0], *key[1:], "A9"])  # ragged, starting with a formula
        w.writerow(
            [*key[:4], "@SUM(1)", "V9", "VICTIM", "x", "", "", "F", "", "30", "", "", "", "", "", "", ""]
        )
        _append(d / "person.csv", buf.getvalue())

    upload = _copy_with(src, tmp_path / "inbox", edit)
    paths, log = _ingest_via_cli(upload, tmp_path / "home", monkeypatch)
    assert "=HYPERLINK" not in log
    issues = _issue_rows(paths)
    age = issues.filter((pl.col("field") == "age") & (pl.col("rule_code") == "403"))
    assert "'-2+3" in age["value"].to_list()  # shown (a number-like age), but not as a formula
    texts = _feedback(paths)
    _assert_no_formula(texts)
    for f in FORMULAS[:3]:
        assert all(f not in t.replace("'" + f, "") for t in texts.values()), f


def test_headerless_person_file_is_rejected_without_echoing_the_victim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person.csv without its header line: the first victim row is read as the header, and the
    rejection (extra and missing columns) must not echo it in the feedback, the log or the lake's
    ledger (which the warehouse's upload-health models read)."""
    src = _sample_upload("cas_csv")

    def edit(d: Path) -> None:
        first = next(csv.DictReader((d / "fir.csv").open(encoding="utf-8", newline="")))
        key = [first[c] for c in spec.FIR_KEY]
        row = [
            *key,
            "V1",
            "VICTIM",
            VICTIM,
            "",
            FATHER,
            "F",
            "2009",
            "17",
            "INDIAN",
            ADDRESS,
            key[1],
            "",
            "",
            MARKS,
            "",
        ]
        lines = (d / "person.csv").read_text(encoding="utf-8").splitlines(keepends=True)[1:]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(row)
        (d / "person.csv").write_text(buf.getvalue() + "".join(lines), encoding="utf-8")

    upload = _copy_with(src, tmp_path / "inbox", edit)
    paths, log = _ingest_via_cli(upload, tmp_path / "home", monkeypatch)
    ledger = Store(paths).ledger()
    assert ledger["outcome"].to_list() == ["REJECTED"]
    _assert_no_identity(
        _feedback(paths) | {"ingest log": log, "ledger": json.dumps(ledger.to_dicts(), default=str)}
    )


@pytest.mark.parametrize(
    ("rule", "file", "field", "value", "shown"),
    [
        ("401", "person.csv", "gender", "X", True),  # a wrong code is shown
        ("401", "person.csv", "gender", "F", True),
        ("401", "person.csv", "gender", "Devi", False),  # a name slid into a code column is not
        ("401", "firs.jsonl", "gender", "SITA", False),
        ("110", "fir.csv", "status", "CLOSED", True),
        ("110", "fir.csv", "status", "Ram Trivedi", False),
        ("202", "act_section.csv", "act", "IPCC", True),
        ("203", "act_section.csv", "IPC", "376AB", True),  # section of an act
        ("107", "fir.csv", "registered_at", "31/02/2026 10:00", True),
        ("107", "fir.csv", "registered_at", "yesterday evening", False),
        ("403", "person.csv", "age", "-2+3", True),
        ("101", "fir.csv", "fir_no", "Sita", False),
        ("101", "fir.csv", "fir_no", "12A", True),
        ("115", "person.csv", "address", "12 MG Road", False),
        ("115", "fir.csv", "brief_facts", "Sita was assaulted", False),
        ("120", "person.csv", None, "29,001,00001,2026,0001", False),  # a raw record, always
        (
            "010",
            "missing_person.csv",
            None,
            "d5f321f5098c990d2409463444caebde758357998da313cfb1386a2cab66b1e6",
            True,
        ),
        ("007", "unidentified_body.csv", None, "unidentified_body.csv", True),
        ("013", "fir.csv", None, "remarks, mobile_no", True),
        ("013", "person.csv", None, "02, 028, V1, VICTIM, SITA DEVI", False),  # a headerless file
        ("003", None, "spec_version", "2", True),
        ("111", "fir.csv", "fir_key", "2", True),
        ("403", "person.csv", "height_cm", "9845012345", False),  # a mobile number in a number column
        # mobile and Aadhaar numbers as people write them: grouped with blanks or hyphens
        ("403", "person.csv", "age", "1234 5678 9012", False),
        ("403", "person.csv", "height_cm", "98765 43210", False),
        ("403", "person.csv", "height_cm", "+91 98765 43210", False),
        ("403", "person.csv", "age", "98765-43210", False),
        ("403", "person.csv", "age", "1234-5678-9012", False),
        ("101", "fir.csv", "fir_key", "09-001-00001-2026-0001", True),  # a key is not a number
        ("013", "person.csv", None, "sita, ramesh_kumar", False),  # lower-case words, not columns
        ("014", "person.csv", None, "person_seq, name", True),  # the interface's own columns
        ("107", "fir.csv", "registered_at", "2026-11-03 10:00:00", True),
        ("302", "property.csv", "value_inr", "-125000.50", True),
        ("809", "missing_person.csv", "register_key", "29-00001-MP-12", True),
    ],
)
def test_a_value_is_shown_only_when_it_cannot_identify_anyone(
    rule: str, file: str | None, field: str | None, value: str, shown: bool
) -> None:
    row = {"rule_code": rule, "file": file, "field": field, "value": value, "message": f"x '{value}' y"}
    out = safe_text.redact_feedback_row(row)
    assert (out["value"] == value) is shown
    assert (value in str(out["message"])) is shown
