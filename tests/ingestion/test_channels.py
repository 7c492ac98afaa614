"""Uploads are bound to their sender (issue 12, item 7): each State delivers into its own channel
``inbox/<SS>/``; an upload naming another State, or arriving outside a channel, is refused with a
numbered rule and cannot block or change the real State's data."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cctns import orchestration as orch
from core.settings import SAMPLE_DIR, Paths
from ingestion.pipeline import ingest
from ingestion.upload import BY_NAME, discover, into_channels, stage

KA = SAMPLE_DIR / "29_20261101_01"  # Karnataka, jsonl
KA2 = SAMPLE_DIR / "29_20261102_01"
AN = SAMPLE_DIR / "35_20261101_01"  # Andaman & Nicobar, cas_csv


@pytest.fixture
def home(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "home").ensure()


def _fir(home: Paths, state: str) -> pl.DataFrame:
    files = sorted(home.lake.glob(f"state_code={state}/load_id=*/fir.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files]) if files else pl.DataFrame()


def _expunge_one(upload: Path, seq: int) -> Path:
    """Rewrite a copy of a Karnataka upload as the next sequence, expunging its first FIR."""
    lines = (upload / "firs.jsonl").read_text(encoding="utf-8").splitlines()
    doc = json.loads(lines[0])
    doc["recordVersion"] = int(doc.get("recordVersion", 1)) + 5
    doc["status"] = "EXPUNGED"
    body = (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
    (upload / "firs.jsonl").write_bytes(body)
    import hashlib

    m = json.loads((upload / "manifest.json").read_text(encoding="utf-8"))
    m["sequence"] = seq
    for f in m["files"]:
        if f["name"] == "firs.jsonl":
            f["rows"], f["sha256"] = 1, hashlib.sha256(body).hexdigest()
    (upload / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    return upload.rename(upload.with_name(f"{upload.name[:-2]}{seq:02d}"))


def test_a_forged_upload_on_another_states_channel_is_refused(home: Paths) -> None:
    """Tamil Nadu's account (channel 33) drops an upload named and manifested as Karnataka's that
    expunges a Karnataka FIR: refused under 025, reported to the sender, Karnataka untouched."""
    stage(KA, home.inbox)
    [real] = ingest([home.inbox], home)
    assert real.outcome == "LOADED"
    before = _fir(home, "29").height
    forged = _expunge_one(stage(KA, home.inbox / "_tmp") or Path(), 2)
    (home.inbox / "33").mkdir()
    forged = forged.rename(home.inbox / "33" / forged.name)
    shutil.rmtree(home.inbox / "_tmp")
    [s] = [s for s in ingest([home.inbox], home) if not s.skipped]
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "025", s.ledger
    assert "channel of State 33" in s.ledger["reject_message"]
    assert s.ledger["state_code"] == "33"  # the sender sees why, in its own outbox
    assert (home.outbox / "33" / f"{s.ledger['load_id']}_errors.csv").is_file()
    assert _fir(home, "29").height == before and not _fir(home, "29")["is_tombstone"].any()
    assert not list(home.lake.glob("state_code=29/*/_load.json"))[1:]  # only the real load


def test_a_forged_copy_does_not_block_the_real_upload(home: Paths) -> None:
    """The same name (even the same bytes) first arriving on the wrong channel neither takes the
    sequence (022) nor marks the real upload as already done or a duplicate (020)."""
    (home.inbox / "33").mkdir(parents=True)
    shutil.copytree(KA, home.inbox / "33" / KA.name)
    [forged] = ingest([home.inbox], home)
    assert forged.outcome == "REJECTED" and forged.ledger["reject_codes"] == "025"
    stage(KA, home.inbox)
    [real] = [s for s in ingest([home.inbox], home) if not s.skipped]
    assert real.outcome == "LOADED", real.ledger
    assert real.ledger["load_id"] != forged.ledger["load_id"]
    assert all(s.skipped for s in ingest([home.inbox], home))  # and nothing runs twice
    # the Airflow path agrees: nothing pending
    assert orch.find_new_uploads(home) == []


def test_a_manifest_naming_another_state_than_the_channel_is_refused(home: Paths) -> None:
    up = stage(AN, home.inbox)
    assert up is not None
    m = json.loads((up / "manifest.json").read_text(encoding="utf-8"))
    m["state_code"] = "29"
    (up / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and "025" in s.ledger["reject_codes"].split(","), s.ledger
    assert "manifest state_code names State 29" in s.ledger["reject_message"]


def test_uploads_outside_a_channel_are_refused(home: Paths) -> None:
    shutil.copytree(AN, home.inbox / AN.name)  # the inbox root: no channel
    (home.inbox / "misc").mkdir()
    shutil.copytree(KA, home.inbox / "misc" / KA.name)  # a folder that is no State
    got = {s.ledger["source_name"]: s for s in ingest([home.inbox], home)}
    assert got[AN.name].outcome == "REJECTED" and got[AN.name].ledger["reject_codes"] == "026"
    assert got["misc"].outcome == "REJECTED" and "026" in got["misc"].ledger["reject_codes"]
    assert not list(home.lake.glob("state_code=*/*/fir.parquet")) or all(
        pl.read_parquet(f).is_empty() for f in home.lake.glob("state_code=*/*/fir.parquet")
    )
    # an operator's explicit --channel does not lift this for the inbox root itself
    [again] = ingest([home.inbox / AN.name], home, channel="35")
    assert again.skipped or again.outcome == "REJECTED"


def test_a_channel_writable_by_others_binds_nothing(home: Paths, tmp_path: Path) -> None:
    up = stage(AN, home.inbox)
    assert up is not None
    os.chmod(home.inbox / "35", 0o777)
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "028", s.ledger
    assert "inbox/35 is writable by every user (mode 777)" in s.ledger["reject_message"]
    home2 = Paths(tmp_path / "home2").ensure()
    up2 = stage(AN, home2.inbox)
    assert up2 is not None
    os.chmod(home2.inbox / "35", 0o1777)  # sticky (like /tmp): anyone could still create an upload
    [s2] = ingest([home2.inbox], home2)
    assert s2.outcome == "REJECTED" and s2.ledger["reject_codes"] == "028", s2.ledger
    os.chmod(home2.inbox / "35", 0o2750)
    os.chmod(up2, 0o777)  # the upload itself must not be writable by others either
    home2b = Paths(tmp_path / "home2b").ensure()
    [s2b] = ingest([home2.inbox], home2b)
    assert s2b.outcome == "REJECTED" and s2b.ledger["reject_codes"] == "028", s2b.ledger
    os.chmod(up2, 0o755)
    home3 = Paths(tmp_path / "home3").ensure()
    [s3] = ingest([up2], home3)
    assert s3.outcome == "LOADED", s3.ledger


def test_explicit_paths_take_the_operators_channel_or_their_folder(home: Paths, tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    shutil.copytree(AN, loose / AN.name)
    [s] = ingest([loose / AN.name], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "026"
    home2 = Paths(tmp_path / "home2").ensure()
    [s] = ingest([loose / AN.name], home2, channel="35")
    assert s.outcome == "LOADED"
    home3 = Paths(tmp_path / "home3").ensure()
    [s] = ingest([loose / AN.name], home3, channel="29")
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "025"
    chan = tmp_path / "export" / "35"
    shutil.copytree(AN, chan / AN.name)
    home4 = Paths(tmp_path / "home4").ensure()
    [s] = ingest([chan / AN.name], home4)  # the parent folder is a State channel
    assert s.outcome == "LOADED"
    home5 = Paths(tmp_path / "home5").ensure()
    assert [s.outcome for s in ingest([loose], home5, channel=BY_NAME)] == ["LOADED"]


def test_the_cli_takes_a_channel(home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cctns.cli import app

    monkeypatch.setenv("CCTNS_HOME", str(home.home))
    loose = tmp_path / "loose"
    shutil.copytree(AN, loose / AN.name)
    runner = CliRunner(env={"COLUMNS": "300"})
    res = runner.invoke(app, ["ingest", str(loose / AN.name), "--channel", "35"])
    assert res.exit_code == 0 and "LOADED" in res.output, res.output
    res = runner.invoke(app, ["ingest", str(loose / AN.name), "--channel", "99"])
    assert res.exit_code != 0 and "unknown State" in res.output


def test_discovery_walks_channels_and_staging_fills_them(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for src in (KA, KA2, AN):
        assert stage(src, inbox) == inbox / src.name[:2] / src.name
    assert stage(KA, inbox) is None  # already delivered
    found = discover([inbox], inbox=inbox)
    assert [(s.path.parent.name, s.upload_id, s.channel) for s in found] == [
        ("29", KA.name, "29"),
        ("35", AN.name, "35"),
        ("29", KA2.name, "29"),
    ]
    flat = tmp_path / "generated"
    shutil.copytree(KA, flat / KA.name)
    (flat / "_truth").mkdir()
    assert into_channels(flat) == 1
    assert (flat / "29" / KA.name / "manifest.json").is_file() and (flat / "_truth").is_dir()


def test_the_airflow_discovery_carries_the_channel(home: Paths) -> None:
    stage(AN, home.inbox)
    (home.inbox / "33").mkdir()
    shutil.copytree(KA, home.inbox / "33" / KA.name)
    items = {i["upload_id"]: i for i in orch.find_new_uploads(home)}
    assert items[AN.name]["channel"] == "35" and items[KA.name]["channel"] == "33"
    assert orch.ingest_upload(items[KA.name], home)["reject_codes"] == "025"
    assert orch.ingest_upload(items[AN.name], home)["outcome"] == "LOADED"
    assert orch.find_new_uploads(home) == []


def test_cctns_generate_delivers_into_channels(tmp_path: Path) -> None:
    from cctns.cli import app

    args = ["generate", "--start", "2026-11-01", "--days", "1", "--scale", "0.001", "--states", "35",
            "--seed", "3", "--defect-rate", "0", "--warmup-days", "0"]  # fmt: skip
    runner = CliRunner(env={"COLUMNS": "300"})
    res = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "35" / "35_20261101_01" / "manifest.json").is_file()
    assert not list((tmp_path / "out").glob("35_*")) and (tmp_path / "out" / "_truth").is_dir()
    home = Paths(tmp_path / "home").ensure()
    assert [s.outcome for s in ingest([tmp_path / "out"], home)] == ["LOADED"]
    res = runner.invoke(app, [*args, "--out", str(tmp_path / "flat"), "--flat"])
    assert res.exit_code == 0 and (tmp_path / "flat" / "35_20261101_01" / "manifest.json").is_file()


def test_a_channel_the_service_cannot_list_stops_no_other(
    home: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``chmod 000 inbox/29`` (simulated: tests run as root): 030 reported, State 35 still loads,
    for the command line and for Airflow discovery alike."""
    stage(KA, home.inbox)
    stage(AN, home.inbox)
    real = os.scandir

    def scandir(path="."):
        if isinstance(path, str | os.PathLike) and Path(path) == home.inbox / "29":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert [i["upload_id"] for i in orch.find_new_uploads(home)] == [AN.name]
    [s] = ingest([home.inbox], home)
    assert s.ledger["upload_id"] == AN.name and s.outcome == "LOADED", s.ledger


def test_a_socket_in_an_upload_folder_is_refused_under_023(home: Paths) -> None:
    import socket

    up = stage(AN, home.inbox)
    assert up is not None
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(up / "s.csv"))
    try:
        [s] = ingest([home.inbox], home)
    finally:
        sock.close()
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "023", s.ledger
    assert "socket" in s.ledger["reject_message"]
