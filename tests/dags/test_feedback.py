"""Delivery of the errors and warnings files ingestion writes (``cctns_feedback``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from core.settings import SAMPLE_DIR, Paths
from ingestion.pipeline import ingest
from warehouse.feedback import (
    ENV_FEEDBACK_TARGET,
    FeedbackError,
    deliver_feedback,
    deliveries,
    pending_feedback,
    summarise,
)

#: Telangana's week: one upload with errors and warnings, others with neither.
STATE = "36"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.delenv(ENV_FEEDBACK_TARGET, raising=False)
    home = Paths(tmp_path / "home").ensure()
    ingest(sorted(SAMPLE_DIR.glob(f"{STATE}_*")), home, channel=STATE)
    return home


def _records(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def test_every_file_is_delivered_once_and_recorded(home: Paths) -> None:
    files = sorted((home.outbox / STATE).glob("*.csv"))
    assert len(files) == 2 * len(list(SAMPLE_DIR.glob(f"{STATE}_*")))
    delivered = deliver_feedback(home)
    assert sorted(d.file for d in delivered) == sorted(f.name for f in files)
    for d in delivered:
        src = home.outbox / STATE / d.file
        dest = Path(d.destination)
        assert dest == home.outbox / STATE / "delivered" / d.file
        assert dest.read_bytes() == src.read_bytes()
        assert d.rows == _records(src) and d.bytes == src.stat().st_size
        assert d.kind in ("errors", "warnings") and d.file.startswith(d.load_id)
    assert any(d.kind == "errors" and d.rows > 0 for d in delivered)
    assert any(d.kind == "warnings" and d.rows > 0 for d in delivered)
    ledger = [json.loads(line) for line in (home.outbox / "deliveries.jsonl").read_text().splitlines()]
    assert len(ledger) == len(files)
    assert summarise(delivered)["files"] == len(files)

    assert pending_feedback(home) == []
    assert deliver_feedback(home) == []  # idempotent
    assert len(deliveries(home)) == len(files)


def test_a_rewritten_file_is_delivered_again(home: Paths) -> None:
    deliver_feedback(home)
    src = sorted((home.outbox / STATE).glob("*_errors.csv"))[0]
    src.write_text(src.read_text(encoding="utf-8") + "", encoding="utf-8")
    assert deliver_feedback(home) == []  # same content: nothing to do
    src.write_bytes(src.read_bytes() + b"\n")
    again = deliver_feedback(home)
    assert [d.file for d in again] == [src.name]
    assert (home.outbox / STATE / "delivered" / src.name).read_bytes() == src.read_bytes()


def test_configured_target_and_torn_ledger(
    home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sftp"
    monkeypatch.setenv(ENV_FEEDBACK_TARGET, str(target))
    ledger = home.outbox / "deliveries.jsonl"
    ledger.write_text('{"state_code": "36", "file": "half', encoding="utf-8")  # a crash mid-line
    (home.outbox / STATE / ".x_errors.csv.tmp-1").write_text("partial", encoding="utf-8")
    delivered = deliver_feedback(home)
    assert delivered and all(Path(d.destination).parent == target / STATE for d in delivered)
    assert not (target / STATE / ".x_errors.csv.tmp-1").exists()
    assert len(deliveries(home)) == len(delivered)  # the torn line is skipped, the new ones are whole


def test_a_target_that_is_a_file_is_refused(home: Paths, tmp_path: Path) -> None:
    bad = tmp_path / "not_a_folder"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(FeedbackError, match="not a folder"):
        deliver_feedback(home, target=bad)
