"""Atomic publication of the DuckDB warehouse: versions, rollback, retention, read-only readers.

DuckDB allows one writer or many readers of a file, never both. So the build never writes the
file readers open: it writes a *candidate* in ``builds/``, and :func:`publish` turns the
finished candidate into a new immutable *version* and makes it current in one atomic step.

Layout under ``paths().warehouse``::

    builds/<name>.duckdb            candidates being built (see new_candidate); never read by readers
    versions/<version_id>.duckdb    every published version, read-only (mode 0444), never modified
    versions/<version_id>.json      its metadata: published_at, previous, build_info, table counts
    current.duckdb                  a hard link to the current version: the stable published path
    CURRENT.json                    which version is current, since when, how (publish / rollback)
    publish_log.jsonl               append-only history of publish, rollback, recovery, retention
    .publish.lock                   flock held by every writer (publish, rollback, retention)

``version_id`` is ``YYYYmmddTHHMMSSZ-<6 hex>`` (UTC), strictly increasing, so it sorts in
publication order (a publish within the same second as the last one, or after the clock stepped
back, gets the last id's second plus one).

**The commit point** is one ``os.replace`` of a fresh hard link onto ``current.duckdb``.
:func:`publish`:

1. verifies the candidate outside the lock: a read-only probe (fails clearly if the candidate is
   still open for writing, in this process or another), a read-write open to ``CHECKPOINT``
   (so no ``.wal`` is left), then a read-only open that lists tables and counts the rows of the
   required ones, exactly as a reader would; then fsyncs the file;
2. under the lock: writes ``versions/<id>.json`` (``published_at: null``), renames the candidate
   to ``versions/<id>.duckdb`` (a rename: no copy, whatever the size) and fsyncs the folders;
3. links ``versions/<id>.duckdb`` to ``.current.duckdb.tmp-<pid>`` and ``os.replace``-s it onto
   ``current.duckdb``, then fsyncs the folder. **This is the commit.**
4. marks the sidecar published, writes ``CURRENT.json`` (tmp + fsync + replace), appends to
   ``publish_log.jsonl`` and applies retention.

The truth about which version is current is the *inode* of ``current.duckdb``: it is the inode
of exactly one ``versions/<id>.duckdb``. ``CURRENT.json`` and the sidecar's ``published_at`` are
derived, and every writer first runs a recovery step that repairs them after a crash between
the commit and step 4 (and removes temporary links). A crash before the commit leaves the
previous version served and, at worst, an unpublished orphan in ``versions/`` that retention
deletes. ``tests/warehouse/test_publish.py`` kills a publishing process with SIGKILL at every
named point (``CCTNS_CRASH_AT=publish:<point>`` / ``rollback:<point>``) and checks that readers
get a complete version at once, and that the next publish and rollback work.

**Readers** (:func:`connect_readonly`, :class:`PublishedReader`) resolve ``current.duckdb`` to
its version and open ``versions/<id>.duckdb`` with ``read_only=True``: the same file (same
inode), but under a path unique to the version. That matters because DuckDB's Python API keeps
one database instance per canonical path per process: a second ``duckdb.connect(
"current.duckdb")`` while an earlier connection is still open would silently return the *old*
instance after a swap. Version files never change once published, so a reader always sees one
complete version; on Linux a reader that has a version open keeps reading it even after
retention deletes its last name. External tools may open ``current.duckdb`` directly
(``duckdb -readonly $CCTNS_HOME/warehouse/current.duckdb``): the swap is atomic for them too.

Hard links require ``builds/``, ``versions/`` and ``current.duckdb`` on one filesystem that
supports them (every local Linux filesystem does): :func:`publish` fails clearly otherwise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from core import settings
from core.fs import append_line, atomic_path, atomic_write, crashpoint, file_lock, fsync_path
from core.settings import Paths

log = logging.getLogger(__name__)

ENV_KEEP_VERSIONS = settings.env_name("keep_versions")
DEFAULT_KEEP_VERSIONS: int = settings.Settings.model_fields["keep_versions"].default
#: Candidates in ``builds/`` untouched (file, ``.wal``, ``.tmp``, ``.owner``) for longer than this are
#: stale (retention deletes them; a build deletes them if their owner lock is free). A candidate of
#: the nightly DAG has no owner lock between its tasks (prepare → dbt → publish, each waiting for the
#: warehouse pool), so the floor must outlast a whole DAG run: ``cctns_nightly_build`` has a
#: ``dagrun_timeout`` of 6 hours; 9 hours leaves 3 hours of margin. ``CCTNS_CANDIDATE_MAX_AGE_HOURS``
#: overrides it (see :func:`candidate_max_age`).
CANDIDATE_MAX_AGE_SECONDS: float = settings.Settings.model_fields["candidate_max_age_hours"].default * 3600.0
ENV_CANDIDATE_MAX_AGE = settings.env_name("candidate_max_age_hours")
VERSION_ID_RE = re.compile(r"^(\d{8}T\d{6})Z-[0-9a-f]{6}$")
_TS_FORMAT = "%Y%m%dT%H%M%S"
_FICLONE = 0x40049409  # ioctl: reflink copy (btrfs, xfs, bcachefs); falls back to a plain copy


class PublishError(RuntimeError):
    """Publishing, rolling back or reading the published warehouse failed."""


class NothingPublishedError(PublishError):
    """No version has been published yet."""


class NothingToRollBackError(PublishError):
    """The current version has no previous version to go back to."""


class CandidateError(PublishError):
    """The candidate file cannot be published (missing, open, not DuckDB, tables missing)."""


# --- layout and small file helpers ------------------------------------------------------------------


@dataclass(frozen=True)
class WarehouseLayout:
    """The files of the published warehouse under ``paths().warehouse``."""

    root: Path

    @property
    def builds(self) -> Path:
        return self.root / "builds"

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def current(self) -> Path:
        """The published file: a hard link to the current ``versions/<id>.duckdb``."""
        return self.root / "current.duckdb"

    @property
    def current_json(self) -> Path:
        return self.root / "CURRENT.json"

    @property
    def log(self) -> Path:
        return self.root / "publish_log.jsonl"

    @property
    def lock(self) -> Path:
        return self.root / ".publish.lock"

    def version_db(self, version_id: str) -> Path:
        return self.versions / f"{version_id}.duckdb"

    def version_meta(self, version_id: str) -> Path:
        return self.versions / f"{version_id}.json"

    def ensure(self) -> WarehouseLayout:
        for p in (self.root, self.builds, self.versions):
            p.mkdir(parents=True, exist_ok=True)
        return self


def layout(paths: Paths | None = None) -> WarehouseLayout:
    """The warehouse layout of ``paths`` (default: ``$CCTNS_HOME``)."""
    return WarehouseLayout((paths or settings.paths()).warehouse)


def _atomic_write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as JSON to ``path`` via a temporary file, fsync and ``os.replace``."""
    atomic_write(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_iso(value: Any) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _append_log(lay: WarehouseLayout, event: Mapping[str, Any]) -> None:
    """Append one JSON line to ``publish_log.jsonl`` (fsynced; repairs a line torn by a crash)."""
    append_line(lay.log, json.dumps(event, sort_keys=True, default=str))


@contextlib.contextmanager
def _locked(lay: WarehouseLayout) -> Iterator[None]:
    """Hold the writers' lock: one publish, rollback or retention at a time (across processes)."""
    lay.ensure()
    with file_lock(lay.lock):
        yield


def keep_versions_setting() -> int:
    """How many versions retention keeps: ``$CCTNS_KEEP_VERSIONS`` (default 5, at least 1)."""
    return int(settings.setting("keep_versions", error=PublishError))


# --- versions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedVersion:
    """One published version of the warehouse."""

    version_id: str
    path: Path  #: ``versions/<version_id>.duckdb`` (open it read-only; never write to it)
    published_at: dt.datetime | None  #: when it was first made current
    previous: str | None  #: the version that was current when this one was published
    build_info: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)  #: row counts of the required tables
    size_bytes: int = 0
    is_current: bool = False


