"""The upload gate end to end: real uploads, real ingestion, real Great Expectations validations."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from core.settings import Paths
from quality import store
from quality.gate import (
    GateError,
    batch_status,
    excluded_loads,
    gate_results,
    reject,
    release,
    run_upload_gate,
)
from tests.quality import support
from tests.quality.conftest import Gated, ingest_last_night, last_night


def _upload(inbox: Path, state: str) -> Path:
    (p,) = [p for p in last_night(inbox) if p.name.startswith(f"{state}_") and p.is_dir()]
    return p


def _failed(results: pl.DataFrame, load_id: str) -> set[str]:
    return set(results.filter((pl.col("load_id") == load_id) & ~pl.col("success"))["check_id"].to_list())


def test_clean_nights_pass_with_history_judged_and_rerun_is_a_noop(gated_home: Gated) -> None:
    home, ids, report = gated_home.home, gated_home.ids, gated_home.report
    assert report.run_id is not None and report.held == []
    ledger = pl.concat([pl.read_parquet(p) for p in home.lake.glob("state_code=*/load_id=*/load.parquet")])
    data_loads = set(ledger.filter(pl.col("outcome").is_in(["LOADED", "LOADED_WITH_ERRORS"]))["load_id"])
    assert {v.load_id for v in report.verdicts} == data_loads  # DUPLICATE / REJECTED loads are not checked
    assert set(ledger["outcome"]) - {"LOADED", "LOADED_WITH_ERRORS"}, "the sample should hold a no-data load"

    results = gate_results(home)
    assert list(results.columns) == list(store.RESULT_SCHEMA)
    night9 = results.filter(pl.col("load_id") == ids["09"])
    assert night9.height > 100 and night9["success"].all()
    details = {r["check_id"]: json.loads(r["details"]) for r in night9.iter_rows(named=True)}
    assert details["volume.low.critical"]["judged"] and details["volume.low.critical"]["volume__nights"] == 8
    assert details["crime_mix.tvd.critical"]["judged"]
    assert report.verdict(ids["09"]).status == "PASSED"
    assert report.verdict(ids["29"]).status in ("PASSED", "WARNED")

    # the first night has no history: said so, not blocking
    first = min(report.verdicts, key=lambda v: v.extract_date)
    vol = results.filter((pl.col("load_id") == first.load_id) & (pl.col("check_id") == "volume.low.critical"))
    assert vol["success"].to_list() == [True]
    assert vol["observed_value"][0].startswith("insufficient history: 0 earlier nights")

    st = batch_status(home)
    assert set(st["load_id"]) == data_loads and set(st["status"]) <= {"PASSED", "WARNED"}
    assert excluded_loads(home) == set()
    assert (home.quality / "data_docs" / "index.html").is_file()
    assert (home.quality / "data_docs" / "upload_gate" / "index.html").is_file()

    again = run_upload_gate(home)
    assert again.run_id is None and again.verdicts == []
    assert len(list((home.quality / "results").glob("*.parquet"))) == 1
    explicit = run_upload_gate(home, [ids["09"]], data_docs=False)
    assert explicit.run_id is None and ids["09"] in explicit.skipped


@pytest.mark.parametrize(
    ("case", "change", "check"),
    [
        ("a tenth", lambda t: support.keep_every(t, 10), "volume.low.critical"),
        ("ten times", lambda t: support.multiply(t, 10), "volume.high.critical"),
        ("mix shift", lambda t: support.shift_heads(t, 0.8, "BNS", "140(1)"), "crime_mix.tvd.critical"),
    ],
)
def test_anomalous_upload_is_held_and_other_states_go_on(
    home: Paths, q_inbox: Path, tmp_path: Path, case: str, change: object, check: str
) -> None:
    bad = support.rewrite(_upload(q_inbox, "09"), tmp_path / "bad", change)  # type: ignore[arg-type]
    ids = ingest_last_night(home, q_inbox, {"09": bad})
    report = run_upload_gate(home, data_docs=False)
    held = report.verdict(ids["09"])
    assert held.status == "HELD", case
    critical = {f.check_id for f in held.critical_failures}
    # ten copies of a night also skew the mix beyond what 430 independent FIRs could: caught too
    assert critical == {check} if case != "ten times" else check in critical
    assert check in (held.reason or "")
    assert report.verdict(ids["29"]).status in ("PASSED", "WARNED")
    assert report.held == [ids["09"]]
    assert excluded_loads(home) == {ids["09"]}
    row = batch_status(home).filter(pl.col("load_id") == ids["09"]).row(0, named=True)
    assert row["status"] == "HELD" and row["decided_by"] == "gate" and check in row["reason"]


def _null_spike(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.when(pl.int_range(pl.len()) % 3 == 0)
        .then(None)
        .otherwise(pl.col("registered_at"))
        .alias("registered_at")
    )


def _unknown_status(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.when(pl.int_range(pl.len()) < 2).then(pl.lit("CLOSED")).otherwise("status").alias("status")
    )


def _orphan_person(df: pl.DataFrame) -> pl.DataFrame:
    ghost = df.head(2).with_columns(pl.lit("09-999-99999-2026-9999").alias("fir_key"))
    return pl.concat([df, ghost])


def _no_age(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(pl.lit(None, dtype=pl.Int32).alias("age"))


@pytest.mark.parametrize(
    ("entity", "change", "check", "status"),
    [
        ("fir", _null_spike, "nulls.fir.registered_at", "HELD"),
        ("fir", _unknown_status, "value_sets.fir.status", "HELD"),
        ("person", _orphan_person, "integrity.person.fir_document", "HELD"),
        ("person", _no_age, "nulls.person.age", "WARNED"),
    ],
)
def test_lake_defects_are_caught_on_a_forced_recheck(
    gated_home: Gated, entity: str, change: object, check: str, status: str
) -> None:
    home, ids = gated_home.home, gated_home.ids
    assert batch_status(home).filter(pl.col("load_id") == ids["09"])["status"].to_list() == ["PASSED"]
    support.edit_lake(home, ids["09"], entity, change)  # type: ignore[arg-type]
    report = run_upload_gate(home, [ids["09"], ids["29"]], force=True, data_docs=False)
    v = report.verdict(ids["09"])
    assert v.status == status
    assert {f.check_id for f in v.failures} == {check}
    assert report.verdict(ids["29"]).status in ("PASSED", "WARNED")
    results = gate_results(home).filter(pl.col("run_id") == report.run_id)
    assert _failed(results, ids["09"]) == {check}
    bad = results.filter((pl.col("load_id") == ids["09"]) & (pl.col("check_id") == check)).row(0, named=True)
    assert bad["unexpected_count"] and bad["unexpected_count"] > 0
    if status == "HELD":
        assert excluded_loads(home) == {ids["09"]}
    else:
        assert excluded_loads(home) == set()


def test_release_and_reject_are_recorded_and_only_for_held_batches(
    home: Paths, q_inbox: Path, tmp_path: Path
) -> None:
    bad = support.rewrite(_upload(q_inbox, "09"), tmp_path / "bad", lambda t: support.keep_every(t, 10))
    ids = ingest_last_night(home, q_inbox, {"09": bad})
    first = run_upload_gate(home, data_docs=False)
    held = ids["09"]
    assert first.held == [held]
    passed = ids["29"]

    with pytest.raises(GateError, match="only a HELD batch"):
        release(home, passed, "Asha", "looks fine")
    with pytest.raises(GateError, match="no gate status"):
        reject(home, "09_20990101_01-000000000000", "Asha", "no such load")
    with pytest.raises(GateError, match="reason"):
        release(home, held, "Asha", "  ")

    row = release(home, held, "Asha (NCRB)", "SCRB confirms a server outage that night")
    assert row["status"] == "RELEASED"
    assert excluded_loads(home) == set()
    st = batch_status(home).filter(pl.col("load_id") == held).row(0, named=True)
    assert st["status"] == "RELEASED" and st["decided_by"] == "Asha (NCRB)"
    assert "server outage" in st["reason"] and "volume.low.critical" in st["reason"]
    with pytest.raises(GateError, match="is RELEASED"):
        reject(home, held, "Asha", "changed my mind")

    decisions = store.read_decisions(home)
    assert [(d["action"], d["load_id"], d["from_status"], d["to_status"]) for d in decisions] == [
        ("release", held, "HELD", "RELEASED")
    ]

    # a re-run is a no-op; a forced one records new results but keeps the operator's decision
    assert run_upload_gate(home, data_docs=False).run_id is None
    forced = run_upload_gate(home, force=True, data_docs=False)
    assert forced.verdict(held).status == "HELD"  # what the suites say now ...
    assert batch_status(home).filter(pl.col("load_id") == held)["status"].to_list() == [
        "RELEASED"
    ]  # ... kept
    assert len(list((home.quality / "results").glob("*.parquet"))) == 2

    # reject: a second State night held, rejected, recorded after the release
    bad2 = support.rewrite(_upload(q_inbox, "09"), tmp_path / "bad2", lambda t: support.multiply(t, 10))
    bad2 = bad2.rename(bad2.with_name(bad2.name[:-2] + "02"))
    manifest = json.loads((bad2 / "manifest.json").read_text())
    manifest["sequence"] = 2
    (bad2 / "manifest.json").write_text(json.dumps(manifest))
    from ingestion.pipeline import ingest

    (summary,) = ingest([bad2], home, channel="09")
    second = summary.ledger["load_id"]
    report = run_upload_gate(home, data_docs=False)
    assert report.held == [second]
    reject(home, second, "Ravi", "duplicated FIR numbers; SCRB will resend")
    assert excluded_loads(home) == {second}
    assert [d["action"] for d in store.read_decisions(home)] == ["release", "reject"]
