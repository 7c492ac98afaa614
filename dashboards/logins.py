"""Login throttling and server-side sessions of the dashboards.

Lockout: every failed login of a username (known or not) is counted in
``$CCTNS_HOME/auth/logins.sqlite``, so a new browser session does not reset the count. After
``max_failures`` consecutive failures the username is locked for ``lockout_minutes``: during the
lock even the right password does not log in, and the answer is the same whether the password
was right or wrong, and whether the user exists or not (an unknown username is counted and
locked like a real one, and its password is checked against a dummy bcrypt hash). A successful
login resets the count; so does the end of a lock. ``cctns users unlock NAME`` lifts a lock.

Sessions: a login creates a session record (the SHA-256 of a random token; the token itself
stays in the Streamlit session). Each interaction checks it: a session idle for
``session_idle_minutes`` or older than ``session_max_hours`` is ended on its next interaction.

Every login, failed login, lockout, login attempt during a lock, logout and session expiry is
written to the hash-chained audit log (``audit.py``). Limits: ``core.settings.login_settings``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from core.settings import LoginSettings, Paths, login_settings
from dashboards import audit, auth
from dashboards.auth import User

FAILED_MESSAGE: Final = "Unknown username or wrong password."
SESSION_ENDED_MESSAGE: Final = "Your session has ended. Please log in again."

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at REAL NOT NULL,
    locked_until REAL
);
CREATE TABLE IF NOT EXISTS sessions (
    session_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    method TEXT NOT NULL,
    created_at REAL NOT NULL,
    last_seen_at REAL NOT NULL,
    ended_at REAL,
    end_reason TEXT
);
CREATE INDEX IF NOT EXISTS sessions_ended ON sessions (ended_at);
"""

#: Longest username kept (in the store and the audit log) for a login attempt.
MAX_NAME: Final = 64


def now() -> dt.datetime:
    """The clock of logins and sessions (tests replace it)."""
    return dt.datetime.now(dt.UTC)


def store_path(paths: Paths | None = None) -> Path:
    return auth.auth_dir(paths) / "logins.sqlite"


def _connect(paths: Paths | None) -> sqlite3.Connection:
    con = audit.connect_private(store_path(paths))
    con.executescript(_SCHEMA)
    return con


def _norm(username: str) -> str:
    return username.strip()[:MAX_NAME]


def _ts() -> float:
    return now().timestamp()


def locked_message(settings: LoginSettings) -> str:
    minutes = f"{settings.lockout_minutes:g}"
    return (
        f"Too many failed logins for this username: logging in is blocked for up to {minutes} minutes. "
        "Try again later, or ask an NCRB administrator to unlock the account."
    )


class Outcome(StrEnum):
    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"  # locked by this failure, or a login attempt during a lock


@dataclass(frozen=True)
class LoginResult:
    outcome: Outcome
    user: User | None
    message: str
    token: str | None = None  # the new session's token when the login succeeded


def _record(paths: Paths | None, username: str, action: str, detail: dict[str, object]) -> None:
    audit.record(
        paths, username=username or "-", role="-", state_code=None, action=action, page="login", detail=detail
    )


def attempt(
    paths: Paths | None, username: str, password: str, settings: LoginSettings | None = None
) -> LoginResult:
    """Check a login, counting failures and enforcing the lock; opens a session on success.
    Audited: ``login``, ``login_failed``, ``login_locked``, ``login_refused_locked``."""
    s = settings or login_settings()
    name = _norm(username)
    # Always one bcrypt check (a dummy one for an unknown name), locked or not: the time taken
    # says nothing about the lock, the user or the password.
    user = auth.authenticate(paths, name, password)
    t = _ts()
    refused_until: float | None = None  # a lock in force at this attempt
    lock_until: float | None = None  # a lock this failure starts
    failures = 0
    with audit.write_transaction(_connect(paths)) as con:
        row = con.execute(
            "SELECT failures, locked_until FROM login_failures WHERE username = ?", (name,)
        ).fetchone()
        failures, locked_until = (int(row[0]), row[1]) if row else (0, None)
        if locked_until is not None and t < locked_until:
            refused_until = float(locked_until)
        elif user is not None:
            con.execute("DELETE FROM login_failures WHERE username = ?", (name,))
        else:
            if locked_until is not None:  # the lock has run out: a fresh count
                failures = 0
            failures += 1
            lock_until = t + s.lockout_minutes * 60 if failures >= s.max_failures else None
            con.execute(
                "INSERT INTO login_failures (username, failures, last_failure_at, locked_until) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, "
                "last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until",
                (name, failures, t, lock_until),
            )
            # Forget counts nobody added to for a day (names sprayed by a guesser do not pile up).
            con.execute(
                "DELETE FROM login_failures WHERE last_failure_at < ? "
                "AND (locked_until IS NULL OR locked_until < ?)",
                (t - 86400, t),
            )

    if refused_until is not None:
        _record(paths, name, "login_refused_locked", {"locked_until": _iso(refused_until)})
        return LoginResult(Outcome.LOCKED, None, locked_message(s))
    if user is not None:
        token = start_session(paths, user.username)
        audit.record(
            paths,
            username=user.username,
            role=user.role.value,
            state_code=user.state_code,
            action="login",
            page="login",
            detail={"session": session_ref(token)},
        )
        return LoginResult(Outcome.OK, user, "", token)
    _record(paths, name, "login_failed", {"failures": failures})
    if lock_until is None:
        return LoginResult(Outcome.FAILED, None, FAILED_MESSAGE)
    _record(paths, name, "login_locked", {"failures": failures, "locked_until": _iso(lock_until)})
    return LoginResult(Outcome.LOCKED, None, locked_message(s))


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def lock_state(paths: Paths | None, username: str) -> tuple[int, dt.datetime | None]:
    """(consecutive failures, locked until or None when not locked now) of a username."""
    if not store_path(paths).exists():
        return 0, None
    con = _connect(paths)
    try:
        row = con.execute(
            "SELECT failures, locked_until FROM login_failures WHERE username = ?", (_norm(username),)
        ).fetchone()
    finally:
        con.close()
    if row is None:
        return 0, None
    failures, until = int(row[0]), row[1]
    if until is None:
        return failures, None
    if _ts() >= until:
        return 0, None
    return failures, dt.datetime.fromtimestamp(until, dt.UTC)