def _version_from_meta(
    lay: WarehouseLayout, meta: Mapping[str, Any], current_id: str | None
) -> PublishedVersion:
    vid = str(meta["version_id"])
    db = lay.version_db(vid)
    try:
        size = db.stat().st_size
    except FileNotFoundError:
        size = 0
    return PublishedVersion(
        version_id=vid,
        path=db,
        published_at=_parse_iso(meta.get("published_at")),
        previous=meta.get("previous"),
        build_info=dict(meta.get("build_info") or {}),
        tables={str(k): int(v) for k, v in (meta.get("tables") or {}).items()},
        size_bytes=size,
        is_current=vid == current_id,
    )


def _version_ids_on_disk(lay: WarehouseLayout) -> set[str]:
    """Every version id with a ``.duckdb`` or ``.json`` file in ``versions/``."""
    if not lay.versions.is_dir():
        return set()
    ids = set()
    for p in lay.versions.iterdir():
        if p.suffix in (".duckdb", ".json") and VERSION_ID_RE.match(p.stem):
            ids.add(p.stem)
    return ids


def _resolve_current(lay: WarehouseLayout) -> tuple[str, os.stat_result] | None:
    """The version ``current.duckdb`` is a link to, found by inode, and its stat (``None``: unpublished).

    Lock-free and read-only, so readers can use it: ``CURRENT.json`` is only a hint (it lags
    the commit for a moment, and after a crash until the next writer repairs it).
    """
    try:
        st = os.stat(lay.current)
    except FileNotFoundError:
        return None
    hint = (_read_json(lay.current_json) or {}).get("version_id")
    ids = sorted(_version_ids_on_disk(lay), reverse=True)
    if isinstance(hint, str) and hint in ids:
        ids.remove(hint)
        ids.insert(0, hint)
    for vid in ids:
        try:
            vst = os.stat(lay.version_db(vid))
        except FileNotFoundError:
            continue
        if (vst.st_dev, vst.st_ino) == (st.st_dev, st.st_ino):
            return vid, st
    raise PublishError(
        f"{lay.current} is not a hard link to any file in {lay.versions}: the warehouse folder was "
        "modified by hand; restore it or publish a new build"
    )


