"""Shared fixtures: every test runs with its own temporary ``CCTNS_HOME``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sample_data.generate import generate
from sample_data.world import GenConfig

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
