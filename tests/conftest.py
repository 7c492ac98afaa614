"""Shared fixtures: every test runs with its own temporary ``CCTNS_HOME``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.settings import SAMPLE_DIR, Paths
from sample_data.generate import generate
from sample_data.world import GenConfig

#: Session fixtures that generate, ingest, build, start Airflow or a browser: a test that uses one
#: is an integration test (``make test`` runs it, ``make test-fast`` does not).
HEAVY_FIXTURES = frozenset(
    {
        "generated",
        "sample_lake",
        "sample_warehouse",
        "q_inbox",
        "q_base",
        "q_gated",
        "dbt_manifest",
        "airflow_session",
        "airflow_pipeline",
        "warehouse_home",
        "rendered",
        "chromium",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark integration tests: those using a heavy session fixture, and those marked ``slow``."""
    for item in items:
        if HEAVY_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.integration)


#: One State of each format (UP cas_csv, Karnataka jsonl, Goa xml) and a small UT.
MIXED_STATES = ("09", "29", "30", "35")


@pytest.fixture(autouse=True)
def _cctns_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cctns_home"
    monkeypatch.setenv("CCTNS_HOME", str(home))
    return home


def make_config(out: Path, **overrides: object) -> GenConfig:
    params: dict[str, object] = {
        "start": dt.date(2024, 6, 26),  # spans the IPC -> BNS switch on 1 July 2024
        "days": 10,
        "scale": 0.06,
        "states": MIXED_STATES,
        "seed": 11,
        "defect_rate": 0.02,
        "out": out,
        "warmup_days": 1095,
    }
    params.update(overrides)
    return GenConfig(**params)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small multi-format extract with defects, generated once per test session."""
    out = tmp_path_factory.mktemp("gen") / "inbox"
    generate(make_config(out))
    return out


@pytest.fixture(scope="session")
def sample_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, list]:
    """The committed sample (all 36 States, a week, with defects) ingested once per session.

    Read-only for tests: copy it (:func:`copy_home`) before changing anything.
    """
    home = Paths(tmp_path_factory.mktemp("sample_lake") / "home").ensure()
    summaries = ingest_by_name([SAMPLE_DIR], home)
    return home, summaries


def ingest_by_name(paths: list[Path], home: Paths) -> list:
    """Ingest uploads an operator assembled outside the inbox (the committed sample, generated or
    rewritten uploads), each as coming from the State its name says (``--channel by-name``)."""
    from ingestion.pipeline import ingest
    from ingestion.upload import BY_NAME

    return ingest(paths, home, channel=BY_NAME)


def stage_channels(uploads: list[Path], inbox: Path) -> Path:
    """Deliver ``uploads`` into their State channels ``inbox/<SS>/`` (copies), as each SCRB does."""
    from ingestion.upload import stage

    for src in uploads:
        stage(src, inbox)
    return inbox


def copy_home(
    src: Paths, dest: Path, parts: tuple[str, ...] = ("lake", "quarantine", "outbox", "quality")
) -> Paths:
    """A writable copy of a test home (hard links are not used: tests may rewrite files)."""
    import shutil

    home = Paths(dest).ensure()
    for part in parts:
        if (src.home / part).exists():
            shutil.copytree(src.home / part, home.home / part, dirs_exist_ok=True)
    return home


@pytest.fixture(scope="session")
def sample_warehouse(sample_lake: tuple[Paths, list], tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The sample ingested, gated by the quality suites and built + published (full build) once.

    Read-only for tests: the published file is ``home.warehouse / "current.duckdb"``.
    """
    from quality.gate import run_upload_gate
    from warehouse.build import build

    home = copy_home(sample_lake[0], tmp_path_factory.mktemp("sample_warehouse") / "home")
    run_upload_gate(home)
    build(home, "full")
    return home
