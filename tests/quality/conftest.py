"""Fixtures of the quality-gate tests: two States generated small, eight nights ingested once.

Uttar Pradesh (09, cas_csv, ~45 FIR documents a night at this scale) and Karnataka (29, jsonl,
~13). The ninth night is kept aside: each test ingests it, clean or rewritten, into its own copy
of the ingested home, then runs the gate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.settings import Paths
from ingestion.pipeline import ingest
from ingestion.upload import BY_NAME
from quality.gate import GateReport
from sample_data.generate import generate
from sample_data.world import GenConfig
from tests.quality import support

START = dt.date(2026, 3, 1)
DAYS = 9
LAST = (START + dt.timedelta(days=DAYS - 1)).strftime("%Y%m%d")


@pytest.fixture(scope="session")
def q_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quality_gen") / "inbox"
    generate(
        GenConfig(
            start=START,
            days=DAYS,
            scale=0.01,
            states=("09", "29"),
            seed=7,
            defect_rate=0.01,
            out=out,
            warmup_days=60,
        )
    )
    return out


def last_night(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.iterdir() if f"_{LAST}_" in p.name)


@pytest.fixture(scope="session")
def q_base(q_inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """Eight nights of both States ingested (not gated)."""
    home = Paths(tmp_path_factory.mktemp("quality_base") / "home").ensure()
    uploads = [p for p in sorted(q_inbox.iterdir()) if p.name[0].isdigit() and f"_{LAST}_" not in p.name]
    ingest(uploads, home, channel=BY_NAME)
    return home


@pytest.fixture
def home(q_base: Paths, tmp_path: Path) -> Paths:
    """A writable copy of the ingested eight nights."""
    return support.copy_home(q_base, tmp_path / "home")


@dataclass(frozen=True)
class Gated:
    home: Paths
    ids: dict[str, str]  # State -> the ninth night's load id
    report: GateReport  # of the one gate run over the nine nights


@pytest.fixture(scope="session")
def q_gated(q_base: Paths, q_inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Gated:
    """Nine clean nights ingested and gated once, Data Docs rendered (read-only: copy to change)."""
    from quality.gate import run_upload_gate

    home = support.copy_home(q_base, tmp_path_factory.mktemp("quality_gated") / "home")
    ids = ingest_last_night(home, q_inbox)
    return Gated(home, ids, run_upload_gate(home))


@pytest.fixture
def gated_home(q_gated: Gated, tmp_path: Path) -> Gated:
    """A writable copy of the nine gated nights."""
    return Gated(support.copy_home(q_gated.home, tmp_path / "gated"), q_gated.ids, q_gated.report)


def ingest_last_night(home: Paths, inbox: Path, replace: dict[str, Path] | None = None) -> dict[str, str]:
    """Ingest the ninth night (an upload per State, or its replacement); State -> load_id."""
    replace = replace or {}
    uploads = [replace.get(p.name[:2], p) for p in last_night(inbox) if p.is_dir()]
    summaries = ingest(uploads, home, channel=BY_NAME)
    return {s.ledger["state_code"]: s.ledger["load_id"] for s in summaries if s.ledger.get("load_id")}
