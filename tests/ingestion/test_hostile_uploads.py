"""Hostile and broken uploads (issue 12, items 3, 4, 5 and 10): every one is loaded or rejected
with a numbered rule, never a crash, never a blocked inbox; links are never followed nor landed.

The fixtures are small and made here from two tiny committed sample uploads: Andaman & Nicobar's
(35, cas_csv, one FIR) and Goa's (30, xml, one FIR), delivered into their channels ``inbox/<SS>/``.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import zipfile
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from core.settings import SAMPLE_DIR, Paths
from ingestion import pipeline
from ingestion.pipeline import LoadSummary, ingest
from ingestion.store import Store
from ingestion.upload import stage

SMALL = SAMPLE_DIR / "35_20261101_01"  # cas_csv, 1 FIR
OTHER = SAMPLE_DIR / "30_20261101_01"  # xml, 1 FIR, another State
SECRET = "root:x:0:0:secret-line-outside-the-upload"


@pytest.fixture
def home(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "home").ensure()


def _deliver(home: Paths, src: Path = SMALL) -> Path:
    dest = stage(src, home.inbox)
    assert dest is not None
    return dest


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(folder: Path, m: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def _by_id(summaries: list[LoadSummary]) -> dict[str, LoadSummary]:
    return {s.ledger["source_name"]: s for s in summaries if not s.skipped}


def _errors(home: Paths, s: LoadSummary) -> pl.DataFrame:
    path = home.outbox / s.ledger["state_code"] / f"{s.ledger['load_id']}_errors.csv"
    return pl.read_csv(path, infer_schema=False)


def _landed_bytes(home: Paths) -> bytes:
    return b"".join(p.read_bytes() for p in home.landing.rglob("*") if p.is_file() and not p.is_symlink())


# --- damaged zips (item 3) -----------------------------------------------------------------------


def _zip(folder: Path, dest: Path, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(dest, "w", compression=method) as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, f"{folder.name}/{p.name}")
    return dest


def _patch_all(data: bytearray, signature: bytes, offset: int, fmt: str, value: int) -> None:
    """Set a field at ``offset`` of every header starting with ``signature``."""
    i = data.find(signature)
    while i >= 0:
        struct.pack_into(fmt, data, i + offset, value)
        i = data.find(signature, i + 4)


def _damage(case: str, zpath: Path) -> None:
    data = bytearray(zpath.read_bytes())
    with zipfile.ZipFile(zpath) as zf:
        info = zf.getinfo(f"{SMALL.name}/fir.csv")
    # where fir.csv's data starts: after its local header (30 bytes + name + extra)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    if case == "bad_crc":  # a lying CRC in both headers: the data reads, the check fails
        for sig, off in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
            i = data.find(sig)
            while i >= 0:
                if data[i + (30 if sig == b"PK\x03\x04" else 46) :].startswith(info.filename.encode()):
                    struct.pack_into("<I", data, i + off, info.CRC ^ 0xFFFFFFFF)
                i = data.find(sig, i + 4)
    elif case == "zlib":  # the deflate stream itself is garbage
        for k in range(start, start + min(info.compress_size, 40)):
            data[k] = 0xFF
    elif case == "lying_size":  # the central directory says fir.csv is 10 bytes long
        i = data.find(b"PK\x01\x02")
        while i >= 0:
            if data[i + 46 :].startswith(info.filename.encode()):
                struct.pack_into("<I", data, i + 24, 10)
            i = data.find(b"PK\x01\x02", i + 4)
    elif case == "encrypted":  # the encryption flag set on every member
        _patch_all(data, b"PK\x03\x04", 6, "<H", 0x1)
        _patch_all(data, b"PK\x01\x02", 8, "<H", 0x1)
    elif case == "method":  # compression method 99, which nothing here can read
        _patch_all(data, b"PK\x03\x04", 8, "<H", 99)
        _patch_all(data, b"PK\x01\x02", 10, "<H", 99)
    elif case == "truncated":
        data = data[: len(data) * 2 // 3]
    zpath.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("case", "codes"),
    [
        ("bad_crc", {"018"}),
        ("zlib", {"018"}),
        ("lying_size", {"017", "018"}),
        ("encrypted", {"018"}),
        ("method", {"018"}),
        ("truncated", {"018"}),
    ],
)
def test_a_damaged_zip_is_rejected_and_the_other_uploads_load(
    home: Paths, tmp_path: Path, case: str, codes: set[str]
) -> None:
    channel = home.inbox / "35"
    channel.mkdir(parents=True)
    zpath = _zip(SMALL, channel / f"{SMALL.name}.zip", zipfile.ZIP_DEFLATED)
    _damage(case, zpath)
    _deliver(home, OTHER)
    got = _by_id(ingest([home.inbox], home))
    bad, good = got[zpath.name], got[OTHER.name]
    assert bad.outcome == "REJECTED" and set(bad.ledger["reject_codes"].split(",")) & codes, bad.ledger
    assert good.outcome == "LOADED", good.ledger
    if case not in ("truncated",):
        assert "fir.csv" in bad.ledger["reject_message"] or "member" in bad.ledger["reject_message"]
    assert _errors(home, bad)["rule_code"][0] in codes
    # a rerun does not crash on the same file, nor process anything again
    assert all(s.skipped for s in ingest([home.inbox], home))


def test_zip_members_that_are_not_regular_files_are_refused(home: Paths) -> None:
    channel = home.inbox / "35"
    channel.mkdir(parents=True)
    zpath = channel / f"{SMALL.name}.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for p in sorted(SMALL.iterdir()):
            zf.write(p, f"{SMALL.name}/{p.name}")
        fifo = zipfile.ZipInfo(f"{SMALL.name}/pipe.csv")
        fifo.external_attr = (0o010644 & 0xFFFF) << 16  # S_IFIFO
        zf.writestr(fifo, b"")
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "023", s.ledger


# --- deep, huge or mistyped manifests (items 4 and 10) ----------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        (lambda m: "[" * 100_000 + "]" * 100_000, "002", "nested too deeply"),
        (lambda m: '{"a": ' * 50_000 + "1" + "}" * 50_000, "002", "nested too deeply"),
        (lambda m: " " * (2 * 1024**2) + json.dumps(m), "002", "larger than"),
        (lambda m: "[1, 2]", "002", "must be a JSON object, got array"),
        (lambda m: {**m, "spec_version": True}, "002", "spec_version must be an integer, got boolean true"),
        (lambda m: {**m, "spec_version": "1"}, "002", "spec_version must be an integer, got string '1'"),
        (lambda m: {**m, "spec_version": 2}, "003", "spec_version 2 is not supported"),
        (lambda m: {**m, "sequence": "1"}, "002", "sequence must be an integer, got string '1'"),
        (lambda m: {**m, "state_code": 35}, "002", "state_code must be a string, got integer 35"),
        (lambda m: {**m, "files": {"fir.csv": 1}}, "002", "files must be an array, got object"),
        (
            lambda m: {**m, "files": [{**f, "rows": str(f["rows"])} for f in m["files"]]},
            "002",
            "files[0].rows must be an integer, got string '1'",
        ),
        (
            lambda m: {**m, "files": [{**f, "rows": True} for f in m["files"]]},
            "002",
            "files[0].rows must be an integer, got boolean",
        ),
        (
            lambda m: {**m, "files": [{**f, "sha256": "xyz"} for f in m["files"]]},
            "002",
            "files[0].sha256 must be 64 hexadecimal digits",
        ),
        (
            lambda m: {**m, "files": [*m["files"], {"name": "notes.csv", "rows": 0, "sha256": "0" * 64}]},
            "027",
            "notes.csv is listed in the manifest but is not a file of format cas_csv",
        ),
    ],
)
def test_a_bad_manifest_is_rejected_saying_what_was_wrong(
    home: Paths, change: object, code: str, says: str
) -> None:
    up = _deliver(home)
    new = change(_manifest(up))  # type: ignore[operator]
    (up / "manifest.json").write_text(new if isinstance(new, str) else json.dumps(new), encoding="utf-8")
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and code in s.ledger["reject_codes"].split(","), s.ledger
    assert says in s.ledger["reject_message"], s.ledger["reject_message"]


def test_a_listed_file_outside_the_format_is_not_ignored(home: Paths) -> None:
    up = _deliver(home)
    (up / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    m = _manifest(up)
    import hashlib

    digest = hashlib.sha256((up / "notes.csv").read_bytes()).hexdigest()
    m["files"].append({"name": "notes.csv", "rows": 1, "sha256": digest})
    _write_manifest(up, m)
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "027", s.ledger


def test_upper_case_sha256_is_valid_hex(home: Paths) -> None:
    up = _deliver(home)
    m = _manifest(up)
    m["files"] = [{**f, "sha256": f["sha256"].upper()} for f in m["files"]]
    _write_manifest(up, m)
    [s] = ingest([home.inbox], home)
    assert s.outcome == "LOADED", s.ledger


# --- links and other non-files (item 5) -------------------------------------------------------------


def test_an_unlisted_link_is_neither_followed_nor_landed(home: Paths, tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(SECRET, encoding="utf-8")
    up = _deliver(home)
    os.symlink(secret, up / "passwd")
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "023", s.ledger
    assert "symbolic link" in s.ledger["reject_message"]
    assert SECRET.encode() not in _landed_bytes(home)


def test_a_listed_file_that_links_outside_is_not_loaded(home: Paths, tmp_path: Path) -> None:
    up = _deliver(home)
    outside = tmp_path / "fir.csv"
    shutil.move(up / "fir.csv", outside)  # the very bytes the manifest lists, but outside the upload
    os.symlink(outside, up / "fir.csv")
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "023", s.ledger
    assert (
        not list(home.lake.glob("state_code=35/*/fir.parquet"))
        or pl.read_parquet(list(home.lake.glob("state_code=35/*/fir.parquet"))).is_empty()
    )


def test_an_upload_that_is_itself_a_link_is_refused(home: Paths, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / SMALL.name
    shutil.copytree(SMALL, real)
    (home.inbox / "35").mkdir(parents=True)
    os.symlink(real, home.inbox / "35" / SMALL.name)
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "023", s.ledger
    assert not list(home.landing.rglob("fir.csv"))


def test_fifos_and_sub_folders_in_an_upload_are_refused(home: Paths) -> None:
    up = _deliver(home)
    os.mkfifo(up / "pipe.csv")  # reading it would block the ingest forever
    [s] = ingest([home.inbox], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "023", s.ledger
    assert "FIFO" in s.ledger["reject_message"]
    os.unlink(up / "pipe.csv")
    (up / "sub").mkdir()
    (up / "sub" / "x.csv").write_text("x\n", encoding="utf-8")
    up2 = up.rename(up.with_name("35_20261101_02"))
    m = _manifest(up2)
    m["sequence"] = 2
    _write_manifest(up2, m)
    [s2] = [s for s in ingest([home.inbox], home) if not s.skipped]
    assert s2.outcome == "REJECTED" and s2.ledger["reject_codes"] == "023", s2.ledger


# --- per-upload isolation (item 3) ----------------------------------------------------------------


def test_an_unexpected_failure_rejects_that_upload_only_under_rule_024(
    home: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug hit by one upload (simulated: the checks blow up on State 35's records) is recorded
    as REJECTED 024, its content never echoed; the other State loads; a rerun does not retry it."""
    import ingestion.checks as checks

    real = checks.check_and_standardise

    def failing(tables, ctx):
        if ctx.state_code == "35":
            raise ValueError("boom: Ramesh Kumar, S/o Suresh, 12 Gandhi Road")  # would-be record content
        return real(tables, ctx)

    monkeypatch.setattr(checks, "check_and_standardise", failing)
    _deliver(home)
    _deliver(home, OTHER)
    got = _by_id(ingest([home.inbox], home))
    bad, good = got[SMALL.name], got[OTHER.name]
    assert bad.outcome == "REJECTED" and bad.ledger["reject_codes"] == "024", bad.ledger
    assert "ValueError" in bad.ledger["reject_message"] and "Ramesh" not in bad.ledger["reject_message"]
    assert "Ramesh" not in _errors(home, bad).write_csv()
    assert good.outcome == "LOADED", good.ledger
    assert not list(home.lake.glob("_staging/*")) and not list(home.quarantine.glob("_staging/*"))
    assert all(s.skipped for s in ingest([home.inbox], home))


