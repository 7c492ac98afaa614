"""Append-only audit log of sensitive dashboard views and searches.

One SQLite file, ``$CCTNS_HOME/audit/audit.sqlite``. Triggers abort any UPDATE or DELETE of a
row, and every row carries the SHA-256 of its content chained to the previous row's hash, so an
edit made around the triggers (another tool, a dropped trigger) is detected by :func:`verify`.

What is logged: who (username, role, State), what (action, page) and the parameters of the view
or search (search terms, filters), and every login, failed login, lockout, logout and session
expiry. Never any result row, so the log holds no victim data.

The log and its directory are readable only by the service account (0600 / 0700), whatever the
umask; an existing file or directory with a wider mode is narrowed when it is opened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from core.settings import Paths
from core.settings import paths as default_paths

GENESIS: Final = "0" * 64
PRIVATE_DIR_MODE: Final = 0o700
PRIVATE_FILE_MODE: Final = 0o600

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    state_code TEXT,
    action TEXT NOT NULL,
    page TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""

_FIELDS: Final = ("at", "username", "role", "state_code", "action", "page", "detail")


class AuditTampered(RuntimeError):
    """The hash chain of the audit log does not verify."""


def audit_path(paths: Paths | None = None) -> Path:
    return (paths or default_paths()).audit / "audit.sqlite"


def ensure_private_dir(d: Path) -> Path:
    """Create ``d`` (and its parents) and make it 0700: only the service account may enter it."""
    d.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if stat.S_IMODE(d.stat().st_mode) != PRIVATE_DIR_MODE:
        os.chmod(d, PRIVATE_DIR_MODE)
    return d


def ensure_private_file(f: Path) -> Path:
    """Create ``f`` empty when missing, born 0600 (never readable by others, not even briefly),
    and narrow an existing file to 0600; its directory is made private too."""
    ensure_private_dir(f.parent)
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), PRIVATE_FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != PRIVATE_FILE_MODE:
            os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)
    return f


def connect_private(f: Path) -> sqlite3.Connection:
    """An autocommit SQLite connection to a 0600 file in a 0700 directory (SQLite gives its
    journal files the database file's mode)."""
    ensure_private_file(f)
    return sqlite3.connect(f, timeout=30, isolation_level=None)


@contextlib.contextmanager
def write_transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The block as one ``BEGIN IMMEDIATE`` transaction of ``con`` (an autocommit connection, see
    :func:`connect_private`), which is closed after: COMMIT when the block ends (a ``return`` too),
    ROLLBACK on any error. IMMEDIATE takes the write lock at once, so two writers never both read
    the old state."""
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.close()


def _connect(paths: Paths | None) -> sqlite3.Connection:
    con = connect_private(audit_path(paths))
    con.executescript(_SCHEMA)
    return con


def _digest(prev_hash: str, row: Mapping[str, Any]) -> str:
    payload = json.dumps([prev_hash, *[row[k] for k in _FIELDS]], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    paths: Paths | None,
    *,
    username: str,
    role: str,
    state_code: str | None,
    action: str,
    page: str,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Append one entry; returns its id."""
    row = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "username": username,
        "role": str(role),
        "state_code": state_code,
        "action": action,
        "page": page,
        "detail": json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, default=str),
    }
    with write_transaction(_connect(paths)) as con:
        last = con.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = last[0] if last else GENESIS
        cur = con.execute(
            "INSERT INTO audit_log (at, username, role, state_code, action, page, detail, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*[row[k] for k in _FIELDS], prev, _digest(prev, row)),
        )
        return int(cur.lastrowid or 0)


def entries(paths: Paths | None = None, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Entries, newest last (the last ``limit`` when given)."""
    if not audit_path(paths).exists():
        return []
    con = _connect(paths)
    try:
        con.row_factory = sqlite3.Row
        if limit is None:
            rows = con.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
        else:
            rows = con.execute(
                "SELECT * FROM (SELECT * FROM audit_log ORDER BY id DESC LIMIT ?) ORDER BY id", (limit,)
            ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["detail"] = json.loads(d["detail"])
            out.append(d)
        return out
    finally:
        con.close()


def verify(paths: Paths | None = None) -> int:
    """Check the hash chain; returns the number of entries or raises :class:`AuditTampered`."""
    if not audit_path(paths).exists():
        return 0
    con = _connect(paths)
    try:
        con.row_factory = sqlite3.Row
        prev = GENESIS
        n = 0
        for r in con.execute("SELECT * FROM audit_log ORDER BY id"):
            if r["prev_hash"] != prev or _digest(prev, r) != r["hash"]:
                raise AuditTampered(f"audit log entry {r['id']} does not match its hash chain")
            prev = r["hash"]
            n += 1
        return n
    finally:
        con.close()
