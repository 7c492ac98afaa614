"""What the Airflow DAGs in ``dags/`` call: the same package code the ``cctns`` command line runs.

Two kinds of names live here:

* **Light, parse-time names** (constants, :func:`state_codes`, :func:`state_asset_uri`,
  :func:`default_args`, :func:`dbt_manifest_path`): the DAG files import them at module level, so
  this module imports nothing but the standard library and :mod:`core.settings` at module
  level. Keep it that way: the DAG processor re-imports every DAG file every few seconds.
* **Task bodies** (:func:`find_new_uploads`, :func:`ingest_upload`, :func:`run_gate`,
  :func:`prepare_build`, :func:`finalize_build`): each imports what it needs (Polars, DuckDB,
  the ingestion, quality and warehouse packages) inside the function, and returns a small
  JSON-safe ``dict`` (Airflow keeps it as the task's XCom).

Uploads of one State must be applied in order (extract date, sequence): a FIR re-sent with a
higher ``record_version`` must come after the older one, or the older one is quarantined as
stale. Airflow runs mapped tasks in no guaranteed order (and a retried task runs after its
siblings), so each mapped ingest task first ingests the pending uploads of its State that sort
before it (:func:`find_new_uploads` lists them in ``after``). Ingestion skips an upload it has
already processed, so whichever task gets to an upload first applies it, exactly once.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from core import settings
from core.fs import atomic_write
from core.settings import Paths

#: Pool (one slot) serialising writers of the lake and of ``ops/index.duckdb`` (ingestion).
LAKE_POOL = "cctns_lake_writer"
#: Pool (one slot) serialising writers of warehouse DuckDB files (candidate build, dbt, publish).
WAREHOUSE_POOL = "cctns_warehouse_writer"
#: Every pool the DAGs use, with one slot each, and what it protects.
POOLS: dict[str, str] = {
    LAKE_POOL: "one ingest at a time: the lake commit and the version index (ops/index.duckdb)",
    WAREHOUSE_POOL: "one DuckDB writer at a time on warehouse files: prepare, dbt build, publish, retention",
}
#: Asset URI of one State's lake partition: ``cctns://lake/state/09``.
STATE_ASSET_PREFIX = "cctns://lake/state/"
#: Asset alias through which the mapped ingest tasks emit the event of their upload's State.
STATE_ALIAS = "cctns-state-loads"
#: Asset updated by every publication of the warehouse.
PUBLISHED_ASSET_URI = "cctns://warehouse/published"
#: Time zone of every schedule (the SCRBs upload on Indian time).
TIMEZONE = "Asia/Kolkata"
#: Environment variable setting the number of task retries.
ENV_RETRIES = settings.env_name("airflow_retries")
#: Environment variable overriding where the prepared dbt manifest lives.
ENV_DBT_MANIFEST = settings.env_name("dbt_manifest")
#: Ledger outcomes that change what a State has in the lake (a skipped upload changes nothing).
COMMITTED_OUTCOMES = ("LOADED", "LOADED_WITH_ERRORS", "REJECTED", "DUPLICATE")
_INBOX_CACHE = "inbox_hashes.json"
#: Uploads one ``cctns_ingest`` run maps at most (below Airflow's ``max_map_length`` of 1024).
MAX_UPLOADS_PER_RUN = 512


# --- parse-time helpers ---------------------------------------------------------------------------


def state_codes() -> list[str]:
    """The 36 State/UT codes of the reference master (read with :mod:`csv`: cheap at parse time)."""
    with (settings.SEEDS_DIR / "ref_states.csv").open(newline="", encoding="utf-8") as fh:
        return sorted(row["state_code"] for row in csv.DictReader(fh))


def state_asset_uri(state_code: str) -> str:
    """The Asset URI of a State's lake partition (``cctns://lake/state/09``)."""
    if len(state_code) != 2 or not state_code.isdigit():
        raise ValueError(f"a State code is two digits, got {state_code!r}")
    return f"{STATE_ASSET_PREFIX}{state_code}"


def retries_setting() -> int:
    """Task retries: ``$CCTNS_AIRFLOW_RETRIES`` (default 2; tests set 0 to fail fast)."""
    return int(settings.setting("airflow_retries"))


def default_args(
    retries: int | None = None, retry_minutes: float = 2.0, timeout_minutes: float = 60.0
) -> dict[str, Any]:
    """Default task arguments of every CCTNS DAG: owner, retries with back-off, a timeout."""
    return {
        "owner": "cctns",
        "retries": retries_setting() if retries is None else retries,
        "retry_delay": dt.timedelta(minutes=retry_minutes),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=30),
        "execution_timeout": dt.timedelta(minutes=timeout_minutes),
    }