def test_the_cli_exit_code_tells_an_upload_failed(home: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    import ingestion.checks as checks
    from cctns.cli import EXIT_UPLOAD_FAILED, app

    def failing(tables, ctx):
        raise KeyError("x")

    monkeypatch.setattr(checks, "check_and_standardise", failing)
    monkeypatch.setenv("CCTNS_HOME", str(home.home))
    _deliver(home)
    res = CliRunner().invoke(app, ["ingest", "--quiet"])
    assert res.exit_code == EXIT_UPLOAD_FAILED, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


# --- a second concurrent ingest (item 10) -----------------------------------------------------------


def test_a_second_concurrent_ingest_says_so_with_its_own_exit_code(
    home: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cctns.cli import EXIT_BUSY, app

    monkeypatch.setenv("CCTNS_HOME", str(home.home))
    _deliver(home)
    with Store(home).lock():
        res = CliRunner().invoke(app, ["ingest", "--quiet"])
        with pytest.raises(pipeline.IngestBusy, match="another ingest is running"):
            ingest([home.inbox], home)
    assert res.exit_code == EXIT_BUSY, res.output
    assert "another ingest is running" in res.output and "ingest.lock" in res.output
    assert "Traceback" not in res.output and not isinstance(res.exception, RuntimeError)
    [s] = ingest([home.inbox], home)  # once the lock is free, it goes on
    assert s.outcome == "LOADED"
