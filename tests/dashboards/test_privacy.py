"""No victim's name, relative's name or address from the sample uploads appears in any page's
rendered output, any export or any feedback file the dashboards serve."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pytest

from core.settings import SAMPLE_DIR, Paths
from dashboards import db, exports, parliament, queries, ui
from dashboards.queries import Scope
from dashboards.roles import Role
from tests.dashboards.helpers import Rendered, open_app, rendered_text
from tests.support.extract_reader import read_upload

IDENTITY = ("name", "relative_name", "address", "alias")


def _uploads() -> list[Path]:
    out = []
    tmp = Path(tempfile.mkdtemp(prefix="privacy_"))
    for p in sorted(SAMPLE_DIR.iterdir()):
        if p.name.startswith(("_", ".")):
            continue
        if p.suffix == ".zip":
            dest = tmp / p.stem
            with zipfile.ZipFile(p) as z:
                z.extractall(dest)
            p = next(dest.rglob("manifest.json")).parent
        out.append(p)
    return out


@pytest.fixture(scope="module")
def victim_strings() -> set[str]:
    """Identity values of victims (and complainants, who may be the victim), less any value that
    also belongs to an accused person (an accused's own name and address may rightly appear in
    the NDSO registry)."""
    victims: set[str] = set()
    accused: set[str] = set()
    for folder in _uploads():
        try:
            tables = read_upload(folder)
        except Exception:  # an upload with an injected unreadable defect
            continue
        for r in tables.get("person.csv", []):
            values = {(r.get(c) or "").strip() for c in IDENTITY} - {""}
            (accused if r.get("role") == "ACCUSED" else victims).update(values)
    found = {v for v in victims - accused if len(v) >= 8}
    assert len(found) > 1000  # the sample has thousands of victims: the scan has something to find
    return found


_INDEX: dict[int, tuple[set[str], dict[tuple[str, ...], str]]] = {}


def _norm(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.lower()))


def _scan(text: str, strings: set[str]) -> list[str]:
    """The strings that occur in the text as whole words, case and punctuation aside."""
    key = id(strings)
    if key not in _INDEX:
        wanted: dict[tuple[str, ...], str] = {}
        for s in strings:
            wanted.setdefault(_norm(s), s)
        _INDEX[key] = (strings, wanted)
    wanted = _INDEX[key][1]
    lengths = {len(k) for k in wanted}
    tokens = _norm(text)
    hits = set()
    for n in lengths:
        for i in range(len(tokens) - n + 1):
            gram = tokens[i : i + n]
            if gram in wanted:
                hits.add(wanted[gram])
    return sorted(hits)


def test_no_victim_identity_in_pages_or_exports(
    rendered: dict[tuple[Role, str], Rendered], victim_strings: set[str], dash_env: Paths
) -> None:
    # Every page under every role, as rendered.
    for (role, page_id), r in rendered.items():
        assert not _scan(r.text, victim_strings), (role, page_id)
    # An NDSO search that returns accused persons' names and addresses.
    con = db.get_connection(dash_env)
    try:
        name = con.execute(
            "SELECT name FROM marts.mart_ndso_registry ORDER BY offender_key LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    at = open_app("admin", ui.PAGE_BY_ID["ndso"].file)
    at.text_input(key="nd_name").input(name)
    at.button[0].click().run()
    text = rendered_text(at)
    assert name in text  # positive control: the scan reads names that pages show
    assert not _scan(text, victim_strings)
    # Every parliament template and RTI table in every export format.
    con = db.get_connection(dash_env)
    try:
        blobs = []
        admin = Scope(Role.NCRB_ADMIN)
        years = queries.years(con, admin)
        for key, t in parliament.TEMPLATES.items():
            a = parliament.build_annexure(
                con,
                admin,
                key,
                years,
                None,
                "BNS" if t.needs_section else None,
                "64" if t.needs_section else None,
            )
            blobs.append(_export_text(a))
        for kind in queries.RTI_KINDS:
            table = queries.rti_table(con, Scope(Role.PUBLIC), kind, years)
            blobs.append(_export_text(parliament.rti_annexure(table, None)))
        # Feedback files as the data-health page serves them.
        for state in queries.states(con, admin)["state_code"]:
            for f in queries.feedback_files(dash_env.outbox, admin, state):
                blobs.append(
                    queries.feedback_file_bytes(f, dash_env.outbox, admin).decode("utf-8", "replace")
                )
    finally:
        con.close()
    for blob in blobs:
        assert not _scan(blob, victim_strings)


def _export_text(a: parliament.Annexure) -> str:
    import io

    from docx import Document
    from openpyxl import load_workbook

    parts = [exports.to_csv(a).decode("utf-8-sig")]
    wb = load_workbook(io.BytesIO(exports.to_xlsx(a)))
    parts += [str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None]
    doc = Document(io.BytesIO(exports.to_docx(a)))
    parts += [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_scan_detects_a_leak(victim_strings: set[str]) -> None:
    leaked = sorted(victim_strings)[0]
    assert _scan(f"<td>{leaked.upper()}</td>", victim_strings) == [leaked]
    assert _scan("nothing to see", victim_strings) == []


def test_fir_locations_never_include_sexual_offences(dash_env: Paths) -> None:
    import datetime as dt

    con = db.get_connection(dash_env)
    try:
        pts = queries.fir_locations(
            con, Scope(Role.NCRB_ADMIN), "09", dt.date(2020, 1, 1), dt.date(2030, 1, 1)
        )
        heads = set(pts["crime_head_name"])
        sexual = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT h.crime_head_name FROM marts.fct_firs f JOIN marts.dim_crime_head h USING (crime_head_code) "
                "WHERE f.is_sexual_offence"
            ).fetchall()
        }
    finally:
        con.close()
    assert sexual and not heads & sexual
    assert isinstance(con, duckdb.DuckDBPyConnection)