def current(paths: Paths) -> PublishedVersion | None:
    """The version readers are served now, or ``None`` if nothing was published yet."""
    lay = layout(paths)
    res = _resolve_current(lay)
    if res is None:
        return None
    vid = res[0]
    meta = _read_json(lay.version_meta(vid)) or {"version_id": vid}
    return _version_from_meta(lay, meta, vid)


def list_versions(paths: Paths) -> list[PublishedVersion]:
    """Every published version still kept, oldest first (``is_current`` marks the served one)."""
    lay = layout(paths)
    res = _resolve_current(lay)
    cur = res[0] if res else None
    out = []
    for vid in sorted(_version_ids_on_disk(lay)):
        meta = _read_json(lay.version_meta(vid))
        if not lay.version_db(vid).exists() or (meta is None and vid != cur):
            continue
        meta = meta or {"version_id": vid}
        if meta.get("published_at") is None and vid != cur:
            continue  # an orphan of a publish that crashed before its commit: never served
        out.append(_version_from_meta(lay, meta, cur))
    return out


def _read_log(lay: WarehouseLayout) -> list[dict[str, Any]]:
    """The events of ``publish_log.jsonl``, oldest first (a line torn by a crash is skipped)."""
    try:
        lines = lay.log.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict):
                out.append(event)
    return out


def history(paths: Paths) -> list[dict[str, Any]]:
    """The publish, rollback, recovery and retention events, oldest first."""
    return _read_log(layout(paths))


def _new_version_id(lay: WarehouseLayout) -> str:
    """A new id, later than every existing one even if the clock stepped back or within one second."""
    ts = _now().replace(microsecond=0, tzinfo=None)
    existing = [m.group(1) for v in _version_ids_on_disk(lay) if (m := VERSION_ID_RE.match(v))]
    if existing:
        latest = dt.datetime.strptime(max(existing), _TS_FORMAT)
        if ts <= latest:
            ts = latest + dt.timedelta(seconds=1)
    return f"{ts.strftime(_TS_FORMAT)}Z-{secrets.token_hex(3)}"


# --- candidates ------------------------------------------------------------------------------------


def _copy_file(src: Path, dst: Path) -> None:
    """Copy ``src`` to a new ``dst`` (reflink when the filesystem can, else an in-kernel copy)."""
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        try:
            fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
        except OSError:
            fout.truncate(0)
            _sendfile_all(fin.fileno(), fout.fileno(), os.fstat(fin.fileno()).st_size)
        fout.flush()
        os.fsync(fout.fileno())


