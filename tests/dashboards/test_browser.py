"""A real browser (Debian's chromium, driven by Playwright) against the running app: log in,
build a parliamentary answer, download the XLSX and check it, open every page without an error.
Screenshots go to tests/artifacts/ (git-ignored)."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.settings import REPO_ROOT, Paths
from dashboards import db, serve, ui
from dashboards.roles import Role

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed by the set-up (`make browser`, run by `make test` and CI).

    Under CI a missing browser is a failure, not a skip: the browser tests must never pass by
    not running. On a developer machine without it the tests skip with the command to run.
    """
    if not CHROMIUM.exists():
        message = "chromium is missing: run `make browser` (apt-get install chromium, as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def app_url(dash_env: Paths, tmp_path: Path) -> Iterator[str]:
    port = serve.free_port()
    proc = serve.start(dash_env, port, log=tmp_path / "streamlit.log")
    try:
        serve.wait_ready(port, timeout=90, proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_browser_session(
    chromium: Path, app_url: str, demo_passwords: dict[str, str], tmp_path: Path, dash_env: Paths
) -> None:
    con = db.get_connection(dash_env)
    try:
        (n_states,) = con.execute("SELECT COUNT(*) FROM marts.dim_state").fetchone()
    finally:
        con.close()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2200}, accept_downloads=True)
            page.set_default_timeout(30_000)
            page.goto(app_url)
            page.get_by_label("Username").fill("admin")
            page.get_by_label("Password", exact=True).fill(demo_passwords["admin"])
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="National overview")).to_be_visible()
            idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
            idle.wait_for()
            page.screenshot(path=str(ARTIFACTS / "01_overview.png"), full_page=True)

            # Build a parliamentary answer and download the XLSX.
            nav = page.get_by_test_id("stSidebarNav")
            nav.get_by_text("Parliament questions").click()
            expect(page.get_by_role("heading", name="Parliament question builder")).to_be_visible()
            expect(page.get_by_text("Source: NCRB, CCTNS warehouse")).to_be_visible()
            idle.wait_for()
            page.screenshot(path=str(ARTIFACTS / "02_parliament.png"), full_page=True)
            with page.expect_download() as dl:
                page.get_by_role("button", name="Download XLSX").click()
            target = tmp_path / dl.value.suggested_filename
            dl.value.save_as(target)
            assert target.suffix == ".xlsx"
            ws = load_workbook(io.BytesIO(target.read_bytes())).active
            assert ws["A1"].value == "ANNEXURE"
            assert [c.value for c in ws[5]][:2] == ["S.No.", "State/UT"]
            rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6)]
            total_i = next(i for i, r in enumerate(rows) if r[1] == "Total (All India)")
            body = rows[:total_i]
            assert len(body) == n_states
            for j in range(2, len(rows[total_i])):
                assert rows[total_i][j] == sum(r[j] for r in body)
            footer = [r[0] for r in rows[total_i + 1 :] if r[0]]
            assert "Source: NCRB, CCTNS warehouse" in footer
            assert any(str(v).startswith("Data as on ") for v in footer)

            # Every page of the administrator's navigation, without an error.
            for i, p in enumerate(ui.pages_for(Role.NCRB_ADMIN), start=3):
                nav.get_by_text(p.title, exact=True).click()
                heading = "National overview" if p.page_id == "overview" else None
                title = heading or {
                    "parliament": "Parliament question builder",
                }.get(p.page_id, p.title)
                expect(page.get_by_role("heading", name=title)).to_be_visible()
                idle.wait_for()
                assert page.get_by_test_id("stException").count() == 0, p.page_id
                assert page.get_by_test_id("stAlertContentError").count() == 0, p.page_id
                page.screenshot(path=str(ARTIFACTS / f"{i:02d}_{p.page_id}.png"), full_page=True)
        finally:
            browser.close()
