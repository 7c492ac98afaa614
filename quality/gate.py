"""The upload gate: validate committed loads, decide their status, let an operator decide the held ones.

A load whose critical expectation fails is **HELD**: it stays in the lake, the warehouse build
leaves it out (:func:`excluded_loads`), and ``batch_status.parquet`` shows why. Warnings make a
load **WARNED** (published, reported). Everything else is **PASSED**. An operator can
**RELEASE** a held load (published from the next build) or **REJECT** it (never published; the
State must resend). Each State's loads are judged on their own, so one State's held night never
holds another's.

Public API (names used by the warehouse build, the DAGs and the CLI)::

    run_upload_gate(paths, load_ids=None, *, force=False, data_docs=True) -> GateReport
    batch_status(paths) -> polars.DataFrame
    excluded_loads(paths) -> set[str]
    release(paths, load_id, by, note) -> dict
    reject(paths, load_id, by, note) -> dict
    hold_from_build(paths, holds, build_id) -> list[dict]
    gate_results(paths) -> polars.DataFrame

**Held by the build.** A load can also be held after the gate passed it: when the national
build's candidate fails a dbt data test or a critical mart check whose failing rows trace to that
load, :func:`hold_from_build` holds it (``decided_by`` = ``"build"``, the reason names the
failing test), the build rebuilds without it and publishes the rest. Such a hold survives a
forced gate re-run; an operator releases or rejects it like any other. The State is told in
``outbox/<SS>/<load_id>_held.csv`` (delivered with its errors and warnings files).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from core import safe_text
from core.fs import atomic_write
from core.settings import Paths
from quality import lake, store
from quality.config import (
    CRITICAL,
    DATA_OUTCOMES,
    DEFAULT_THRESHOLDS,
    EXCLUDED_STATUSES,
    HELD,
    OPERATOR_STATUSES,
    PASSED,
    REJECTED,
    RELEASED,
    WARNED,
    WARNING,
    Thresholds,
)
from quality.engine import GxRun, SuiteOutcome
from quality.suites import UPLOAD_SUITES, crime_mix, read_columns
from quality.suites.base import Check
from quality.suites.batch import UploadBatch

#: progress(stage, done, total)
Progress = Callable[[str, int, int], None]
REASON_MAX_CHARS = 2000
#: ``decided_by`` of a hold the warehouse build decided (a dbt data test or mart check failed).
BUILD_DECIDER = "build"
#: Columns of the ``<load_id>_held.csv`` notice written to the State's outbox.
HELD_NOTICE_FIELDS = ("load_id", "state_code", "extract_date", "status", "decided_by", "decided_at", "reason")
#: Loads read and validated together (whole nights; a national night is 36-44 loads).
CHUNK_LOADS = 120


class GateError(ValueError):
    """An operator or caller asked for something the gate cannot do (unknown load, wrong status)."""


@dataclass(frozen=True)
class FailedCheck:
    suite: str
    check_id: str
    severity: str
    column: str | None
    observed: str


@dataclass(frozen=True)
class LoadVerdict:
    load_id: str
    state_code: str
    extract_date: dt.date
    status: str
    reason: str | None
    failures: tuple[FailedCheck, ...]
    notes: tuple[str, ...] = ()  # checks skipped for lack of rows or history

    @property
    def critical_failures(self) -> tuple[FailedCheck, ...]:
        return tuple(f for f in self.failures if f.severity == CRITICAL)


@dataclass
class GateReport:
    """What one gate run did. ``run_id`` is None when there was nothing to check (a no-op)."""

    run_id: str | None
    run_at: dt.datetime | None
    verdicts: list[LoadVerdict] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # load_id -> why it was not checked
    seconds: float = 0.0
    results_file: Path | None = None
    data_docs: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def _with(self, status: str) -> list[str]:
        return [v.load_id for v in self.verdicts if v.status == status]

    @property
    def held(self) -> list[str]:
        return self._with(HELD)

    @property
    def warned(self) -> list[str]:
        return self._with(WARNED)

    @property
    def passed(self) -> list[str]:
        return self._with(PASSED)

    @property
    def ok(self) -> bool:
        """No load of this run was held."""
        return not self.held

    def verdict(self, load_id: str) -> LoadVerdict:
        for v in self.verdicts:
            if v.load_id == load_id:
                return v
        raise KeyError(load_id)


# --------------------------------------------------------------------------------------------
# Running the suites
# --------------------------------------------------------------------------------------------
def _select_targets(
    ledger: pl.DataFrame, status: pl.DataFrame, load_ids: Sequence[str] | None, force: bool
) -> tuple[pl.DataFrame, dict[str, str]]:
    checked = set(status["load_id"].to_list())
    skipped: dict[str, str] = {}
    data = ledger.filter(pl.col("outcome").is_in(list(DATA_OUTCOMES)))
    if load_ids is None:
        targets = (
            data if force else data.filter(~pl.col("load_id").is_in(pl.Series(sorted(checked)).implode()))
        )
        return targets, skipped
    known = dict(zip(ledger["load_id"].to_list(), ledger["outcome"].to_list(), strict=True))
    unknown = [lid for lid in load_ids if lid not in known]
    if unknown:
        raise GateError(f"no committed load {', '.join(unknown)} in the lake")
    wanted: list[str] = []
    for lid in dict.fromkeys(load_ids):
        if known[lid] not in DATA_OUTCOMES:
            skipped[lid] = f"ingestion outcome {known[lid]}: the load has no data to check"
        elif lid in checked and not force:
            skipped[lid] = "already checked (use force to check again)"
        else:
            wanted.append(lid)
    return data.filter(pl.col("load_id").is_in(pl.Series(wanted, dtype=pl.Utf8).implode())), skipped


def _chunks(targets: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    """Whole nights, in date order, about ``size`` loads each (a night is never split)."""
    out: list[pl.DataFrame] = []
    current: list[pl.DataFrame] = []
    n = 0
    for (_date,), night in targets.group_by("extract_date", maintain_order=True):
        if current and n + night.height > size:
            out.append(pl.concat(current))
            current, n = [], 0
        current.append(night)
        n += night.height
    if current:
        out.append(pl.concat(current))
    return out


def _load_profiles(
    paths: Paths, batch: UploadBatch, dirs: dict[str, Path], cols: dict[str, list[str]]
) -> pl.DataFrame:
    """Crime-head profiles of the targets (computed now) and of their history (cached or computed)."""
    targets = batch.targets["load_id"].to_list()
    fresh = crime_mix.profile(batch.table("act_section"), batch.table("fir"))
    cache = store.read_profiles(paths)
    known = set(cache["load_id"].to_list())
    needed = {h for hist in crime_mix.history_loads(batch).values() for h in hist}
    missing = sorted(needed - known - set(targets))
    if missing:
        hdirs = [dirs[m] for m in missing]
        hist = crime_mix.profile(
            lake.read_entity(hdirs, "act_section", cols["act_section"]),
            lake.read_entity(hdirs, "fir", cols["fir"]),
        )
        fresh = pl.concat([fresh, hist], how="vertical")
    return store.add_profiles(paths, fresh, targets + missing)


def _plain(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def _per_load_rows(
    frame: pl.DataFrame,
    checks: Sequence[Check],
    outcome: SuiteOutcome,
    meta: dict[str, tuple[str, dt.date]],
    run_id: str,
    run_at: dt.datetime,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    records = frame.to_dicts()
    for check in checks:
        gx = outcome.expectations[check.severity]
        kwargs = json.dumps({"check": check.kwargs, "gx": gx.kwargs}, default=str, sort_keys=True)
        for r in records:
            lid = r["load_id"]
            upper, lower = check.upper_lower(r)
            judged = upper is not None and lower is not None
            success = (lid, check.check_id) not in outcome.failing
            if not judged:
                observed = (r.get(check.note) if check.note else None) or "not judged: no value"
            elif check.describe is not None:
                observed = check.describe(r)
            else:
                observed = f"{r.get(check.value)}"
            details = {c: _plain(r.get(c)) for c in check.details}
            details |= {"value": _plain(r.get(check.value)), "upper": upper, "lower": lower, "judged": judged}
            state, date = meta[lid]
            rows.append(
                {
                    "run_id": run_id,
                    "run_at": run_at,
                    "suite": check.suite,
                    "check_id": check.check_id,
                    "load_id": lid,
                    "state_code": state,
                    "extract_date": date,
                    "expectation_type": gx.expectation_type,
                    "column": check.column,
                    "kwargs": kwargs,
                    "severity": check.severity,
                    "success": success,
                    "observed_value": observed,
                    "element_count": r.get(check.total) if check.total else None,
                    "unexpected_count": r.get(check.count) if check.count else None,
                    "details": json.dumps(details, default=str, sort_keys=True),
                }
            )
    return rows


def _verdicts(results: pl.DataFrame, targets: pl.DataFrame) -> list[LoadVerdict]:
    out = []
    by_load = {lid: grp for (lid,), grp in results.group_by("load_id")}
    for lid, state, date in targets.select("load_id", "state_code", "extract_date").iter_rows():
        grp = by_load.get(lid, pl.DataFrame(schema=results.schema))
        failed = grp.filter(~pl.col("success"))
        failures = tuple(
            FailedCheck(r["suite"], r["check_id"], r["severity"], r["column"], r["observed_value"])
            for r in failed.iter_rows(named=True)
        )
        notes = tuple(
            sorted(
                {
                    f"{r['suite']}: {r['observed_value']}"
                    for r in grp.iter_rows(named=True)
                    if not json.loads(r["details"]).get("judged", True)
                    and r["suite"] in ("volume", "crime_mix")
                }
            )
        )
        critical = [f for f in failures if f.severity == CRITICAL]
        warning = [f for f in failures if f.severity == WARNING]
        if critical:
            status, deciding = HELD, critical
        elif warning:
            status, deciding = WARNED, warning
        else:
            status, deciding = PASSED, []
        reason = "; ".join(f"{f.check_id}: {f.observed}" for f in deciding) or None
        if reason and len(reason) > REASON_MAX_CHARS:
            reason = reason[: REASON_MAX_CHARS - 1] + "…"
        out.append(LoadVerdict(lid, state, date, status, reason, failures, notes))
    return out


def run_upload_gate(
    paths: Paths,
    load_ids: Sequence[str] | None = None,
    *,
    force: bool = False,
    data_docs: bool = True,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Progress | None = None,
    chunk_loads: int = CHUNK_LOADS,
) -> GateReport:
    """Check committed loads and record their gate status.

    ``load_ids=None`` checks every committed data load not checked yet (REJECTED and DUPLICATE
    ledger outcomes carry no data and are never checked). A load already checked is skipped
    unless ``force``; a forced re-check records new results but keeps an operator's decision
    (RELEASED/REJECTED). Nothing to check: nothing is written and ``report.run_id`` is None.

    Loads are read and validated night by night in chunks of about ``chunk_loads`` loads (a
    backfill of a month does not hold the month in memory); a load held in an earlier chunk
    leaves the baselines of the later ones.
    """
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def tick(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - since
        return now

    def step(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    with store.locked(paths):
        t = time.perf_counter()
        ledger = lake.ledger(paths)
        status = store.read_status(paths)
        targets, skipped = _select_targets(ledger, status, load_ids, force)
        t = tick("plan", t)
        if targets.is_empty():
            return GateReport(None, None, skipped=skipped, seconds=time.perf_counter() - t0)
        targets = targets.sort("extract_date", "state_code", "sequence", "load_id")
        run_at = store.now_utc()
        run_id = store.new_run_id(run_at)
        chunks = _chunks(targets, chunk_loads)
        total_steps = len(chunks) * (len(UPLOAD_SUITES) + 1) + 2
        done = 0
        step("starting Great Expectations", done, total_steps)
        engine = GxRun(store.docs_site(paths, "upload_gate") if data_docs else None)
        t = tick("gx_setup", t)

        dirs = lake.load_dirs(paths)
        cols = read_columns(thresholds)
        excluded = set(status.filter(pl.col("status").is_in(list(EXCLUDED_STATUSES)))["load_id"].to_list())
        rows: list[dict[str, Any]] = []
        verdicts: list[LoadVerdict] = []
        for ci, chunk in enumerate(chunks):
            done += 1
            step(f"reading the lake ({chunk.height} loads)", done, total_steps)
            target_dirs = [dirs[lid] for lid in chunk["load_id"].to_list()]
            batch = UploadBatch(
                targets=chunk,
                ledger=ledger,
                tables={e: lake.read_entity(target_dirs, e, c) for e, c in cols.items()},
                excluded_history=excluded,
                thresholds=thresholds,
                lake_dirs=list(dirs.values()),
            )
            batch.profiles = _load_profiles(paths, batch, dirs, cols)
            t = tick("read", t)
            meta = {
                lid: (state, date)
                for lid, state, date in chunk.select("load_id", "state_code", "extract_date").iter_rows()
            }
            chunk_rows: list[dict[str, Any]] = []
            for suite in UPLOAD_SUITES:
                done += 1
                step(f"suite {suite.NAME}", done, total_steps)
                checks = suite.checks(thresholds)
                frame = suite.metrics(batch)
                t = tick(f"metrics:{suite.NAME}", t)
                name = suite.NAME if len(chunks) == 1 else f"{suite.NAME}_part{ci + 1}"
                outcome = engine.validate_checks(name, frame, checks)
                t = tick(f"gx:{suite.NAME}", t)
                chunk_rows += _per_load_rows(frame, checks, outcome, meta, run_id, run_at)
            chunk_verdicts = _verdicts(pl.DataFrame(chunk_rows, schema=store.RESULT_SCHEMA), chunk)
            # a night held here is no baseline for the later nights of this run
            excluded |= {v.load_id for v in chunk_verdicts if v.status == HELD}
            rows += chunk_rows
            verdicts += chunk_verdicts
        results = pl.DataFrame(rows, schema=store.RESULT_SCHEMA)

        step("writing results", done + 1, total_steps)
        results_file = store.write_results(paths, run_id, results)
        keep = set(status.filter(pl.col("status").is_in(list(OPERATOR_STATUSES)))["load_id"].to_list())
        # a load the build held stays held until an operator decides (the gate cannot see why)
        keep |= set(
            status.filter((pl.col("status") == HELD) & (pl.col("decided_by") == BUILD_DECIDER))[
                "load_id"
            ].to_list()
        )
        new_status = pl.DataFrame(
            [
                {
                    "load_id": v.load_id,
                    "state_code": v.state_code,
                    "extract_date": v.extract_date,
                    "status": v.status,
                    "reason": v.reason,
                    "decided_at": run_at,
                    "decided_by": "gate",
                    "run_id": run_id,
                }
                for v in verdicts
                if v.load_id not in keep
            ],
            schema=store.STATUS_SCHEMA,
        )
        if not new_status.is_empty():
            store.upsert_status(paths, new_status)
        t = tick("write", t)
        docs = None
        if data_docs:
            step("rendering Data Docs", done + 1, total_steps)
            if engine.build_docs() is not None:
                docs = store.write_docs_index(paths)
            t = tick("data_docs", t)
        step("done", total_steps, total_steps)
    return GateReport(
        run_id,
        run_at,
        verdicts,
        skipped,
        time.perf_counter() - t0,
        results_file,
        docs,
        timings,
    )


# --------------------------------------------------------------------------------------------
# Status and operator actions
# --------------------------------------------------------------------------------------------
def batch_status(paths: Paths) -> pl.DataFrame:
    """Current gate status of every checked load (one row per load; empty before the first run)."""
    return store.read_status(paths)


def excluded_loads(paths: Paths) -> set[str]:
    """Loads the warehouse build must leave out: HELD or REJECTED (they stay in the lake)."""
    f = paths.quality / store.STATUS_FILE
    if not f.is_file():
        return set()
    st = pl.read_parquet(f, columns=["load_id", "status"])
    return set(st.filter(pl.col("status").is_in(list(EXCLUDED_STATUSES)))["load_id"].to_list())


def gate_results(paths: Paths) -> pl.DataFrame:
    """Every stored expectation result (upload and mart suites), for dashboards and reports."""
    return store.read_results(paths)


def _decide(paths: Paths, load_id: str, by: str, note: str, new_status: str, action: str) -> dict[str, Any]:
    by, note = (by or "").strip(), (note or "").strip()
    if not by:
        raise GateError(f"{action}: say who decides (--by NAME)")
    if not note:
        raise GateError(f"{action}: give the reason for the decision (--note TEXT)")
    with store.locked(paths):
        status = store.read_status(paths)
        row = status.filter(pl.col("load_id") == load_id)
        if row.is_empty():
            raise GateError(f"{action}: load {load_id} has no gate status (not checked yet, or unknown)")
        current = row.row(0, named=True)
        if current["status"] != HELD:
            raise GateError(
                f"{action}: load {load_id} is {current['status']}; only a {HELD} batch can be "
                f"{'released' if new_status == RELEASED else 'rejected'}"
            )
        at = store.now_utc()
        reason = f"{action} by {by}: {note} (held for: {current['reason']})"
        updated = {**current, "status": new_status, "reason": reason, "decided_at": at, "decided_by": by}
        store.upsert_status(paths, pl.DataFrame([updated], schema=store.STATUS_SCHEMA))
        record = {
            "at": at.isoformat(),
            "action": action,
            "load_id": load_id,
            "state_code": current["state_code"],
            "extract_date": current["extract_date"],
            "from_status": current["status"],
            "to_status": new_status,
            "by": by,
            "note": note,
            "held_reason": current["reason"],
            "gate_run_id": current["run_id"],
        }
        store.append_decision(paths, record)
    return updated


def release(paths: Paths, load_id: str, by: str, note: str) -> dict[str, Any]:
    """An operator releases a HELD load: the next warehouse build publishes it."""
    return _decide(paths, load_id, by, note, RELEASED, "release")


def reject(paths: Paths, load_id: str, by: str, note: str) -> dict[str, Any]:
    """An operator rejects a HELD load: never published (it stays in the lake); the State resends."""
    return _decide(paths, load_id, by, note, REJECTED, "reject")


def write_hold_notice(paths: Paths, row: dict[str, Any]) -> Path:
    """``outbox/<SS>/<load_id>_held.csv``: why the load is held (no data values, only the reason)."""
    folder = paths.outbox / str(row["state_code"])
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{row['load_id']}_held.csv"
    text = safe_text.csv_text([[_plain(row.get(k)) for k in HELD_NOTICE_FIELDS]], header=HELD_NOTICE_FIELDS)
    atomic_write(out, text)
    return out


def hold_from_build(paths: Paths, holds: Sequence[dict[str, Any]], build_id: str) -> list[dict[str, Any]]:
    """Hold loads whose data broke the national build (status HELD, ``decided_by`` ``"build"``).

    ``holds``: one dict per load with ``load_id``, ``state_code``, ``extract_date`` and ``reason``
    (the failing dbt test or mart check and a short detail). A load already REJECTED stays
    rejected. Each hold is appended to ``decisions.jsonl`` and told to the State in
    ``outbox/<SS>/<load_id>_held.csv``. Returns the status rows written.
    """
    if not holds:
        return []
    written: list[dict[str, Any]] = []
    with store.locked(paths):
        status = store.read_status(paths)
        current = {r["load_id"]: r for r in status.iter_rows(named=True)}
        at = store.now_utc()
        for h in holds:
            lid = str(h["load_id"])
            before = current.get(lid)
            if before is not None and before["status"] == REJECTED:
                continue
            reason = str(h["reason"])
            if len(reason) > REASON_MAX_CHARS:
                reason = reason[: REASON_MAX_CHARS - 1] + "…"
            date = h.get("extract_date") or (before or {}).get("extract_date")
            if isinstance(date, str):
                date = dt.date.fromisoformat(date[:10])
            written.append(
                {
                    "load_id": lid,
                    "state_code": str(h.get("state_code") or (before or {}).get("state_code")),
                    "extract_date": date,
                    "status": HELD,
                    "reason": reason,
                    "decided_at": at,
                    "decided_by": BUILD_DECIDER,
                    "run_id": build_id,
                }
            )
        if not written:
            return []
        store.upsert_status(paths, pl.DataFrame(written, schema=store.STATUS_SCHEMA))
        for row in written:
            before = current.get(row["load_id"])
            store.append_decision(
                paths,
                {
                    "at": at.isoformat(),
                    "action": "hold",
                    "load_id": row["load_id"],
                    "state_code": row["state_code"],
                    "extract_date": row["extract_date"],
                    "from_status": before["status"] if before else None,
                    "to_status": HELD,
                    "by": BUILD_DECIDER,
                    "note": row["reason"],
                    "held_reason": row["reason"],
                    "gate_run_id": build_id,
                },
            )
    for row in written:
        write_hold_notice(paths, row)
    return written


__all__ = [
    "BUILD_DECIDER",
    "FailedCheck",
    "GateError",
    "GateReport",
    "LoadVerdict",
    "batch_status",
    "excluded_loads",
    "gate_results",
    "hold_from_build",
    "reject",
    "release",
    "run_upload_gate",
]
