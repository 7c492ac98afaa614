"""No CSV or XLSX the project writes carries a formula (OWASP CSV injection) or a person's identity:
the annexure exports (CSV, XLSX opened with openpyxl), the feedback files the dashboard serves and
the feedback files delivered to the States, and the shared helper they all use."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import safe_text
from core.settings import Paths
from dashboards import exports, parliament, queries
from dashboards.queries import Scope
from dashboards.roles import Role
from warehouse import feedback

FORMULAS = ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1+2", "\r=3+4")
VICTIM = "Zubeida Khatoonbi"
FATHER = "Qasimuddin Farooqui"
ADDRESS = "H.No. 4417, Yellowbrick Lane, Tumkur"


def _is_formula(cell: object) -> bool:
    """Would a spreadsheet evaluate this text cell (it starts with a formula character and is
    not a plain number or the lone nil dash)?"""
    return isinstance(cell, str) and cell != safe_text.neutralise(cell)


@pytest.mark.parametrize("text", FORMULAS)
def test_neutralise_quotes_every_formula_start(text: str) -> None:
    out = safe_text.neutralise(text)
    assert out == "'" + text
    assert safe_text.neutralise(out) == out  # idempotent
    assert safe_text.unneutralise(out) == text


@pytest.mark.parametrize(
    "value", ["-5", "+3", "-12.50", "1e3", "-", "Uttar Pradesh", "", "'=x", "2026-11-01"]
)
def test_numbers_and_plain_text_stay_as_they_are(value: str) -> None:
    assert safe_text.neutralise(value) == value
    assert safe_text.neutralise_cell(-5) == -5 and safe_text.neutralise_cell(None) is None


def _hostile_annexure() -> parliament.Annexure:
    return parliament.Annexure(
        title=FORMULAS[1],
        question=FORMULAS[2],
        columns=["2025", FORMULAS[4]],
        rows=[(FORMULAS[0], [5, -3]), (FORMULAS[3], [None, 7]), (FORMULAS[5], [1, 2]), ("Goa", [0, 1])],
        total=[6, 7],
        kind="count",
        unit=FORMULAS[2],
        data_as_on=dt.date(2026, 11, 7),
        notes=[FORMULAS[0], FORMULAS[2]],
    )


def test_annexure_csv_neutralises_text_and_keeps_numbers() -> None:
    a = _hostile_annexure()
    text = exports.to_csv(a).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert not [c for c in cells if _is_formula(c)]
    for f in FORMULAS:
        assert "'" + f in cells, f
    assert "-3" in cells and "-" in cells  # a negative count and the nil dash are not touched


def test_annexure_xlsx_has_no_formula_and_numbers_stay_numeric() -> None:
    a = _hostile_annexure()
    wb = load_workbook(io.BytesIO(exports.to_xlsx(a)))
    ws = wb["Annexure"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert not [v for v in values if _is_formula(v)]
    for f in FORMULAS:
        assert "'" + f in values, f
    body = {ws.cell(r, 2).value: (ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(6, 11)}
    assert body["'" + FORMULAS[0]] == (5, -3)  # numeric cells stay numbers, negative included
    assert body["'" + FORMULAS[3]] == ("-", 7)


def _old_feedback_file(outbox: Path) -> Path:
    """A feedback file as an older release wrote it: a raw person record (rule 120) of a victim,
    a name echoed in a message, and formulas in value and message."""
    d = outbox / "09"
    d.mkdir(parents=True)
    path = d / "09_20261103_01-abc_errors.csv"
    raw = f'09,001,00001,2026,0002,V1,VICTIM,{VICTIM},,{FATHER},F,2010,16,INDIAN,"{ADDRESS}"'
    header = ["upload_id", "load_id", "file", "row", "fir_key", "register_key", "rule_code", "rule_name"]
    header += ["severity", "field", "value", "message"]

    def row(
        file: str, n: int, fir: str, rule: str, sev: str, field: str, value: str, msg: str
    ) -> list[object]:
        return [
            "09_20261103_01",
            "L",
            file,
            n,
            f"09-001-00001-2026-{fir}",
            "",
            *rule.split(":"),
            sev,
            field,
            value,
            msg,
        ]

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerow(row("person.csv", 7, "0002", "120:RECORD_UNPARSEABLE", "error", "", raw,
                       "record cannot be parsed: record has 15 fields"))  # fmt: skip
        w.writerow(row("person.csv", 8, "0003", "401:PERSON_CODE_INVALID", "error", "gender", VICTIM,
                       f"gender '{VICTIM}' is not an allowed value"))  # fmt: skip
        for i, f in enumerate(FORMULAS):
            w.writerow(row("person.csv", 9 + i, "0004", "403:AGE_INVALID", "warning", "age", f, f))
        w.writerow(
            row("fir.csv", 20, "0005", "111:DUPLICATE_FIR", "error", "fir_key", "2", "FIR appears 2 times")
        )
    return path


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def test_dashboard_serves_feedback_without_identity_or_formula(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    path = _old_feedback_file(outbox)
    served = queries.feedback_file_bytes(path, outbox, Scope(Role.SCRB, ("09",))).decode("utf-8")
    for s in (VICTIM, FATHER, ADDRESS, "Zubeida", "Qasimuddin", "Yellowbrick"):
        assert s not in served, s
    cells = _cells(served)
    assert not [c for c in cells if _is_formula(c)]
    assert (
        "DUPLICATE_FIR" in cells and "09-001-00001-2026-0005" in cells and "2" in cells
    )  # the rest as it was
    assert "record cannot be parsed: record has 15 fields" in cells  # file, row, rule, message kept
    assert "'-2+3" in cells  # a number-like age is shown, neutralised


def test_delivered_feedback_is_sanitised_first(tmp_path: Path) -> None:
    home = Paths(tmp_path / "home").ensure()
    path = _old_feedback_file(home.outbox)
    [d] = feedback.deliver_feedback(home, target=tmp_path / "sftp")
    delivered = Path(d.destination).read_text(encoding="utf-8")
    assert delivered == path.read_text(encoding="utf-8")  # the outbox copy was rewritten first
    assert VICTIM not in delivered and ADDRESS not in delivered and FATHER not in delivered
    assert not [c for c in _cells(delivered) if _is_formula(c)]
    assert feedback.deliver_feedback(home, target=tmp_path / "sftp") == []  # and delivered once