def _sendfile_all(fd_in: int, fd_out: int, size: int) -> None:
    offset = 0
    while offset < size:
        sent = os.sendfile(fd_out, fd_in, offset, min(size - offset, 1 << 30))
        if sent == 0:
            break
        offset += sent


def new_candidate(paths: Paths, *, copy_current: bool) -> Path:
    """A fresh candidate path in ``builds/`` for the next build to write.

    With ``copy_current=True`` the candidate starts as a copy of the current published version
    (the nightly incremental build appends to it; the published file is never touched);
    otherwise it does not exist yet. Close every connection to it before :func:`publish`.
    """
    lay = layout(paths).ensure()
    name = f"cand-{_now().strftime(_TS_FORMAT)}Z-{secrets.token_hex(3)}.duckdb"
    cand = lay.builds / name
    if not copy_current:
        return cand
    res = _resolve_current(lay)
    if res is None:
        raise NothingPublishedError(
            f"nothing is published in {lay.root} yet, so there is no current version to copy: "
            "run a full build (copy_current=False)"
        )
    tmp = lay.builds / f".{name}.copy-{os.getpid()}"
    try:
        _copy_file(lay.version_db(res[0]), tmp)
        os.chmod(tmp, 0o644)
        os.rename(tmp, cand)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return cand


def _split_table(name: str) -> tuple[str | None, str]:
    schema, _, table = name.rpartition(".")
    return (schema or None), table


def _verify_candidate(candidate: Path, required_tables: Iterable[str]) -> tuple[dict[str, int], int]:
    """Checkpoint the candidate and check it as a reader would; return required row counts, table count."""
    db = str(candidate)

    def refuse(stage: str, exc: duckdb.Error) -> CandidateError:
        if isinstance(exc, duckdb.ConnectionException) and "different configuration" in str(exc):
            return CandidateError(
                f"{candidate} is still open in this process (for example by dbt-duckdb run "
                "in-process, or a quality check): close every connection to it before publish()"
            )
        return CandidateError(
            f"{candidate} failed at {stage} (not a DuckDB database, or still open for writing by "
            f"another process): {exc}"
        )

    try:  # a read-only probe: fails if the candidate is still open for writing anywhere
        duckdb.connect(db, read_only=True).close()
    except duckdb.Error as exc:
        raise refuse("a read-only open", exc) from exc
    try:
        con = duckdb.connect(db)
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except duckdb.Error as exc:
        raise refuse("CHECKPOINT", exc) from exc
    wal = Path(f"{db}.wal")
    if wal.exists():
        raise CandidateError(f"{wal} still exists after CHECKPOINT: is the candidate open elsewhere?")
    shutil.rmtree(Path(f"{db}.tmp"), ignore_errors=True)
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(db, read_only=True)
        try:
            rows = con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database()"
            ).fetchall()
            present = {(s, t) for s, t in rows}
            missing = []
            for name in required_tables:
                schema, table = _split_table(name)
                match = sorted((s, t) for s, t in present if t == table and (schema is None or s == schema))
                if not match:
                    missing.append(name)
                    continue
                s, t = match[0]
                counts[name] = int(con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0])  # type: ignore[index]
        finally:
            con.close()
    except duckdb.Error as exc:
        raise CandidateError(f"{candidate} is not a readable DuckDB database: {exc}") from exc
    if missing:
        raise CandidateError(f"{candidate} lacks the required tables {missing}: not published")
    fsync_path(candidate)
    return counts, len(present)


# --- publish, rollback, recovery, retention ----------------------------------------------------------


def _make_current(lay: WarehouseLayout, version_id: str, op: str) -> None:
    """The commit: atomically point ``current.duckdb`` at ``versions/<version_id>.duckdb``."""
    with atomic_path(lay.current) as tmp:
        try:
            os.link(lay.version_db(version_id), tmp)
        except OSError as exc:
            raise PublishError(
                f"cannot hard-link {lay.version_db(version_id)} to {tmp} ({exc.strerror}): the warehouse "
                "folder must be on a filesystem with hard links"
            ) from exc
        crashpoint(f"{op}:after_link")
    crashpoint(f"{op}:after_swap")