def unlock(paths: Paths | None, username: str, *, by: str = "cli") -> bool:
    """Lift a lock and reset the failure count; True when there was anything to reset."""
    name = _norm(username)
    con = _connect(paths)
    try:
        n = con.execute("DELETE FROM login_failures WHERE username = ?", (name,)).rowcount
    finally:
        con.close()
    if n:
        _record(paths, name, "login_unlocked", {"by": by})
    return bool(n)


# ------------------------------------------------------------------------------------------
# Sessions
# ------------------------------------------------------------------------------------------


class SessionStatus(StrEnum):
    ACTIVE = "active"
    IDLE = "idle"  # ended: no interaction for session_idle_minutes
    ABSOLUTE = "absolute"  # ended: older than session_max_hours
    ENDED = "ended"  # unknown, logged out, or ended for another user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_ref(token: str) -> str:
    """A short reference of a session for the audit log (not usable as the session token)."""
    return _hash(token)[:12]


def expiry_message(status: SessionStatus, settings: LoginSettings | None = None) -> str:
    s = settings or login_settings()
    if status is SessionStatus.IDLE:
        return (
            f"Your session expired after {s.session_idle_minutes:g} minutes without activity. "
            "Please log in again."
        )
    if status is SessionStatus.ABSOLUTE:
        return f"Your session reached its limit of {s.session_max_hours:g} hours. Please log in again."
    return SESSION_ENDED_MESSAGE


def start_session(paths: Paths | None, username: str, *, method: str = "password") -> str:
    """Open a session for a user; returns its token (keep it in the Streamlit session only)."""
    token = secrets.token_urlsafe(32)
    t = _ts()
    s = login_settings()
    con = _connect(paths)
    try:
        con.execute(
            "INSERT INTO sessions (session_hash, username, method, created_at, last_seen_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (_hash(token), username, method, t, t),
        )
        # Ended sessions are kept a while for inspection, then forgotten (the audit log keeps
        # the logins, logouts and expiries).
        con.execute(
            "DELETE FROM sessions WHERE (ended_at IS NOT NULL AND ended_at < ?) OR created_at < ?",
            (t - 7 * 86400, t - s.session_max_hours * 3600 - 7 * 86400),
        )
    finally:
        con.close()
    return token


def check_session(paths: Paths | None, token: str, user: User) -> SessionStatus:
    """Touch an active session of ``user``; end (and audit) an idle or too old one."""
    s = login_settings()
    t = _ts()
    h = _hash(token)
    with audit.write_transaction(_connect(paths)) as con:
        row = con.execute(
            "SELECT username, created_at, last_seen_at, ended_at FROM sessions WHERE session_hash = ?", (h,)
        ).fetchone()
        if row is None or row[0] != user.username or row[3] is not None:
            return SessionStatus.ENDED
        created, last_seen = float(row[1]), float(row[2])
        if t - created >= s.session_max_hours * 3600:
            status = SessionStatus.ABSOLUTE
        elif t - last_seen >= s.session_idle_minutes * 60:
            status = SessionStatus.IDLE
        else:
            con.execute("UPDATE sessions SET last_seen_at = ? WHERE session_hash = ?", (max(t, last_seen), h))
            return SessionStatus.ACTIVE
        con.execute(
            "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE session_hash = ?", (t, status.value, h)
        )

    audit.record(
        paths,
        username=user.username,
        role=user.role.value,
        state_code=user.state_code,
        action="session_expired",
        page="session",
        detail={
            "reason": status.value,
            "session": session_ref(token),
            "idle_minutes": round((t - last_seen) / 60, 1),
            "age_hours": round((t - created) / 3600, 2),
        },
    )
    return status


def end_session(paths: Paths | None, token: str | None, user: User | None, *, reason: str = "logout") -> None:
    """End a session (log out); audited when a user is given."""
    if token:
        con = _connect(paths)
        try:
            con.execute(
                "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE session_hash = ? AND ended_at IS NULL",
                (_ts(), reason, _hash(token)),
            )
        finally:
            con.close()
    if user is not None:
        audit.record(
            paths,
            username=user.username,
            role=user.role.value,
            state_code=user.state_code,
            action=reason,
            page="session",
            detail={"session": session_ref(token)} if token else {},
        )
