"""AppTest: every page under every role, login, scoping, suppression, audit, republication."""

from __future__ import annotations

import re

import duckdb
import pytest

from core.settings import Paths
from dashboards import audit, db, ui
from dashboards.roles import Role
from tests.dashboards.helpers import USERS, Rendered, allowed, open_app, open_page_directly, rendered_text
from tests.dashboards.test_suppression import exposed
from warehouse import publish

OTHER_STATES = ("Karnataka", "Delhi", "Goa", "Andaman")
PAGE_TITLES = {
    "overview": "National overview",
    "parliament": "Parliament question builder",
    "rti": "RTI response",
    "patterns": "Crime patterns",
    "itsso": "ITSSO compliance",
    "ndso": "NDSO search",
    "data_health": "SCRB data health",
}


def test_login_form(dash_env: Paths, demo_passwords: dict[str, str]) -> None:
    n0 = len(audit.entries(dash_env))
    at = open_app(None)
    assert [t.value for t in at.title] == ["CCTNS national crime data warehouse"]
    at.text_input(key="login_username").input("statistician")
    at.text_input(key="login_password").input("not-the-password")
    at.button[0].click().run()
    assert "Unknown username or wrong password." in [e.value for e in at.error]
    assert ui.SESSION_USER not in at.session_state
    at.text_input(key="login_password").input(demo_passwords["statistician"])
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state[ui.SESSION_USER] == "statistician"
    assert [t.value for t in at.title] == ["National overview"]
    actions = [(e["username"], e["action"]) for e in audit.entries(dash_env)[n0:]]
    assert actions == [("statistician", "login_failed"), ("statistician", "login")]


def test_builtin_table_export_is_off(dash_env: Paths) -> None:
    """Streamlit's own "download as CSV" on st.dataframe writes cells unneutralised (a name like
    =HYPERLINK(...) from an upload would run in a spreadsheet): the app and the server turn it off,
    so every download goes through the neutralising export buttons."""
    import streamlit as st

    from dashboards import serve

    st.set_option("client.disableDataExport", False)
    open_app(None)
    assert st.get_option("client.disableDataExport") is True
    cmd = serve.command(8501)
    assert cmd[cmd.index("--client.disableDataExport") + 1] == "true"


@pytest.mark.parametrize("page_id", list(PAGE_TITLES))
@pytest.mark.parametrize("role", list(Role))
def test_every_page_under_every_role(
    rendered: dict[tuple[Role, str], Rendered], role: Role, page_id: str
) -> None:
    page = ui.PAGE_BY_ID[page_id]
    if allowed(role, page):
        r = rendered[(role, page_id)]
        assert not r.at.exception, [e.value for e in r.at.exception]
        assert not r.at.error, [e.value for e in r.at.error]
        assert PAGE_TITLES[page_id] in [t.value for t in r.at.title] or (
            page_id == "overview" and "State overview" in [t.value for t in r.at.title]
        )
        assert "Data as on 07.11.2026" in r.text
        return
    # Not in the role's navigation ...
    first = ui.pages_for(role)[0].page_id
    with pytest.raises(ValueError):
        rendered[(role, first)].at.switch_page(page.file)
    # ... and the page itself refuses, even when its script is run directly.
    direct = open_page_directly(USERS[role], page.file)
    assert any("Access denied" in e.value for e in direct.error)
    assert not direct.dataframe and not direct.get("plotly_chart")


def test_not_logged_in_sees_only_the_login(rendered: dict[tuple[Role, str], Rendered]) -> None:
    direct = open_page_directly(None, ui.PAGE_BY_ID["data_health"].file)
    assert [w.value for w in direct.warning] == ["Please log in."]
    assert not direct.dataframe


def test_scrb_user_sees_only_its_own_state(
    rendered: dict[tuple[Role, str], Rendered], dash_env: Paths
) -> None:
    con = db.get_connection(dash_env)
    try:
        other_districts = [
            r[0]
            for r in con.execute(
                "SELECT d.district_name FROM marts.dim_district d WHERE d.state_code <> '09' "
                # names that also belong to UP's own districts or police stations are not evidence
                "AND NOT EXISTS (SELECT 1 FROM marts.dim_district o WHERE o.state_code = '09' "
                "AND o.district_name = d.district_name) "
                "AND NOT EXISTS (SELECT 1 FROM marts.dim_police_station p WHERE p.state_code = '09' "
                "AND contains(lower(p.ps_name), lower(d.district_name)))"
            ).fetchall()
        ]
    finally:
        con.close()
    pages = [p.page_id for p in ui.pages_for(Role.SCRB)]
    assert set(pages) == {"rti", "patterns", "itsso", "data_health"}
    seen_own = 0
    for page_id in pages:
        text = rendered[(Role.SCRB, page_id)].text
        for name in (*OTHER_STATES, *other_districts):
            assert not re.search(rf"\b{re.escape(name)}\b", text), (page_id, name)
        assert not re.search(r"\b(29|07|30|35)-\d{3}-\d{5}", text), page_id  # other States' keys
        assert not re.search(r"\b(29|07|30|35)_2026\d{4}_\d\d", text), page_id  # other States' uploads
        seen_own += "Uttar Pradesh" in text or "09-" in text
    assert seen_own >= 3
    # The national view of the same pages does show other States: the check above can fail.
    assert (
        "Karnataka" in rendered[(Role.NCRB_ADMIN, "patterns")].text + rendered[(Role.NCRB_ADMIN, "rti")].text
    )