def _finalize(
    lay: WarehouseLayout, version_id: str, event: str, replaced: str | None, recovered: bool
) -> None:
    """Record that ``version_id`` is current: sidecar, ``CURRENT.json``, log (idempotent)."""
    now = _now()
    meta = _read_json(lay.version_meta(version_id)) or {"version_id": version_id, "build_info": {}}
    if meta.get("published_at") is None:
        meta["published_at"] = _iso(now)
        _atomic_write_json(lay.version_meta(version_id), meta)
    state = {
        "version_id": version_id,
        "path": str(lay.version_db(version_id).relative_to(lay.root)),
        "published_at": meta["published_at"],
        "current_since": _iso(now),
        "previous": meta.get("previous"),
        "event": event,
        "replaced": replaced,
        "rolled_back_from": replaced if event == "rollback" else None,
        "recovered": recovered,
        "build_info": meta.get("build_info") or {},
    }
    _atomic_write_json(lay.current_json, state)
    crashpoint(f"{event}:after_current_json")
    _append_log(
        lay,
        {
            "event": event,
            "at": _iso(now),
            "version_id": version_id,
            "replaced": replaced,
            "previous": meta.get("previous"),
            "recovered": recovered,
            "build_info": meta.get("build_info") or {},
        },
    )
    crashpoint(f"{event}:after_log")


def _recover(lay: WarehouseLayout) -> None:
    """Repair what a crash may leave (under the lock): temporary files, a stale ``CURRENT.json``."""
    for folder in (lay.root, lay.versions):
        if folder.is_dir():
            for p in folder.glob(".*.tmp-*"):
                p.unlink(missing_ok=True)
    res = _resolve_current(lay)
    if res is None:
        return
    vid = res[0]
    state = _read_json(lay.current_json) or {}
    meta = _read_json(lay.version_meta(vid)) or {}
    if state.get("version_id") != vid or meta.get("published_at") is None:
        # The commit happened but its bookkeeping did not: a publish if the version was never current.
        event = "publish" if meta.get("published_at") is None else "rollback"
        _finalize(lay, vid, event, replaced=state.get("version_id"), recovered=True)
        return
    last = next((e for e in reversed(_read_log(lay)) if e.get("event") in ("publish", "rollback")), None)
    if last is None or last.get("version_id") != vid:  # died between CURRENT.json and the log
        _append_log(
            lay,
            {
                "event": state.get("event", "publish"),
                "at": state.get("current_since"),
                "version_id": vid,
                "replaced": state.get("replaced"),
                "previous": meta.get("previous"),
                "recovered": True,
                "build_info": meta.get("build_info") or {},
            },
        )


def publish(
    paths: Paths,
    candidate: Path,
    build_info: Mapping[str, Any],
    *,
    required_tables: Iterable[str] = (),
    keep: int | None = None,
) -> PublishedVersion:
    """Publish a finished candidate as the new current version, atomically; return it.

    The candidate must be closed (no connection in any process), on the warehouse's filesystem
    (use :func:`new_candidate`) and contain ``required_tables`` (``"schema.table"`` or
    ``"table"``). It is checkpointed, verified, moved (not copied) into ``versions/`` and swapped
    in; then retention keeps ``keep`` versions (default ``$CCTNS_KEEP_VERSIONS``, 5). On any
    error before the swap nothing changes for readers and the candidate is left in place.
    """
    lay = layout(paths).ensure()
    candidate = Path(candidate).absolute()
    keep = keep_versions_setting() if keep is None else keep
    if keep < 1:
        raise PublishError(f"keep must be at least 1, got {keep}")
    if not isinstance(build_info, Mapping):
        raise TypeError(f"build_info must be a mapping, got {type(build_info).__name__}")
    info = json.loads(json.dumps(dict(build_info), default=str))
    if not candidate.is_file():
        raise CandidateError(f"candidate {candidate} does not exist or is not a file")
    if candidate.resolve().parent == lay.versions.resolve() or candidate.resolve() == lay.current.resolve():
        raise CandidateError(f"{candidate} is already published; publish a candidate from new_candidate()")
    tables, n_tables = _verify_candidate(candidate, list(required_tables))
    crashpoint("publish:after_verify")
    with _locked(lay):
        _recover(lay)
        res = _resolve_current(lay)
        replaced = res[0] if res else None
        vid = _new_version_id(lay)
        meta = {
            "version_id": vid,
            "created_at": _iso(_now()),
            "published_at": None,
            "previous": replaced,
            "build_info": info,
            "tables": tables,
            "n_tables": n_tables,
            "source": candidate.name,
        }
        _atomic_write_json(lay.version_meta(vid), meta)
        crashpoint("publish:after_sidecar")
        try:
            os.rename(candidate, lay.version_db(vid))
        except OSError as exc:
            lay.version_meta(vid).unlink(missing_ok=True)
            if exc.errno == errno.EXDEV:
                raise CandidateError(
                    f"{candidate} is on another filesystem than {lay.versions}: build it in "
                    "new_candidate()'s folder so publishing is a rename"
                ) from exc
            raise
        os.chmod(lay.version_db(vid), 0o444)  # published versions are never written again
        fsync_path(lay.versions)
        fsync_path(candidate.parent)
        crashpoint("publish:after_version_rename")
        _make_current(lay, vid, "publish")
        _finalize(lay, vid, "publish", replaced=replaced, recovered=False)
        _apply_retention_locked(lay, keep)
        return _version_from_meta(lay, _read_json(lay.version_meta(vid)) or meta, vid)


