"""The task bodies of ``cctns_ingest``: finding new uploads, and one upload per task in any order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cctns import orchestration as orch
from core.settings import SAMPLE_DIR, Paths
from ingestion.pipeline import ingest
from ingestion.upload import stage
from warehouse.build import committed_loads

#: Gujarat's uploads (one arrives twice: as a folder and, the same content, as a zip) and A&N's.
UPLOADS = sorted(p for p in SAMPLE_DIR.iterdir() if p.name.startswith(("24_", "35_")))


def _stage(home: Paths, uploads: list[Path] = UPLOADS) -> Paths:
    """Deliver the uploads into their State channels ``inbox/<SS>/``, as each SCRB does."""
    home.ensure()
    for src in uploads:
        stage(src, home.inbox)
    return home


def _ledger(home: Paths) -> set[tuple]:
    return {
        (ld["load_id"], ld["outcome"], ld["duplicate_of"], ld["rows_loaded"], ld["rows_quarantined"])
        for ld in committed_loads(home)
    }


def test_state_codes_and_asset_uris() -> None:
    codes = orch.state_codes()
    assert len(codes) == 36 and codes[0] == "01" and "09" in codes
    assert orch.state_asset_uri("09") == "cctns://lake/state/09"
    with pytest.raises(ValueError, match="two digits"):
        orch.state_asset_uri("9")


def test_find_new_uploads_lists_each_upload_with_its_pending_predecessors(tmp_path: Path) -> None:
    home = _stage(Paths(tmp_path / "home"))
    items = orch.find_new_uploads(home)
    assert [i["upload_id"] for i in items] == sorted(
        (p.name.removesuffix(".zip") for p in UPLOADS), key=lambda n: (n[3:11], n[:2], n)
    )
    assert len(items) == len(UPLOADS)  # the zip is an upload of its own
    for i, item in enumerate(items):
        same_state_before = [x["upload"] for x in items[:i] if x["state_code"] == item["state_code"]]
        assert item["after"] == same_state_before
        assert item["state_code"] == item["upload_id"][:2]
    assert (home.home / "ops" / "inbox_hashes.json").is_file()
    assert orch.find_new_uploads(home, limit=3) == items[:3]  # the first ones; the next run takes the rest


@pytest.mark.integration
def test_mapped_tasks_in_any_order_give_the_lake_the_command_line_gives(tmp_path: Path) -> None:
    """Run the per-upload tasks last first (the worst order): each applies its State's pending
    predecessors first, so the lake equals one ``cctns ingest`` of the inbox."""
    home = _stage(Paths(tmp_path / "airflow"))
    items = orch.find_new_uploads(home)
    results = [orch.ingest_upload(item, home) for item in reversed(items)]

    last_24 = results[[r["upload_id"][:2] for r in results].index("24")]
    assert last_24["outcome"].startswith("LOADED")
    assert len(last_24["predecessors"]) == sum(1 for i in items if i["state_code"] == "24") - 1
    assert sum(r["outcome"] == "SKIPPED" for r in results) == len(items) - 2  # applied by a successor
    assert {s for r in results for s in orch.changed_states(r)} == {"24", "35"}
    assert orch.find_new_uploads(home) == []

    cli = _stage(Paths(tmp_path / "cli"))
    ingest([cli.inbox], cli)
    assert _ledger(home) == _ledger(cli)
    assert {ld["outcome"] for ld in committed_loads(home)} >= {"LOADED", "DUPLICATE"}


def test_an_upload_changed_under_the_same_name_is_new_again(tmp_path: Path) -> None:
    home = _stage(Paths(tmp_path / "home"), [u for u in UPLOADS if u.name.startswith("35_")])
    for item in orch.find_new_uploads(home):
        orch.ingest_upload(item, home)
    assert orch.find_new_uploads(home) == []
    target = home.inbox / "35" / "35_20261103_01" / "manifest.json"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # other content
    items = orch.find_new_uploads(home)
    assert [i["upload_id"] for i in items] == ["35_20261103_01"]
    result = orch.ingest_upload(items[0], home)
    assert result["outcome"] == "REJECTED" and "022" in result["reject_codes"]  # same name, other content
    assert orch.changed_states(result) == ["35"]


def test_ingest_upload_refuses_an_upload_that_left_the_inbox(tmp_path: Path) -> None:
    home = _stage(Paths(tmp_path / "home"), [u for u in UPLOADS if u.name.startswith("35_")][:1])
    item = orch.find_new_uploads(home)[0]
    shutil.rmtree(item["upload"])
    with pytest.raises(FileNotFoundError, match="no longer in the inbox"):
        orch.ingest_upload(item, home)


def test_retries_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(orch.ENV_RETRIES, raising=False)
    assert orch.default_args()["retries"] == 2
    monkeypatch.setenv(orch.ENV_RETRIES, "0")
    assert orch.default_args()["retries"] == 0
    monkeypatch.setenv(orch.ENV_RETRIES, "many")
    with pytest.raises(ValueError, match=orch.ENV_RETRIES):
        orch.default_args()
