"""The query layer (scope enforced in SQL, parameters only, marts only) and the annexure
exports (CSV, XLSX, DOCX opened and checked)."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from core.settings import REPO_ROOT, Paths
from dashboards import db, exports, parliament, queries
from dashboards.queries import Scope, ScopeError
from dashboards.roles import Capability, Role, has

NATIONAL = Scope(Role.NCRB_ADMIN)
SCRB09 = Scope(Role.SCRB, ("09",))
D0, D1 = dt.date(2024, 1, 1), dt.date(2026, 11, 1)

#: Arguments for every registered query (after con, scope).
ARGS: dict[str, tuple[Any, ...]] = {
    "build_info": (),
    "states": (),
    "districts": (),
    "crime_heads": (),
    "acts": (),
    "years": (),
    "headline": (2025,),
    "totals_trend": (),
    "head_trend": (5,),
    "state_comparison": (2025, "TOTAL"),
    "measure_by_state_year": ("cases", (2024, 2025)),
    "section_cases_by_state_year": ("BNS", "303(2)", (2025,)),
    "itsso_by_state_year": ((2024, 2025),),
    "ndso_by_state_year": ((2024, 2025, 2026),),
    "ndso_by_state_status": (),
    "cctns_usage_by_state": (),
    "rti_table": ("cases", (2024, 2025)),
    "district_totals": ("09", D0, D1),
    "month_head_matrix": (D0, D1),
    "mo_by_month": (),
    "mo_top": (),
    "mo_spread": (),
    "fir_locations": ("09", D0, D1),
    "itsso_summary": ("station",),
    "itsso_monthly": (),
    "itsso_overdue": (),
    "ndso_search": ("", "", None, "09"),
    "upload_health": (),
    "rule_counts": (),
    "silent_stations": (),
    "cctns_usage": (),
}


@pytest.fixture
def con(dash_env: Paths) -> Iterator[duckdb.DuckDBPyConnection]:
    c = db.get_connection(dash_env)
    yield c
    c.close()


def test_every_query_has_arguments_here() -> None:
    assert set(ARGS) == set(queries.QUERIES)


def _state_codes(result: Any) -> set[str]:
    if isinstance(result, pd.DataFrame):
        codes: set[str] = set()
        for col in ("state_code", "ps_key", "fir_key", "load_id", "district_key"):
            if col in result.columns:
                codes |= {str(v)[:2] for v in result[col].dropna()}
        return codes
    return set()


@pytest.mark.parametrize("name", sorted(ARGS))
def test_scrb_scope_reads_only_its_state(con: duckdb.DuckDBPyConnection, name: str) -> None:
    fn = queries.QUERIES[name]
    args = ARGS[name]
    if name == "ndso_search":
        args = ("", "", "001", None)  # a district search: the State comes from the scope
    if not has(Role.SCRB, fn.capability):
        with pytest.raises(ScopeError):
            fn(con, SCRB09, *args)
        return
    national = queries.QUERIES[name](con, NATIONAL, *ARGS[name])
    scoped = fn(con, SCRB09, *args)
    assert _state_codes(scoped) <= {"09"}
    if isinstance(national, pd.DataFrame) and "state_code" in national.columns:
        assert len(set(national["state_code"])) > 1  # the check above could have failed
    if name == "states":
        assert list(scoped["state_name"]) == ["Uttar Pradesh"]


def test_scope_refuses_other_states_and_injection(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ScopeError, match="outside"):
        queries.district_totals(con, SCRB09, "29", D0, D1)
    with pytest.raises(ScopeError, match="outside"):
        queries.upload_health(con, SCRB09, "09') OR TRUE --")
    # A national scope passes the odd value as a parameter: it matches nothing, breaks nothing.
    assert queries.upload_health(con, NATIONAL, "09') OR TRUE --").empty
    hits = queries.ndso_search(con, NATIONAL, "O'Brien'; DROP TABLE x; --")
    assert isinstance(hits, pd.DataFrame)
    with pytest.raises(ScopeError):
        Scope(Role.SCRB)  # an SCRB scope needs its State
    with pytest.raises(ValueError, match="State column"):
        SCRB09.where("1=1 OR state_code")


@pytest.mark.parametrize("role", list(Role))
def test_capabilities_are_enforced_in_queries(con: duckdb.DuckDBPyConnection, role: Role) -> None:
    scope = Scope(role, ("09",) if role == Role.SCRB else None)
    for name, fn in queries.QUERIES.items():
        if has(role, fn.capability):
            continue
        with pytest.raises(ScopeError):
            fn(con, scope, *ARGS[name])
    assert has(Role.PUBLIC, Capability.RTI) and not has(Role.PUBLIC, Capability.OVERVIEW)


def test_queries_read_only_the_marts_with_parameters() -> None:
    src = (REPO_ROOT / "dashboards" / "queries.py").read_text()
    tables = set(re.findall(r"\b(\w+)\.(?:dim|fct|mart)_\w+", src))
    assert tables == {"marts"}
    assert not re.search(r"\b(staging|intermediate|reference|lake_batch)\.", src)
    # No value is formatted into SQL: f-strings that hold SQL interpolate only predicates built by
    # Scope.where / placeholders, and identifiers from the module's allow-lists.
    allowed = {
        "pred",
        "dist_pred",
        "head_pred",
        "den",
        "m.num",
        "m.table",
        "_in(yrs)",
        "keys",
        "label",
        "join",
        "score",
        "alias_list",
        "aliases_text",
        "column",
        "', '.join('?' * len(states))",
    }
    sql_re = re.compile(r"\b(SELECT|WHERE|FROM|GROUP BY|ORDER BY)\b|\bIN \(")
    n_sql = 0
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if not sql_re.search(text):
                continue
            n_sql += 1
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    assert ast.unparse(v.value) in allowed, ast.unparse(v.value)
    assert n_sql > 20


def test_ndso_fuzzy_search_finds_spelling_variants(con: duckdb.DuckDBPyConnection) -> None:
    reg = con.execute(
        "SELECT name, state_code FROM marts.mart_ndso_registry ORDER BY offender_key"
    ).fetchall()
    name, _state = reg[1]
    first, *rest = name.split()
    variant = (first + first[-1]) + " " + " ".join(rest) if rest else first + "a"  # a doubled letter
    hits = queries.ndso_search(con, NATIONAL, variant)
    assert name in set(hits["name"])
    assert hits["score"].between(queries.NDSO_MIN_SCORE, 1.0).all()
    assert queries.ndso_search(con, NATIONAL, "Zzyzx Qwerty").empty
    alias = con.execute(
        "SELECT aliases[1], name FROM marts.mart_ndso_registry WHERE len(aliases) > 0 LIMIT 1"
    ).fetchone()
    assert alias is not None
    hits = queries.ndso_search(con, NATIONAL, alias=alias[0])
    assert alias[1] in set(hits["name"])
    with pytest.raises(ValueError, match="name, an alias or a district"):
        queries.ndso_search(con, NATIONAL)


def test_feedback_files_are_scoped_and_redacted(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    header = (
        "upload_id,load_id,file,row,fir_key,register_key,rule_code,rule_name,severity,field,value,message\n"
    )
    for sc in ("09", "29"):
        (outbox / sc).mkdir(parents=True)
        (outbox / sc / f"{sc}_20261103_01-abc_errors.csv").write_text(
            header
            + f"{sc}_20261103_01,L,fir.csv,10,{sc}-001-00001-2026-0001,,111,DUPLICATE_FIR,error,fir_key,2,twice\n"
            + f"{sc}_20261103_01,L,person.csv,19,{sc}-001-00001-2026-0002,,115,TEXT_NOT_UTF8,error,name,"
            "Zebulon Quartermaine,name Zebulon Quartermaine contains bytes that are not UTF-8\n",
            encoding="utf-8",
        )
    files = queries.feedback_files(outbox, SCRB09, "09")
    assert [f.parent.name for f in files] == ["09"]
    with pytest.raises(ScopeError):
        queries.feedback_files(outbox, SCRB09, "29")
    served = queries.feedback_file_bytes(files[0], outbox, SCRB09).decode()
    assert "Zebulon Quartermaine" in files[0].read_text() and "Zebulon Quartermaine" not in served
    assert (
        served.count(queries.WITHHELD) == 2
        and "DUPLICATE_FIR" in served
        and "09-001-00001-2026-0001" in served
    )
    other = queries.feedback_files(outbox, NATIONAL, "29")[0]
    with pytest.raises(ScopeError):
        queries.feedback_file_bytes(other, outbox, SCRB09)
    with pytest.raises(ValueError):
        queries.feedback_file_bytes(Path("/etc/passwd"), outbox, NATIONAL)


# ------------------------------------------------------------------------------------------
# Annexures and exports
# ------------------------------------------------------------------------------------------


def test_every_template_builds_an_annexure(con: duckdb.DuckDBPyConnection) -> None:
    assert len(parliament.TEMPLATES) >= 8
    stats = Scope(Role.NCRB_STATISTICIAN)
    n_states = len(queries.states(con, stats))
    for key, t in parliament.TEMPLATES.items():
        a = parliament.build_annexure(
            con,
            stats,
            key,
            (2024, 2025),
            "THEFT" if t.needs_head else None,
            "BNS" if t.needs_section else None,
            "303(2)" if t.needs_section else None,
        )
        assert len(a.rows) == n_states, key
        assert a.header[:2] == ["S.No.", "State/UT"]
        assert a.body()[-1][1] == "Total (All India)"
        if t.needs_years:
            assert a.columns == ["2024", "2025"]
        if t.kind == "count":
            for j in range(len(a.columns)):
                assert a.total[j] == sum(v[j] for _, v in a.rows), key


def test_annexure_figures_match_the_marts(con: duckdb.DuckDBPyConnection) -> None:
    stats = Scope(Role.NCRB_STATISTICIAN)
    a = parliament.build_annexure(con, stats, "cases", (2025,), "THEFT")
    expect = dict(
        con.execute(
            "SELECT s.state_name, m.cases FROM marts.mart_crime_state_year m JOIN marts.dim_state s USING (state_code) "
            "WHERE m.year = 2025 AND m.crime_head_code = 'THEFT'"
        ).fetchall()
    )
    assert {name: v[0] for name, v in a.rows if v[0]} == expect
    rate = parliament.build_annexure(con, stats, "chargesheeting_rate", (2025,), None)
    cs, disp = con.execute(
        "SELECT SUM(chargesheeted), SUM(disposed) FROM marts.mart_police_disposal WHERE year = 2025"
    ).fetchone()
    assert rate.total[0] == pytest.approx(cs * 100 / disp)  # from summed parts, not averaged rates


@pytest.fixture
def annexure(con: duckdb.DuckDBPyConnection) -> parliament.Annexure:
    return parliament.build_annexure(con, Scope(Role.NCRB_STATISTICIAN), "cases", (2024, 2025), "THEFT")


def test_xlsx_layout(annexure: parliament.Annexure) -> None:
    wb = load_workbook(io.BytesIO(exports.to_xlsx(annexure)))
    ws = wb["Annexure"]
    assert ws["A1"].value == "ANNEXURE"
    assert ws["A2"].value == annexure.title and "Theft" in annexure.title
    header = [c.value for c in ws[5]]
    assert header == ["S.No.", "State/UT", "2024", "2025"]
    n = len(annexure.rows)
    body = [[c.value for c in ws[r]] for r in range(6, 6 + n)]
    assert [r[0] for r in body] == [str(i) for i in range(1, n + 1)]
    assert [r[1] for r in body] == [name for name, _ in annexure.rows]
    total = [c.value for c in ws[6 + n]]
    assert total[1] == "Total (All India)" and ws.cell(6 + n, 2).font.bold
    for j in (2, 3):
        assert all(isinstance(r[j], int) for r in body)
        assert total[j] == sum(r[j] for r in body)
    footer = [ws.cell(r, 1).value for r in range(7 + n, ws.max_row + 1)]
    assert "Source: NCRB, CCTNS warehouse" in footer
    assert "Data as on 07.11.2026" in footer


def test_docx_layout(annexure: parliament.Annexure) -> None:
    doc = Document(io.BytesIO(exports.to_docx(annexure)))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "ANNEXURE" and paras[1] == annexure.title
    assert "Source: NCRB, CCTNS warehouse" in paras and "Data as on 07.11.2026" in paras
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["S.No.", "State/UT", "2024", "2025"]
    last = table.rows[-1].cells
    assert last[1].text == "Total (All India)"
    assert last[1].paragraphs[0].runs[0].bold
    assert int(last[2].text) == sum(int(r.cells[2].text) for r in table.rows[1:-1])


def test_csv_layout(annexure: parliament.Annexure) -> None:
    rows = list(csv.reader(io.StringIO(exports.to_csv(annexure).decode("utf-8-sig"))))
    assert rows[0] == [annexure.title]
    assert rows[1] == ["S.No.", "State/UT", "2024", "2025"]
    total_idx = 2 + len(annexure.rows)
    assert rows[total_idx][1] == "Total (All India)"
    assert ["Source: NCRB, CCTNS warehouse"] in rows and ["Data as on 07.11.2026"] in rows
    assert exports.filename(annexure, "xlsx").endswith(".xlsx")


def test_rti_export_carries_suppression(con: duckdb.DuckDBPyConnection) -> None:
    table = queries.rti_table(con, Scope(Role.PUBLIC), "cases", (2024, 2025), "THEFT")
    a = parliament.rti_annexure(table, dt.date(2026, 11, 7))
    wb = load_workbook(io.BytesIO(exports.to_xlsx(a)))
    values = [
        c.value for row in wb["Annexure"].iter_rows(min_row=6, min_col=3) for c in row if c.value is not None
    ]
    nums = [v for v in values if isinstance(v, int)]
    assert "*" in values  # the small UT's cells are hidden
    assert all(v == 0 or v >= 10 for v in nums)
    with pytest.raises(ScopeError, match="below"):
        queries.rti_table(con, Scope(Role.PUBLIC), "cases", (2024,), None, 3)


def test_section_search_matches_ingestion_spelling(con: duckdb.DuckDBPyConnection) -> None:
    years = queries.years(con, NATIONAL)
    act, section = con.execute(
        "SELECT o.act, o.section FROM marts.fct_fir_offences o JOIN marts.fct_firs f USING (fir_key) "
        "GROUP BY ALL ORDER BY COUNT(*) DESC, 1, 2 LIMIT 1"
    ).fetchone()
    (expect,) = con.execute(
        f"SELECT COUNT(DISTINCT f.fir_key) FROM marts.fct_firs f JOIN marts.fct_fir_offences o USING (fir_key) "
        f"WHERE o.act = ? AND o.section = ? AND f.year IN ({', '.join('?' * len(years))})",
        [act, section, *years],
    ).fetchone()
    typed = f" {section.upper().replace('(', ' (')} "  # as a clerk might type it
    got = queries.section_cases_by_state_year(con, NATIONAL, act.lower(), typed, years)
    assert expect > 0 and int(got["num"].sum()) == expect