def rollback(paths: Paths) -> PublishedVersion:
    """Serve the previous version again (the one current before the current one was published).

    A second rollback goes further back along that chain. Raises :class:`NothingToRollBackError`
    if the current version is the first one or its previous version was removed by retention.
    """
    lay = layout(paths)
    with _locked(lay):
        _recover(lay)
        res = _resolve_current(lay)
        if res is None:
            raise NothingPublishedError(f"nothing is published in {lay.root}: nothing to roll back")
        cur = res[0]
        target = (_read_json(lay.version_meta(cur)) or {}).get("previous")
        if target is None:
            raise NothingToRollBackError(
                f"{cur} is the first published version: there is nothing to roll back to"
            )
        if not lay.version_db(target).is_file():
            raise NothingToRollBackError(
                f"the version before {cur}, {target}, was removed by retention: nothing to roll back to"
            )
        _make_current(lay, target, "rollback")
        _finalize(lay, target, "rollback", replaced=cur, recovered=False)
        return _version_from_meta(lay, _read_json(lay.version_meta(target)) or {"version_id": target}, target)


def _remove_db(path: Path) -> list[Path]:
    """Delete a DuckDB file and its ``.wal`` / ``.tmp`` siblings; return what existed."""
    gone = []
    for p in (path, Path(f"{path}.wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            gone.append(p)
    tmpdir = Path(f"{path}.tmp")
    if tmpdir.is_dir():
        shutil.rmtree(tmpdir, ignore_errors=True)
        gone.append(tmpdir)
    return gone


def candidate_max_age() -> float:
    """Seconds a candidate may stay untouched before it is stale (``CCTNS_CANDIDATE_MAX_AGE_HOURS``)."""
    return float(settings.setting("candidate_max_age_hours", error=PublishError)) * 3600.0


def _apply_retention_locked(
    lay: WarehouseLayout, keep: int, max_candidate_age: float | None = None
) -> list[Path]:
    res = _resolve_current(lay)
    cur = res[0] if res else None
    metas = {vid: _read_json(lay.version_meta(vid)) for vid in _version_ids_on_disk(lay)}
    published = sorted(
        vid for vid, m in metas.items() if m and m.get("published_at") and lay.version_db(vid).exists()
    )
    protect = set(published[-keep:])
    if cur is not None:
        protect |= {cur, (metas.get(cur) or {}).get("previous")}
    deleted: list[Path] = []
    removed_ids = []
    for vid in sorted(metas):
        if vid in protect:
            continue
        deleted += _remove_db(lay.version_db(vid))  # the database first: a sidecar alone is ignored
        crashpoint("publish:mid_retention")
        if lay.version_meta(vid).exists():
            lay.version_meta(vid).unlink()
            deleted.append(lay.version_meta(vid))
        removed_ids.append(vid)
    # Candidates nobody touched for max_candidate_age: group a file with its .wal / .tmp siblings.
    if max_candidate_age is None:
        try:
            max_candidate_age = candidate_max_age()
        except PublishError as exc:  # after a publish: never fail it over the clean-up's setting
            log.warning("%s; using %.0f hours", exc, CANDIDATE_MAX_AGE_SECONDS / 3600)
            max_candidate_age = CANDIDATE_MAX_AGE_SECONDS
    now = time.time()
    groups: dict[str, list[Path]] = {}
    if lay.builds.is_dir():
        for p in lay.builds.iterdir():
            base = re.sub(r"(\.wal|\.tmp|\.owner)$", "", p.name)
            groups.setdefault(base, []).append(p)
    for members in groups.values():
        newest = max((p.lstat().st_mtime for p in members), default=now)
        if now - newest > max_candidate_age:
            for p in members:
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
                deleted.append(p)
    if deleted:
        if removed_ids:
            fsync_path(lay.versions)
        _append_log(
            lay,
            {"event": "retention", "at": _iso(_now()), "keep": keep, "removed_versions": removed_ids,
             "removed_files": [str(p.relative_to(lay.root)) for p in deleted]},
        )  # fmt: skip
    return deleted


def _duckdb_locked(path: Path) -> bool:
    """Does a process hold DuckDB's file lock on ``path`` (it has the database open)?

    DuckDB takes a POSIX record lock on a database file it opens. A lock we can take is a lock
    nobody holds; it is released at once. (POSIX locks are per process: never call this on a file
    this process has open in DuckDB.)
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_candidates(
    paths: Paths,
    *,
    older_than: float,
    is_running: Callable[[Path], bool],
    max_age: float | None = None,
) -> list[Path]:
    """Remove candidates of builds that are no longer running (killed, or failed and left).

    A candidate in ``builds/`` (with its ``.wal``, ``.tmp`` and ``.owner`` siblings) is removed
    when every one of its files is older than ``older_than`` (epoch seconds: the start of the
    build asking) **and** untouched for ``max_age`` seconds (default :func:`candidate_max_age`),
    ``is_running(candidate)`` says its build is not running (the build's owner lock,
    :func:`warehouse.build.candidate_owner_running`) and no process has it open in DuckDB. The age
    floor matters: a free owner lock does not prove a build is over, since the nightly DAG's
    candidate has no owner between its tasks. A half-made copy (``.<name>.copy-<pid>``) goes when
    its process is gone. Every removal is logged in ``publish_log.jsonl`` (event
    ``stale_candidates``). Returns the removed paths.
    """
    if max_age is None:
        max_age = candidate_max_age()
    cutoff = min(older_than, time.time() - max_age)
    lay = layout(paths)
    if not lay.builds.is_dir():
        return []
    groups: dict[str, list[Path]] = {}
    for p in lay.builds.iterdir():
        base = re.sub(r"(\.wal|\.tmp|\.owner)$", "", p.name)
        groups.setdefault(base, []).append(p)
    removed: list[Path] = []
    with _locked(lay):
        for base, members in sorted(groups.items()):
            try:
                newest = max(p.lstat().st_mtime for p in members)
            except FileNotFoundError:
                continue
            copy = re.fullmatch(r"\..+\.copy-(\d+)", base)
            cand = lay.builds / base
            if copy is not None:
                # a half-made copy has no owner: its process being gone is proof enough
                if newest >= older_than or _pid_alive(int(copy[1])):
                    continue
            elif newest >= cutoff or is_running(cand) or (cand.is_file() and _duckdb_locked(cand)):
                continue
            for p in members:
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
                removed.append(p)
        if removed:
            _append_log(
                lay,
                {"event": "stale_candidates", "at": _iso(_now()),
                 "removed_files": [str(p.relative_to(lay.root)) for p in removed]},
            )  # fmt: skip
    if removed:
        log.info("removed %d file(s) of stale build candidates: %s", len(removed), [p.name for p in removed])
    return removed


def apply_retention(paths: Paths, keep: int, *, max_candidate_age: float | None = None) -> list[Path]:
    """Delete all but the last ``keep`` versions (never the current one or its previous one),
    orphans of crashed publishes, and candidates untouched for ``max_candidate_age`` seconds
    (default :func:`candidate_max_age`).

    Returns the deleted paths. A reader that has a deleted version open keeps reading it.
    """
    if keep < 1:
        raise PublishError(f"keep must be at least 1, got {keep}")
    lay = layout(paths)
    with _locked(lay):
        _recover(lay)
        return _apply_retention_locked(lay, keep, max_candidate_age)


# --- readers ---------------------------------------------------------------------------------------


def _open_current(
    lay: WarehouseLayout, config: Mapping[str, Any] | None
) -> tuple[duckdb.DuckDBPyConnection, str, tuple[int, int, int, int]]:
    """Open the current version read-only; return the connection, its id and the stat key it had."""
    last_exc: Exception | None = None
    for _ in range(5):
        res = _resolve_current(lay)
        if res is None:
            raise NothingPublishedError(
                f"no warehouse is published in {lay.root} yet: run `cctns build` first"
            )
        vid, st = res
        try:
            con = duckdb.connect(str(lay.version_db(vid)), read_only=True, config=dict(config or {}))
        except duckdb.IOException as exc:  # deleted by retention between resolve and open: retry
            if lay.version_db(vid).exists():
                raise
            last_exc = exc
            continue
        return con, vid, (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)
    raise PublishError(f"could not open the published warehouse in {lay.root}: {last_exc}")


def connect_readonly(
    paths: Paths | None = None, *, config: Mapping[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """A new read-only connection to the published warehouse (the version current now).

    The connection keeps reading that version, complete and unchanged, until closed, even if a
    newer one is published meanwhile. Use one connection per thread (or ``con.cursor()``).
    Every connection of this process to the same version must use the same ``config``.
    """
    return _open_current(layout(paths), config)[0]


class PublishedReader:
    """A long-lived reader (Streamlit, exports, services) that follows the published version.

    ``connection()`` returns a *new* read-only connection to the version current now, each
    call; it checks cheaply (one ``stat`` of ``current.duckdb``) whether a newer version was
    published and switches to it, so dashboards pick up a new build without a restart.

    Thread-safety: share one ``PublishedReader`` between threads (e.g. in
    ``st.cache_resource``); call ``connection()`` each time you query, use the returned
    connection in that thread only, and close it when done (``with reader.connection() as
    con:``). Do not cache the returned connection: it stays on its version forever. All
    connections to one version share one DuckDB instance (and its cache), which the reader
    keeps open until the version is replaced; a connection handed out earlier keeps working on
    its old version until it is closed.

    In Streamlit::

        @st.cache_resource
        def warehouse() -> PublishedReader:
            return PublishedReader()

        with warehouse().connection() as con:
            rows = con.execute(sql, params).fetchall()
    """

    def __init__(
        self,
        paths: Paths | None = None,
        *,
        check_interval: float = 0.0,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self._layout = layout(paths)
        self._check_interval = check_interval
        self._config = dict(config or {})
        self._lock = threading.Lock()
        self._anchor: duckdb.DuckDBPyConnection | None = None
        self._version_id: str | None = None
        self._key: tuple[int, int, int, int] | None = None
        self._checked = 0.0
        self._reopens = 0

    @property
    def version_id(self) -> str | None:
        """The version the last ``connection()`` returned (``None`` before the first call)."""
        return self._version_id

    @property
    def reopens(self) -> int:
        """How many times the reader opened a (new) version."""
        return self._reopens

    def _stale(self) -> bool:
        if self._anchor is None:
            return True
        now = time.monotonic()
        if now - self._checked < self._check_interval:
            return False
        self._checked = now
        try:
            st = os.stat(self._layout.current)
        except FileNotFoundError:
            return False  # keep serving what we have
        return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size) != self._key

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A new read-only connection to the current version (reopening if a newer one is published)."""
        with self._lock:
            if self._stale():
                try:
                    con, vid, key = _open_current(self._layout, self._config)
                except (PublishError, duckdb.Error) as exc:
                    if self._anchor is None:
                        raise
                    log.warning(
                        "still serving version %s: cannot open the new one: %s", self._version_id, exc
                    )
                    return duckdb.connect(self._path(), read_only=True, config=self._config)
                old, self._anchor = self._anchor, con
                self._version_id, self._key = vid, key
                self._reopens += 1
                if old is not None:
                    old.close()  # connections handed out earlier keep the old instance alive
            return duckdb.connect(self._path(), read_only=True, config=self._config)

    def _path(self) -> str:
        assert self._version_id is not None
        return str(self._layout.version_db(self._version_id))

    def close(self) -> None:
        with self._lock:
            if self._anchor is not None:
                self._anchor.close()
            self._anchor, self._key, self._version_id = None, None, None

    def __enter__(self) -> PublishedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
