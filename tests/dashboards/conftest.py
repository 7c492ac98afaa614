"""Fixtures of the dashboard tests: one published warehouse for the session, demo users, and
``CCTNS_HOME`` pointing at it for every test.

The warehouse is the real one built from the committed sample (``sample_warehouse``); set
``CCTNS_DASH_FAKE=1`` to run on the small fake contract warehouse instead (see
``warehouse_home``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import SAMPLE_DIR, Paths
from dashboards import auth, db, ui
from dashboards.roles import Role
from tests.dashboards.fake_warehouse import build_fake_warehouse
from tests.dashboards.helpers import USERS, Rendered, open_app, rendered_text


@pytest.fixture(scope="session")
def warehouse_home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable CCTNS_HOME holding a published warehouse.

    Default: a copy of the real ``sample_warehouse`` (the committed sample ingested, gated, built
    and published; tests/conftest.py). ``CCTNS_DASH_FAKE=1``: the small contract warehouse of
    ``fake_warehouse.py`` (seconds to build; for quick iterations). ``$CCTNS_DASH_TEST_HOME``:
    a copy of any home with a published warehouse. Copies keep ``current.duckdb``'s hard link
    (``cp -a``); the tests write users, the audit log and a republication into their copy only.
    """
    dest = tmp_path_factory.mktemp("dash_home") / "home"
    real = os.environ.get("CCTNS_DASH_TEST_HOME")
    if os.environ.get("CCTNS_DASH_FAKE") and not real:
        return build_fake_warehouse(dest, SAMPLE_DIR)
    if not real:
        real = str(request.getfixturevalue("sample_warehouse").home)
    subprocess.run(["cp", "-a", real, str(dest)], check=True)
    return dest


@pytest.fixture(scope="session")
def demo_passwords(warehouse_home: Path) -> dict[str, str]:
    return auth.ensure_demo_users(Paths(warehouse_home))


@pytest.fixture(autouse=True)
def dash_env(
    _cctns_home: Path, warehouse_home: Path, demo_passwords: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Paths]:
    """Every dashboard test reads the session's published warehouse."""
    monkeypatch.setenv("CCTNS_HOME", str(warehouse_home))
    monkeypatch.delenv("CCTNS_SUPPRESSION_THRESHOLD", raising=False)
    yield Paths(warehouse_home)
    db.reset()


@pytest.fixture(scope="session")
def rendered(warehouse_home: Path, demo_passwords: dict[str, str]) -> dict[tuple[Role, str], Rendered]:
    """Every page each role may open, rendered once with AppTest (default widget values)."""
    out: dict[tuple[Role, str], Rendered] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCTNS_HOME", str(warehouse_home))
        for role, username in USERS.items():
            for page in ui.pages_for(role):
                at = open_app(username, page.file)
                out[(role, page.page_id)] = Rendered(at=at, text=rendered_text(at))
    db.reset()
    return out


@pytest.fixture(scope="session", autouse=True)
def _no_component_scan() -> Iterator[None]:
    """Each AppTest scans every installed distribution for Streamlit v2 component manifests
    (about 2 s here, with Airflow's hundreds of packages); the app uses no custom component."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(manifest_scanner, "scan_component_manifests", lambda *a, **k: [])
        yield
