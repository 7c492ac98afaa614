"""End-to-end ingestion: nothing lost, every defect caught with the right rule, versions,
idempotency, zip safety and crash safety, on generated uploads with ground truth."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest

from core import extract_spec as spec
from core.settings import REPO_ROOT, SAMPLE_DIR, Paths
from ingestion.catalogue import GENERATOR_DEFECT_RULES
from ingestion.pipeline import LoadSummary
from ingestion.pipeline import ingest as _ingest
from ingestion.store import Store
from ingestion.upload import BY_NAME, stage
from sample_data import writers
from sample_data.defects import REJECTING_KINDS
from sample_data.generate import TRUTH_DIR

REJECTING = REJECTING_KINDS


def ingest(paths: list[Path], home: Paths) -> list[LoadSummary]:
    """Uploads assembled outside the inbox, each from the State its name says (an operator's
    ``--channel by-name``; channel binding itself is tested in test_channels.py)."""
    return _ingest(paths, home, channel=BY_NAME)


def _home(tmp_path: Path, name: str = "home") -> Paths:
    return Paths(tmp_path / name).ensure()


def _lake(home: Paths, entity: str) -> pl.DataFrame:
    files = sorted(home.lake.glob(f"state_code=*/load_id=*/{entity}.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed") if files else pl.DataFrame()


def _issues_with_upload(home: Paths) -> pl.DataFrame:
    parts = []
    for d in sorted(home.lake.glob("state_code=*/load_id=*")):
        led = json.loads((d / "_load.json").read_text())
        parts.append(
            pl.read_parquet(d / "issues.parquet").with_columns(
                pl.lit(led["upload_id"]).alias("upload_id"), pl.lit(led["source_name"]).alias("source_name")
            )
        )
    return pl.concat(parts, how="vertical_relaxed")


def _ledger(home: Paths) -> pl.DataFrame:
    return Store(home).ledger()


def _files(home: Paths) -> pl.DataFrame:
    return _lake(home, "files")


@pytest.fixture(scope="module")
def sample_run(sample_lake: tuple[Paths, list]) -> tuple[Paths, list]:
    """The committed sample (all 36 States, a week, with defects) ingested once per session."""
    return sample_lake


# --- nothing lost ----------------------------------------------------------------------------


def test_every_upload_is_accounted_for(sample_run: tuple[Paths, list]) -> None:
    home, summaries = sample_run
    expected = sorted(p.name for p in SAMPLE_DIR.iterdir() if not p.name.startswith(("_", ".")))
    assert sorted(s.ledger["source_name"] for s in summaries) == expected
    ledger = _ledger(home)
    assert ledger.height == len(expected)
    assert set(ledger["outcome"].unique().to_list()) <= {
        "LOADED",
        "LOADED_WITH_ERRORS",
        "REJECTED",
        "DUPLICATE",
    }


def test_rows_in_equal_rows_loaded_plus_quarantined_for_every_file(sample_run: tuple[Paths, list]) -> None:
    home, _ = sample_run
    files = _files(home)
    assert files.height > 36 * 7 * 3
    bad = files.filter(pl.col("rows_in") != pl.col("rows_loaded") + pl.col("rows_quarantined"))
    assert bad.height == 0, bad
    ledger = _ledger(home)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    # And the rows really are there: loaded FIR rows in the lake match the ledger.
    fir = _lake(home, "fir")
    assert fir.height == int(ledger["fir_docs_applied"].sum())
    assert fir.height > 1000


def test_rejected_uploads_load_nothing_and_are_resent(sample_run: tuple[Paths, list]) -> None:
    home, _ = sample_run
    ledger = _ledger(home)
    rejected = ledger.filter(pl.col("outcome") == "REJECTED")
    assert rejected.height == len(REJECTING)
    fir = _lake(home, "fir")
    assert fir.filter(pl.col("load_id").is_in(rejected["load_id"].to_list())).height == 0
    assert (rejected["rows_loaded"] == 0).all() and (
        rejected["rows_quarantined"] == rejected["rows_in"]
    ).all()
    resent = ledger.filter(
        pl.col("upload_id").is_in([u[:-2] + "02" for u in rejected["upload_id"].to_list()])
    )
    assert (
        set(resent["outcome"].to_list()) <= {"LOADED", "LOADED_WITH_ERRORS"}
        and resent.height == rejected.height
    )


# --- every injected defect caught, clean records never quarantined -------------------------------


def test_precision_and_recall_on_injected_defects(
    sample_run: tuple[Paths, list], capsys: pytest.CaptureFixture[str]
) -> None:
    home, _ = sample_run
    truth = pl.read_csv(SAMPLE_DIR / TRUTH_DIR / "defects.csv", infer_schema=False)
    issues = _issues_with_upload(home)
    ledger = _ledger(home)
    caught = 0
    missed = []
    for d in truth.iter_rows(named=True):
        codes = GENERATOR_DEFECT_RULES[d["kind"]]
        if d["kind"] == "duplicate_upload":
            row = ledger.filter(pl.col("source_name") == d["file"])
            ok = row.height == 1 and row["outcome"][0] == "DUPLICATE"
        elif d["kind"] in REJECTING:
            row = ledger.filter(pl.col("source_name") == d["upload_id"])
            ok = (
                row.height == 1
                and row["outcome"][0] == "REJECTED"
                and bool(set(row["reject_codes"][0].split(",")) & codes)
            )
        else:
            hits = issues.filter(
                (pl.col("source_name") == d["upload_id"]) & pl.col("rule_code").is_in(list(codes))
            )
            if d["fir_key"]:
                hits = hits.filter(pl.col("fir_key") == d["fir_key"])
            else:
                hits = hits.filter(
                    (pl.col("source_file") == d["file"]) & (pl.col("source_row") == int(d["record_no"]))
                )
            ok = hits.height > 0
        caught += ok
        if not ok:
            missed.append(d)
    recall = caught / truth.height
    # Precision: every quarantined FIR document and register record is an injected defect.
    q = _lake_quarantine(home)
    defect_keys = {(r["upload_id"], r["fir_key"]) for r in truth.iter_rows(named=True) if r["fir_key"]}
    defect_rows = {
        (r["upload_id"], r["file"], int(r["record_no"]))
        for r in truth.iter_rows(named=True)
        if not r["fir_key"] and r["record_no"]
    }
    rec = q.filter(pl.col("entity") != "upload")
    wrong = [
        r for r in rec.iter_rows(named=True)
        if not ((r["upload_id"], r["fir_key"]) in defect_keys or (r["upload_id"], r["source_file"], r["source_row"]) in defect_rows)
    ]  # fmt: skip
    precision = 1 - len({(r["upload_id"], r["fir_key"], r["source_file"]) for r in wrong}) / max(
        1, len({(r["upload_id"], r["fir_key"], r["source_file"]) for r in rec.iter_rows(named=True)})
    )
    with capsys.disabled():
        print(
            f"\ningestion on the sample: recall {recall:.1%} ({caught}/{truth.height}), precision {precision:.1%}"
        )
    assert not missed, missed[:5]
    assert not wrong, wrong[:5]


def _lake_quarantine(home: Paths) -> pl.DataFrame:
    files = sorted(home.quarantine.glob("state_code=*/load_id=*/quarantine.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")


def test_feedback_files_name_upload_file_row_and_rule(sample_run: tuple[Paths, list]) -> None:
    home, _ = sample_run
    errors = sorted(home.outbox.glob("*/*_errors.csv"))
    warnings = sorted(home.outbox.glob("*/*_warnings.csv"))
    assert len(errors) == len(warnings) == _ledger(home).height
    allrows = pl.concat(
        [pl.read_csv(f, infer_schema=False) for f in errors if f.stat().st_size > 0], how="vertical_relaxed"
    )
    assert list(allrows.columns) == [
        "upload_id",
        "load_id",
        "file",
        "row",
        "fir_key",
        "register_key",
        "rule_code",
        "rule_name",
        "severity",
        "field",
        "value",
        "message",
    ]
    record_errors = allrows.filter(pl.col("severity") == "error")
    assert record_errors.height > 0
    assert record_errors["file"].null_count() == 0 and record_errors["row"].null_count() == 0
    assert record_errors["message"].null_count() == 0


# --- idempotency and versions -------------------------------------------------------------------


def _snapshot(home: Paths) -> list[str]:
    return sorted(
        str(p.relative_to(home.home)) for p in home.home.rglob("*") if p.is_file() and "ops" not in p.parts
    )


def test_second_run_changes_nothing(sample_run: tuple[Paths, list]) -> None:
    home, _ = sample_run
    before = _snapshot(home)
    again = ingest([SAMPLE_DIR], home)
    assert all(s.skipped for s in again)
    assert _snapshot(home) == before


def _derive(src: Path, out_root: Path, seq: int, edit_fir) -> Path:
    """A new upload (same State and date, next sequence) from a cas_csv sample upload."""
    m = json.loads((src / "manifest.json").read_text())
    uid = f"{m['state_code']}_{m['extract_date'].replace('-', '')}_{seq:02d}"
    dest = out_root / uid
    shutil.copytree(src, dest)
    fir = pl.read_csv(dest / "fir.csv", infer_schema=False)
    edit_fir(fir).write_csv(dest / "fir.csv")
    import datetime as dt

    meta = writers.UploadMeta(
        m["state_code"],
        dt.date.fromisoformat(m["extract_date"]),
        seq,
        m["source_system"],
        m["format"],
        dt.datetime.fromisoformat(m["generated_at"]),
    )
    writers.write_manifest(dest, meta)
    return dest


def _clean_cas_upload() -> Path:
    truth = pl.read_csv(SAMPLE_DIR / TRUTH_DIR / "uploads.csv", infer_schema=False)
    ok = truth.filter(
        (pl.col("format") == "cas_csv")
        & (pl.col("record_defects") == "0")
        & (pl.col("upload_defect") == "")
        & (pl.col("fir_records").cast(pl.Int64) > 20)
    )
    return SAMPLE_DIR / ok["upload_id"][0]


def test_versions_apply_higher_ignore_stale_and_tombstone(tmp_path: Path) -> None:
    home = _home(tmp_path)
    src = _clean_cas_upload()
    ingest([src], home)
    base = _lake(home, "fir").sort("fir_key")
    k_stale = base.filter(pl.col("record_version") >= 2)["fir_key"][0]
    k_up, k_same, k_conflict, k_exp = [k for k in base["fir_key"].to_list() if k != k_stale][:4]
    inbox = tmp_path / "inbox"

    def bump(fir: pl.DataFrame) -> pl.DataFrame:
        key = pl.concat_str([pl.col(c) for c in spec.FIR_KEY], separator="-")
        v = pl.col("record_version").cast(pl.Int64)
        return fir.with_columns(
            pl.when(key == k_up)
            .then(v + 1)
            .when(key == k_stale)
            .then(v - 1)
            .when(key == k_exp)
            .then(v + 2)
            .otherwise(v)
            .cast(pl.Utf8)
            .alias("record_version"),
            pl.when(key == k_exp).then(pl.lit("EXPUNGED")).otherwise(pl.col("status")).alias("status"),
            pl.when(key.is_in([k_up, k_conflict]))
            .then(pl.col("brief_facts") + " (corrected)")
            .otherwise(pl.col("brief_facts"))
            .alias("brief_facts"),
        )

    derived = _derive(src, inbox, 5, bump)
    [s] = ingest([derived], home)
    led = s.ledger
    issues = _issues_with_upload(home).filter(pl.col("source_name") == derived.name)
    assert set(issues.filter(pl.col("rule_code") == "113")["fir_key"].to_list()) == {k_stale}
    assert set(issues.filter(pl.col("rule_code") == "114")["fir_key"].to_list()) == {k_conflict}
    fir = _lake(home, "fir")
    latest = fir.sort("record_version").group_by("fir_key").last()
    up = latest.filter(pl.col("fir_key") == k_up)
    assert (
        up["brief_facts"][0].endswith("(corrected)") and fir.filter(pl.col("fir_key") == k_up).height == 2
    )  # history kept
    assert latest.filter(pl.col("fir_key") == k_exp)["is_tombstone"][0] is True
    assert latest.filter(pl.col("fir_key") == k_conflict)["brief_facts"][0].endswith("(corrected)") is False
    assert fir.filter(pl.col("fir_key") == k_same).height == 1  # unchanged: not written again
    assert led["fir_docs_unchanged"] >= 1 and led["fir_docs_applied"] == 2


def test_same_name_with_other_content_is_refused(tmp_path: Path) -> None:
    home = _home(tmp_path)
    src = _clean_cas_upload()
    ingest([src], home)
    other = tmp_path / "other"
    copy = _derive(
        src, other, 1, lambda f: f.with_columns((pl.col("brief_facts") + ".").alias("brief_facts"))
    )
    [s] = ingest([copy], home)
    assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == "022"


def test_zero_firs_and_their_transfers_are_loaded(sample_run: tuple[Paths, list]) -> None:
    home, _ = sample_run
    links = pl.read_csv(SAMPLE_DIR / TRUTH_DIR / "zero_fir_links.csv", infer_schema=False)
    fir = _lake(home, "fir")
    zero = fir.filter(pl.col("fir_key").is_in(links["zero_fir_key"].to_list()))
    assert zero.height > 0
    assert zero["is_zero_fir"].all() and zero["transferred_to_ps"].null_count() == 0


# --- bad input gets a clear error ------------------------------------------------------------------


def _zip_with(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 & 0xFFFF) << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("traversal", "016"),
        ("absolute", "016"),
        ("symlink", "016"),
        ("bomb", "017"),
        ("corrupt", "018"),
        ("empty", "019"),
        ("badname", "021"),
    ],
)
def test_unsafe_or_broken_uploads_are_refused_with_a_clear_message(
    tmp_path: Path, case: str, code: str
) -> None:
    home = _home(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    src = _clean_cas_upload()
    members = {f"{src.name}/{p.name}": p.read_bytes() for p in src.iterdir()}
    if case == "traversal":
        target = _zip_with(inbox / f"{src.name}.zip", {**members, "../../evil.csv": b"x"})
    elif case == "absolute":
        target = _zip_with(inbox / f"{src.name}.zip", {**members, "/tmp/evil.csv": b"x"})
    elif case == "symlink":
        target = _zip_with(inbox / f"{src.name}.zip", members, symlink=f"{src.name}/link.csv")
    elif case == "bomb":
        target = _zip_with(
            inbox / f"{src.name}.zip", {**members, f"{src.name}/pad.csv": b"0" * (60 * 1024**2)}
        )
    elif case == "corrupt":
        target = inbox / f"{src.name}.zip"
        target.write_bytes(b"PK\x03\x04 this is not a zip")
    elif case == "empty":
        target = inbox / src.name
        target.mkdir()
        (target / "manifest.json").unlink(missing_ok=True)
    else:
        target = inbox / "upload_from_gujarat"
        shutil.copytree(src, target)
    [s] = ingest([target] if case != "empty" else [inbox], home)
    assert s.outcome == "REJECTED", s.ledger
    assert code in s.ledger["reject_codes"].split(",")
    errors = pl.read_csv(
        home.outbox / s.ledger["state_code"] / f"{s.ledger['load_id']}_errors.csv", infer_schema=False
    )
    assert errors.height >= 1 and errors["rule_code"].to_list()[0] == code
    assert errors["upload_id"][0] == s.ledger["upload_id"] and errors["message"][0]
    assert not (home.home / "evil.csv").exists() and not Path("/tmp/evil.csv").exists()


def test_unknown_format_and_spec_version_are_refused(tmp_path: Path) -> None:
    home = _home(tmp_path)
    src = _clean_cas_upload()
    for i, (key, value, code) in enumerate([("format", "parquet", "005"), ("spec_version", 2, "003")]):
        d = tmp_path / f"in{i}" / src.name
        shutil.copytree(src, d)
        m = json.loads((d / "manifest.json").read_text())
        m[key] = value
        (d / "manifest.json").write_text(json.dumps(m))
        [s] = ingest([d], Paths(tmp_path / f"h{i}").ensure())
        assert s.outcome == "REJECTED" and s.ledger["reject_codes"] == code
    del home


# --- crash safety ------------------------------------------------------------------------------------

CRASH_STATES = ("09", "29", "30")


def _crash_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "crash_inbox"
    inbox.mkdir()
    for p in sorted(SAMPLE_DIR.iterdir()):
        if p.name[:2] in CRASH_STATES and p.name[3:11] <= "20261103":
            stage(p, inbox)  # into the State's channel crash_inbox/<SS>/
    return inbox


def _run_cli(home: Path, inbox: Path, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CCTNS_HOME": str(home)}
    env.pop("CCTNS_CRASH_AT", None)
    if crash_at:
        env["CCTNS_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "cctns.cli", "ingest", str(inbox), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )


def _state(home: Path) -> tuple[list[tuple], dict[str, int]]:
    paths = Paths(home)
    ledger = (
        _ledger(paths)
        .select("upload_id", "source_name", "outcome", "rows_in", "rows_loaded", "rows_quarantined")
        .sort("source_name")
    )
    counts = {
        e: _lake(paths, e).height for e in ("fir", "person", "act_section", "hearing", "missing_person")
    }
    counts["quarantine"] = (
        _lake_quarantine(paths).height if list(paths.quarantine.glob("state_code=*/load_id=*")) else 0
    )
    counts["staging"] = len(list(paths.lake.glob("_staging/*"))) + len(
        list(paths.quarantine.glob("_staging/*"))
    )
    return ledger.rows(), counts


@pytest.fixture(scope="module")
def clean_state(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple], dict[str, int]]:
    tmp = tmp_path_factory.mktemp("crash_ref")
    inbox = _crash_inbox(tmp)
    r = _run_cli(tmp / "home", inbox)
    assert r.returncode == 0, r.stderr
    return _state(tmp / "home")


@pytest.mark.parametrize(
    "point",
    [
        "after_landing",
        "after_staging",
        "after_quarantine_rename",
        "after_lake_rename",
        "after_index",
        "after_feedback",
    ],
)
@pytest.mark.integration
def test_killed_at_any_point_then_rerun_completes_exactly_once(
    tmp_path: Path, point: str, clean_state: tuple
) -> None:
    inbox = _crash_inbox(tmp_path)
    home = tmp_path / "home"
    r = _run_cli(home, inbox, crash_at=f"{point}:3")
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    r = _run_cli(home, inbox)
    assert r.returncode == 0, r.stderr[-2000:]
    assert _state(home) == clean_state
    feedback = sorted((home / "outbox").glob("*/*.csv"))
    assert len(feedback) == 2 * len(clean_state[0])


@pytest.mark.integration
def test_killed_at_random_moments_then_rerun_completes_exactly_once(
    tmp_path: Path, clean_state: tuple
) -> None:
    inbox = _crash_inbox(tmp_path)
    home = tmp_path / "home"
    env = {**os.environ, "CCTNS_HOME": str(home)}
    env.pop("CCTNS_CRASH_AT", None)
    rng = random.Random(7)
    killed = 0
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-m", "cctns.cli", "ingest", str(inbox), "--quiet"], env=env, cwd=REPO_ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(1.5, 3.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
    assert killed >= 2, "the ingest finished before it could be killed: nothing was tested"
    r = _run_cli(home, inbox)
    assert r.returncode == 0, r.stderr[-2000:]
    assert _state(home) == clean_state


def test_the_three_formats_give_identical_standardised_rows(tmp_path: Path) -> None:
    """The same documents sent as cas_csv, jsonl and xml land as the same lake rows."""
    import datetime as dt

    from ingestion.pipeline import Ingestor
    from sample_data.documents import Builder
    from sample_data.generate import offender_pool_sizes
    from sample_data.rand import Hasher
    from sample_data.world import GenConfig, Reference, events, simulate_state

    cfg = GenConfig(
        start=dt.date(2024, 6, 28),
        days=2,
        scale=0.05,
        states=("09",),
        seed=5,
        defect_rate=0.0,
        out=tmp_path / "x",
        warmup_days=400,
    )
    ref = Reference.load()
    h = Hasher(cfg.seed)
    world = simulate_state(cfg, ref, h, "09")
    ev = events(cfg, h, world).filter(pl.col("day") == cfg.first_day)
    built = Builder(ref, h, cfg.seed, offender_pool_sizes(cfg, ref)).build(world, ev)
    tables = writers.empty_tables() | {n: df.select(spec.CAS_COLUMNS[n]) for n, df in built.items()}
    lineage = ["load_id", "upload_id", "source_file", "source_row"]
    lakes = {}
    for fmt in spec.FORMATS:
        ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
        meta = writers.UploadMeta(
            "09", cfg.start, 1, "test", fmt, dt.datetime(2024, 6, 29, 0, 30, tzinfo=ist)
        )
        folder = writers.write_upload(tmp_path / f"in_{fmt}", meta, tables)
        home = _home(tmp_path, f"home_{fmt}")
        ingestor = Ingestor(home)
        ingestor.formats["09"] = fmt  # the same State in each format, for the comparison
        [s] = ingestor.run([folder], channel="09")
        assert s.outcome in ("LOADED", "LOADED_WITH_ERRORS"), s.ledger
        lakes[fmt] = {
            e: _lake(home, e).drop(lineage)
            for e in (
                "fir",
                "act_section",
                "person",
                "arrest",
                "property",
                "final_report",
                "court_case",
                "hearing",
                "crime_details",
                "missing_person",
            )
        }
    assert lakes["cas_csv"]["fir"].height > 50
    for entity, base in lakes["cas_csv"].items():
        order = [c for c in base.columns if base.schema[c] != pl.List(pl.Utf8)]
        for fmt in ("jsonl", "xml"):
            other = lakes[fmt][entity]
            assert other.sort(order).equals(base.sort(order)), (fmt, entity)