def dbt_manifest_path(paths: Paths | None = None) -> Path:
    """Where :func:`cctns.dbt_manifest.prepare_manifest` writes the manifest cosmos renders from.

    ``$CCTNS_DBT_MANIFEST`` if set, else ``$CCTNS_HOME/warehouse/dbt_manifest/manifest.json``.
    """
    override = settings.setting("dbt_manifest")
    if override:
        return Path(override).expanduser().resolve()
    return (paths or settings.paths()).warehouse / "dbt_manifest" / "manifest.json"


def manifest_missing_message(manifest: Path | None = None) -> str:
    """What the nightly DAG says on a deployment whose dbt manifest was not prepared yet."""
    where = manifest or dbt_manifest_path()
    return (
        f"the dbt manifest {where} does not exist: this deployment is incomplete. Run the deployment "
        "step `cctns deploy` (or `make deploy`) with the same CCTNS_HOME / CCTNS_DBT_MANIFEST as Airflow; "
        "the DAG processor then renders the dbt tasks of cctns_nightly_build."
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


# --- cctns_ingest ---------------------------------------------------------------------------------


def _signature(path: Path) -> list[Any]:
    """Name, kind, size and mtime of an upload's entries (never following a link): if unchanged,
    its content hash is unchanged."""
    import stat as st_

    def sig(p: Path) -> list[Any]:
        try:
            st = os.lstat(p)
        except OSError as exc:
            return [p.name, "unreadable", exc.errno]
        return [p.name, st_.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns]

    try:
        if os.path.isdir(path) and not os.path.islink(path):
            return [sig(p) for p in sorted(path.iterdir())]
    except OSError as exc:
        return [[path.name, "unreadable", exc.errno]]
    return [sig(path)]


def _arrival_hashes(source: Any) -> list[str]:
    """The content hashes under which ingestion records an upload's arrival
    (:func:`ingestion.upload.arrival_hashes`: its files as opened, and its raw hash)."""
    from ingestion import upload as up

    return up.arrival_hashes(source)


def _known_arrivals(paths: Paths) -> set[tuple[str, str, str]]:
    """(State recorded under, source name, upload hash) of every committed load, read from the lake's
    commit markers (the State is the channel the upload came by: a forged copy elsewhere is not it)."""
    known = set()
    for marker in paths.lake.glob("state_code=*/load_id=*/_load.json"):
        try:
            led = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        known.add((str(led.get("state_code")), str(led.get("source_name")), str(led.get("upload_hash"))))
    return known


def find_new_uploads(paths: Paths | None = None, limit: int = MAX_UPLOADS_PER_RUN) -> list[dict[str, Any]]:
    """Uploads in ``paths.inbox`` not ingested yet, in the order they must be applied.

    Each item: ``upload`` (its path), ``upload_id``, ``state_code`` (``None`` if the name is not
    ``SS_YYYYMMDD_NN``) and ``after``: the pending uploads of the same State that must be
    applied before it. At most ``limit`` uploads, the first in that order (Airflow maps at most
    ``[core] max_map_length``, 1024, task instances; the next run takes the rest). Content hashes
    are cached by file size and mtime in ``ops/inbox_hashes.json``, so a poll of an inbox that
    keeps every upload ever received only stats the files it has seen before.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    from core import extract_spec as spec
    from ingestion import upload as up
    from ingestion.pipeline import ledger_state

    paths = (paths or settings.paths()).ensure()
    cache_file = paths.home / "ops" / _INBOX_CACHE
    try:
        cache: dict[str, Any] = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    known = _known_arrivals(paths)
    new_cache: dict[str, Any] = {}
    pending: list[dict[str, Any]] = []
    last_of_state: dict[str, list[str]] = {}
    for source in up.discover([paths.inbox]):
        sig = _signature(source.path)
        key = f"{source.channel or '-'}/{source.source_name}"
        entry = cache.get(key)
        if not entry or entry.get("signature") != sig:
            entry = {"signature": sig, "hashes": _arrival_hashes(source)}
        new_cache[key] = entry
        recorded_as = ledger_state(source)
        if (
            any((recorded_as, source.source_name, h) in known for h in entry["hashes"])
            or len(pending) >= limit
        ):
            continue
        m = spec.UPLOAD_NAME_RE.match(source.upload_id)
        state = source.channel or (m["state"] if m else None)
        before = list(last_of_state.get(state, [])) if state else []
        pending.append(
            {
                "upload": str(source.path),
                "upload_id": source.upload_id,
                "state_code": state,
                "channel": source.channel,
                "after": before,
            }
        )
        if state:
            last_of_state.setdefault(state, []).append(str(source.path))
    atomic_write(cache_file, json.dumps(new_cache, sort_keys=True))
    return pending


_SUMMARY_FIELDS = (
    "load_id",
    "upload_id",
    "source_name",
    "state_code",
    "extract_date",
    "outcome",
    "reject_codes",
    "rows_in",
    "rows_loaded",
    "rows_quarantined",
    "fir_docs_in",
    "fir_docs_applied",
    "errors",
    "warnings",
    "seconds",
)


def _load_summary(summary: Any) -> dict[str, Any]:
    led = summary.ledger
    out = {k: _jsonable(led.get(k)) for k in _SUMMARY_FIELDS}
    out["outcome"] = summary.outcome
    return out


def ingest_upload(item: dict[str, Any], paths: Paths | None = None) -> dict[str, Any]:
    """Ingest one upload (after any pending predecessor of its State); return what happened.

    Returns the upload's load summary (``outcome`` ``SKIPPED`` if it had already been ingested)
    with ``predecessors``: the summaries of the earlier uploads this call had to apply first.
    Raises whatever ingestion raises on a bug (``InvariantError``) or when another ingest holds
    the lock (``RuntimeError``): Airflow retries it.
    """
    from ingestion.pipeline import Ingestor
    from ingestion.upload import UploadSource

    paths = (paths or settings.paths()).ensure()
    targets = [Path(os.path.abspath(p)) for p in [*(item.get("after") or []), item["upload"]]]
    missing = [str(p) for p in targets if not os.path.lexists(p)]
    if missing:
        raise FileNotFoundError(f"upload(s) no longer in the inbox: {', '.join(missing)}")
    # What Ingestor.run does, for exactly these uploads (a malformed upload folder, e.g. one
    # without its manifest, must be ingested, and rejected, as itself, not searched for uploads).
    ingestor = Ingestor(paths)
    summaries = []
    with ingestor.store.lock():
        try:
            ingestor.store.recover()
            ingestor.store.ensure_feedback()
            for target in targets:
                # The channel is the folder the upload lies in (inbox/<SS>/), as discovery found it.
                channel = item.get("channel") if "channel" in item else _channel_of(target, paths)
                summaries.append(ingestor.ingest_upload(UploadSource(target, channel)))
        finally:
            ingestor.store.close()
    own, earlier = summaries[-1], summaries[:-1]
    result = _load_summary(own)
    result["predecessors"] = [_load_summary(s) for s in earlier if not s.skipped]
    return result


def _channel_of(target: Path, paths: Paths) -> str | None:
    """The channel of an upload in the inbox: its folder's name if that is ``inbox/<SS>``."""
    parent = target.parent
    return (
        parent.name
        if parent.parent == Path(os.path.abspath(paths.inbox)) and parent.name in state_codes()
        else None
    )


def changed_states(result: dict[str, Any]) -> list[str]:
    """States whose lake a mapped ingest result changed (its own upload and its predecessors')."""
    states = {
        r["state_code"]
        for r in (result, *result.get("predecessors", []))
        if r.get("outcome") in COMMITTED_OUTCOMES and r.get("state_code")
    }
    return sorted(states)


# --- cctns_nightly_build ----------------------------------------------------------------------------


def run_gate(paths: Paths | None = None) -> dict[str, Any]:
    """Run the upload quality gate on every load not checked yet; summarise the verdicts."""
    from quality.gate import run_upload_gate

    paths = (paths or settings.paths()).ensure()
    report = run_upload_gate(paths)
    return {
        "run_id": report.run_id,
        "checked": len(report.verdicts),
        "passed": len(report.passed),
        "warned": len(report.warned),
        "held": report.held,
        "seconds": round(report.seconds, 2),
    }


def prepare_build(paths: Paths | None = None, mode: str = "auto") -> dict[str, Any]:
    """Plan the build and create its candidate (see :func:`warehouse.build.prepare`).

    Returns ``{"plan": BuildPlan.to_dict(), "home", "candidate", "dbt_flags": [...], "full_refresh": bool}``:
    the dbt tasks read ``home``, ``candidate`` and ``full_refresh`` from it.
    """
    from warehouse.build import build_lock, prepare, release_candidate

    if mode not in ("auto", "full", "incremental"):
        raise ValueError(f"build mode must be auto, full or incremental, got {mode!r}")

    paths = (paths or settings.paths()).ensure()
    with build_lock(paths, "cctns_nightly_build: prepare"):
        plan = prepare(paths, mode)  # type: ignore[arg-type]
    # The owner lock cannot outlive this task. Between tasks the candidate is protected by the
    # warehouse pool, max_active_runs=1 and the age floor of the stale-candidate sweep
    # (warehouse.publish.candidate_max_age, longer than the DAG's dagrun_timeout): a later build
    # removes it only once it is older than that.
    release_candidate(plan.candidate)
    return {
        "plan": plan.to_dict(),
        "home": str(paths.home),
        "candidate": plan.candidate,
        "dbt_flags": plan.dbt_flags,
        "full_refresh": "--full-refresh" in plan.dbt_flags,
    }


def close_dbt_duckdb() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in this process after an in-process run.

    Cosmos's ``InvocationMode.DBT_RUNNER`` runs dbt inside the task's process; where tasks share
    a process (``dag.test()``), the candidate must be closed before it is finalised. A no-op if
    dbt was never loaded here.
    """
    if "dbt.adapters.duckdb.connections" not in sys.modules:
        return
    from warehouse.build import close_dbt_duckdb as close_in_process

    close_in_process()


def finalize_build(prepared: dict[str, Any], paths: Paths | None = None) -> dict[str, Any]:
    """After dbt: freeze, run the mart quality suites, publish (:func:`warehouse.build.finalize`).

    A critical mart check that traces to loads of this build holds them and rebuilds without
    them (:func:`rebuild_isolated`); one that traces to none fails the task, nothing published.
    """
    from warehouse.build import (
        BuildPlan,
        MartChecksFailed,
        blame_mart_failure,
        build_lock,
        discard,
        finalize,
        hold_blamed,
    )

    paths = (paths or settings.paths()).ensure()
    close_dbt_duckdb()
    plan = BuildPlan.from_dict(prepared["plan"])
    with build_lock(paths, "cctns_nightly_build: publish"):
        try:
            result = finalize(paths, plan)
        except MartChecksFailed as exc:
            blame = blame_mart_failure(plan, exc)  # raises NotAttributable (a BuildError) if none
            hold_blamed(paths, plan, blame)
            discard(plan.candidate)
            out = rebuild_isolated(paths, run_gate_first=False)
            out["loads_held"] = {**blame, **out["loads_held"]}
            out["rounds"] += 1
            return out
    return _build_summary(result)


def dbt_step_failed(ti: Any, producer_task_id: str) -> bool:
    """Did the dbt step of this DAG run itself fail (not merely never run)?

    ``cctns_nightly_build``'s ``isolate_and_rebuild`` runs on ``all_done`` and asks this: only a
    dbt producer in state ``failed`` means dbt ran and a node failed. ``upstream_failed`` (the
    gate or ``prepare`` failed), ``success`` or ``skipped`` mean there is nothing to isolate.
    ``ti`` is the running task instance (Airflow 3: its states come from the execution API).
    """
    states = ti.get_task_states(dag_id=ti.dag_id, task_ids=[producer_task_id], run_ids=[ti.run_id])
    state = (states.get(ti.run_id) or {}).get(producer_task_id)
    return str(getattr(state, "value", state)) == "failed"


def rebuild_isolated(
    paths: Paths | None = None, mode: str = "auto", *, run_gate_first: bool = True
) -> dict[str, Any]:
    """The whole build in this task, with fault isolation (:func:`warehouse.build.build`).

    ``cctns_nightly_build`` runs it when its dbt build failed: the failing data tests are traced
    to the loads responsible, those are held, and the rest is published. The failed run's
    candidate is removed as stale by a later build once older than the age floor.
    """
    from warehouse.build import build

    if mode not in ("auto", "full", "incremental"):
        raise ValueError(f"build mode must be auto, full or incremental, got {mode!r}")
    paths = (paths or settings.paths()).ensure()
    close_dbt_duckdb()
    if run_gate_first:
        run_gate(paths)  # a no-op when the gate task already checked every load
    return _build_summary(build(paths, mode))  # type: ignore[arg-type]


def _build_summary(result: Any) -> dict[str, Any]:
    pub = result.published
    return {
        "build_id": result.build_id,
        "mode": result.mode,
        "loads_total": result.loads_total,
        "loads_in_build": result.loads_in_build,
        "loads_new": result.loads_new,
        "loads_excluded": result.loads_excluded,
        "version_id": pub.version_id if pub is not None else None,
        "tables": dict(pub.tables) if pub is not None else {},
        "seconds": result.seconds,
        "loads_held": dict(result.loads_held),
        "rounds": result.rounds,
    }


__all__ = [
    "COMMITTED_OUTCOMES",
    "LAKE_POOL",
    "MAX_UPLOADS_PER_RUN",
    "POOLS",
    "PUBLISHED_ASSET_URI",
    "STATE_ALIAS",
    "STATE_ASSET_PREFIX",
    "TIMEZONE",
    "WAREHOUSE_POOL",
    "changed_states",
    "close_dbt_duckdb",
    "dbt_manifest_path",
    "dbt_step_failed",
    "default_args",
    "finalize_build",
    "find_new_uploads",
    "ingest_upload",
    "manifest_missing_message",
    "prepare_build",
    "rebuild_isolated",
    "retries_setting",
    "run_gate",
    "state_asset_uri",
    "state_codes",
]