def _published(df) -> tuple[list[list[int | None]], int, int, bool]:  # type: ignore[no-untyped-def]
    cols = [c for c in df.columns if c not in ("S.No.", "State/UT")]
    row_totals = cols[-1] == "Total"
    matrix = [[None if v == "*" else int(v) for v in row] for row in df[cols].itertuples(index=False)]
    return matrix, len(matrix) - 1, len(cols) - (1 if row_totals else 0), row_totals


@pytest.mark.parametrize("head", [None, "RAPE", "THEFT"])
def test_public_rti_shows_no_small_or_derivable_cell(head: str | None) -> None:
    at = open_app("public")
    assert [p.page_id for p in ui.pages_for(Role.PUBLIC)] == ["rti"]
    assert [t.value for t in at.title] == ["RTI response"]
    at.selectbox(key="rti_head").select(head).run()
    assert not at.exception and not at.number_input  # the public cannot change the threshold
    (df,) = [d.value for d in at.dataframe]
    matrix, n_rows, n_cols, row_totals = _published(df)
    flat = [v for row in matrix for v in row]
    assert None in flat  # the small UT is suppressed: the test can fail
    assert all(v is None or v == 0 or v >= 10 for v in flat)
    assert exposed(matrix, n_rows, n_cols, row_totals, True) == []
    assert df.iloc[-1]["State/UT"] == "Total"
    text = rendered_text(at)
    assert "are suppressed" in text and "Source: NCRB, CCTNS warehouse" in text


def test_parliament_answer_layout() -> None:
    at = open_app("statistician", ui.PAGE_BY_ID["parliament"].file)
    at.selectbox(key="pq_template").select("convicted").run()
    at.multiselect(key="pq_years").set_value([2024, 2025]).run()
    at.selectbox(key="pq_head").select("THEFT").run()
    assert not at.exception and not at.error
    (df,) = [d.value for d in at.dataframe]
    assert list(df.columns) == ["S.No.", "State/UT", "2024", "2025"]
    assert df.iloc[-1]["State/UT"] == "Total (All India)"
    assert int(df.iloc[-1]["2025"]) == sum(int(v) for v in df["2025"].iloc[:-1])
    captions = [c.value for c in at.caption]
    assert "Source: NCRB, CCTNS warehouse" in captions and "Data as on 07.11.2026" in captions
    assert len(at.get("download_button")) == 3


def test_ndso_search_is_audited(dash_env: Paths) -> None:
    con = db.get_connection(dash_env)
    try:
        name, _state = con.execute(
            "SELECT name, state_code FROM marts.mart_ndso_registry ORDER BY offender_key LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    n0 = len(audit.entries(dash_env))
    at = open_app("officer", ui.PAGE_BY_ID["ndso"].file)
    assert not at.dataframe  # nothing before a search
    at.text_input(key="nd_name").input(name.lower())
    at.button[0].click().run()
    assert not at.exception
    (hits,) = [d.value for d in at.dataframe]
    assert name in set(hits["name"])
    new = audit.entries(dash_env)[n0:]
    assert [(e["username"], e["action"], e["detail"]["name"]) for e in new] == [
        ("officer", "ndso_search", name.lower())
    ]
    at.button[0].click().run()  # the same search again is audited again
    assert len(audit.entries(dash_env)) == n0 + 2
    assert audit.verify(dash_env) >= n0 + 2


def test_sensitive_sections_follow_the_role(
    rendered: dict[tuple[Role, str], Rendered], dash_env: Paths
) -> None:
    scrb_itsso = rendered[(Role.SCRB, "itsso")]
    overdue = [d.value for d in scrb_itsso.at.dataframe if "fir_key" in d.value.columns]
    assert len(overdue) == 1
    assert set(overdue[0].columns) == {"fir_key", "ps_key", "registered_on", "due_on", "days_overdue"}
    assert all(k.startswith("09-") for k in overdue[0]["fir_key"])
    con = db.get_connection(dash_env)
    try:
        (expect,) = con.execute(
            "SELECT LEAST(COUNT(*), 1000) FROM marts.mart_itsso_cases "
            "WHERE itsso_status = 'OVERDUE_OPEN' AND state_code = '09'"
        ).fetchone()
    finally:
        con.close()
    assert len(overdue[0]) == expect
    stat_itsso = rendered[(Role.NCRB_STATISTICIAN, "itsso")]
    assert not [d for d in stat_itsso.at.dataframe if "fir_key" in d.value.columns]
    assert "list of overdue investigations is open to" in stat_itsso.text
    assert "map of FIR locations is open to" in rendered[(Role.NCRB_STATISTICIAN, "patterns")].text
    assert "FIRs with a recorded place" in rendered[(Role.SENIOR_OFFICER, "patterns")].text
    actions = {(e["username"], e["action"]) for e in audit.entries(dash_env)}
    assert {
        ("scrb09", "view_itsso_overdue"),
        ("officer", "view_fir_locations"),
        ("admin", "view_fir_locations"),
    } <= actions
    assert ("statistician", "view_fir_locations") not in actions


def test_new_publication_is_read_without_restart(dash_env: Paths) -> None:
    at = open_app("admin", ui.PAGE_BY_ID["overview"].file)
    assert "Data as on 07.11.2026" in rendered_text(at)
    cand = publish.new_candidate(dash_env, copy_current=True)
    con = duckdb.connect(str(cand))
    con.execute("UPDATE marts.dim_build SET data_as_on = DATE '2026-11-08'")
    con.close()
    publish.publish(dash_env, cand, {"build_id": "fake-build-2", "mode": "incremental"})
    try:
        at.run()  # the same session, no restart
        assert "Data as on 08.11.2026" in rendered_text(at)
    finally:
        publish.rollback(dash_env)
    at.run()
    assert "Data as on 07.11.2026" in rendered_text(at)
