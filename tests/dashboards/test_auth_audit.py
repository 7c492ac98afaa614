"""Users and passwords (bcrypt), single sign-on claims, the append-only audit log, login lockout,
session expiry and the modes of the audit, users and login files."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cctns import users_cli
from core import settings
from core.settings import Paths
from dashboards import audit, auth, logins, ui
from dashboards.roles import Role
from tests.dashboards.helpers import APP, open_app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.setenv("CCTNS_HOME", str(tmp_path / "h"))
    monkeypatch.setenv(auth.ROUNDS_ENV, "4")  # fast hashes for these tests
    return Paths(tmp_path / "h")


def test_password_hash_is_bcrypt_and_verifies() -> None:
    h = auth.hash_password("correct horse", rounds=4)
    assert h.startswith("$2b$04$") and "correct horse" not in h
    assert auth.verify_password("correct horse", h)
    assert not auth.verify_password("correct hors", h)
    assert auth.hash_password("correct horse", rounds=4) != h  # salted
    with pytest.raises(auth.AuthError, match="at least"):
        auth.hash_password("short")


def test_users_file_holds_hashes_only(home: Paths) -> None:
    auth.add_user(home, "scrb29", "s3cret-pass", Role.SCRB, "29", display_name="Karnataka SCRB")
    text = auth.users_file(home).read_text()
    assert "s3cret-pass" not in text and "$2b$" in text
    assert stat.S_IMODE(auth.users_file(home).stat().st_mode) == 0o600
    user = auth.authenticate(home, "scrb29", "s3cret-pass")
    assert user is not None and user.role == Role.SCRB and user.state_code == "29"
    assert auth.authenticate(home, "scrb29", "wrong-pass!") is None
    assert auth.authenticate(home, "nobody", "s3cret-pass") is None
    with pytest.raises(auth.AuthError, match="exists"):
        auth.add_user(home, "scrb29", "another-pass", Role.SCRB, "29")
    auth.remove_user(home, "scrb29")
    assert auth.get_user(home, "scrb29") is None


@pytest.mark.parametrize(
    ("name", "role", "state", "message"),
    [
        ("Bad Name", Role.PUBLIC, None, "invalid username"),
        ("scrbx", Role.SCRB, None, "needs a State"),
        ("pub", Role.PUBLIC, "09", "national"),
        ("stat", "king", None, "unknown role"),
        ("scrby", Role.SCRB, "99", "unknown State"),
    ],
)
def test_bad_user_definitions_are_refused(
    home: Paths, name: str, role: str, state: str | None, message: str
) -> None:
    with pytest.raises(auth.AuthError, match=message):
        auth.add_user(home, name, "long-enough-pass", role, state)


def test_demo_users_one_per_role(home: Paths) -> None:
    pw = auth.ensure_demo_users(home)
    users = auth.load_users(home)
    assert {u.role for u in users.values()} == set(Role)
    for name, password in pw.items():
        assert auth.authenticate(home, name, password) is not None
    before = auth.users_file(home).read_text()
    assert auth.ensure_demo_users(home) == pw
    assert auth.users_file(home).read_text() == before  # idempotent: no re-hash


def test_cli_add_list_remove(home: Paths) -> None:
    runner = CliRunner()
    r = runner.invoke(
        users_cli.users_app,
        ["add", "officer29", "--role", "senior_officer", "--state", "29", "--password", "officer-pass-1"],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(users_cli.users_app, ["list"])
    assert "officer29\tsenior_officer\t29" in r.output
    r = runner.invoke(users_cli.users_app, ["add", "x1", "--role", "scrb", "--password", "long-enough-1"])
    assert r.exit_code != 0 and "needs a State" in r.output
    r = runner.invoke(users_cli.users_app, ["remove", "officer29"])
    assert r.exit_code == 0 and auth.get_user(home, "officer29") is None


def test_sso_claims_map_to_roles() -> None:
    mapping = {
        "role_claim": "groups",
        "state_claim": "state",
        "roles": {"ncrb-admins": "ncrb_admin", "scrb-team": "scrb", "officers": "senior_officer"},
    }
    u = auth.user_from_claims({"email": "a@ncrb.gov.in", "groups": ["staff", "ncrb-admins"]}, mapping)
    assert u is not None and u.role == Role.NCRB_ADMIN and u.state_code is None
    u = auth.user_from_claims({"email": "s@up.gov.in", "groups": ["scrb-team"], "state": "09"}, mapping)
    assert u is not None and u.role == Role.SCRB and u.state_code == "09"
    assert auth.user_from_claims({"email": "s@up.gov.in", "groups": ["scrb-team"]}, mapping) is None
    assert auth.user_from_claims({"email": "x@y.z", "groups": ["staff"]}, mapping) is None
    u = auth.user_from_claims({"email": "a@b.c", "groups": "ncrb-admins", "state": "09"}, mapping)
    assert u is not None and u.state_code is None  # national roles take no State


def test_audit_log_is_append_only(home: Paths) -> None:
    for i in range(3):
        audit.record(
            home,
            username="officer",
            role="senior_officer",
            state_code=None,
            action="ndso_search",
            page="ndso",
            detail={"name": f"Ramesh {i}"},
        )
    assert audit.verify(home) == 3
    rows = audit.entries(home)
    assert [r["detail"]["name"] for r in rows] == ["Ramesh 0", "Ramesh 1", "Ramesh 2"]
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    con = sqlite3.connect(audit.audit_path(home))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET username = 'someone' WHERE id = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log WHERE id = 2")
    con.close()
    assert audit.verify(home) == 3
    assert len(audit.entries(home)) == 3


def test_audit_tampering_around_the_triggers_is_detected(home: Paths) -> None:
    for i in range(3):
        audit.record(
            home,
            username="admin",
            role="ncrb_admin",
            state_code=None,
            action="view",
            page="p",
            detail={"i": i},
        )
    con = sqlite3.connect(audit.audit_path(home))
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET username = 'nobody' WHERE id = 2")
    con.commit()
    con.close()
    with pytest.raises(audit.AuditTampered, match="entry 2"):
        audit.verify(home)


# ------------------------------------------------------------------------------------------
# Lockout, sessions, private files (issue 12, item 8)
# ------------------------------------------------------------------------------------------

T0 = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the tests move by hand (``logins.now``): no sleeping."""

    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, **delta: float) -> None:
        self.t += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(logins, "now", c)
    return c


@pytest.fixture
def login_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        settings.LOGIN_MAX_FAILURES_ENV,
        settings.LOGIN_LOCKOUT_MINUTES_ENV,
        settings.SESSION_IDLE_MINUTES_ENV,
        settings.SESSION_MAX_HOURS_ENV,
    ):
        monkeypatch.delenv(name, raising=False)


def _actions(paths: Paths, n0: int = 0) -> list[tuple[str, str]]:
    return [(e["username"], e["action"]) for e in audit.entries(paths)[n0:]]


def test_login_settings_defaults_env_and_bad_values(login_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.login_settings() == settings.LoginSettings(5, 15.0, 30.0, 12.0)
    monkeypatch.setenv(settings.LOGIN_MAX_FAILURES_ENV, "3")
    monkeypatch.setenv(settings.LOGIN_LOCKOUT_MINUTES_ENV, "2.5")
    monkeypatch.setenv(settings.SESSION_IDLE_MINUTES_ENV, "10")
    monkeypatch.setenv(settings.SESSION_MAX_HOURS_ENV, "1")
    assert settings.login_settings() == settings.LoginSettings(3, 2.5, 10.0, 1.0)
    for bad in ("0", "-1", "three", "2.5", "nan"):
        monkeypatch.setenv(settings.LOGIN_MAX_FAILURES_ENV, bad)
        with pytest.raises(ValueError, match=settings.LOGIN_MAX_FAILURES_ENV):
            settings.login_settings()
    monkeypatch.setenv(settings.LOGIN_MAX_FAILURES_ENV, "3")
    monkeypatch.setenv(settings.SESSION_IDLE_MINUTES_ENV, "inf")
    with pytest.raises(ValueError, match=settings.SESSION_IDLE_MINUTES_ENV):
        settings.login_settings()


def test_lockout_refuses_the_right_password_and_is_durable(
    home: Paths, clock: Clock, login_env: None
) -> None:
    auth.add_user(home, "scrb29", "s3cret-pass", Role.SCRB, "29")
    results = [logins.attempt(home, "scrb29", f"wrong-{i}-pass") for i in range(5)]
    assert [r.outcome for r in results] == [logins.Outcome.FAILED] * 4 + [logins.Outcome.LOCKED]
    assert results[0].message == "Unknown username or wrong password."
    locked_msg = results[-1].message
    assert "blocked for up to 15 minutes" in locked_msg
    # The right password during the lock: refused, with the very message a wrong one gets.
    right = logins.attempt(home, "scrb29", "s3cret-pass")
    wrong = logins.attempt(home, "scrb29", "wrong-again-pass")
    assert right.outcome == wrong.outcome == logins.Outcome.LOCKED
    assert right.user is None and right.token is None
    assert right.message == wrong.message == locked_msg
    # Durable: kept in the store, not in any browser session.
    failures, until = logins.lock_state(home, "scrb29")
    assert failures == 5 and until == T0 + dt.timedelta(minutes=15)
    assert stat.S_IMODE(logins.store_path(home).stat().st_mode) == 0o600
    clock.advance(minutes=14, seconds=59)
    assert logins.attempt(home, "scrb29", "s3cret-pass").outcome == logins.Outcome.LOCKED
    clock.advance(seconds=2)
    ok = logins.attempt(home, "scrb29", "s3cret-pass")
    assert ok.outcome == logins.Outcome.OK and ok.user is not None and ok.token
    assert logins.lock_state(home, "scrb29") == (0, None)
    assert _actions(home) == [
        *[("scrb29", "login_failed")] * 5,
        ("scrb29", "login_locked"),
        ("scrb29", "login_refused_locked"),
        ("scrb29", "login_refused_locked"),
        ("scrb29", "login_refused_locked"),
        ("scrb29", "login"),
    ]
    assert audit.verify(home) == 10


def test_success_resets_the_count_and_settings_apply(
    home: Paths, clock: Clock, login_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.LOGIN_MAX_FAILURES_ENV, "3")
    monkeypatch.setenv(settings.LOGIN_LOCKOUT_MINUTES_ENV, "1")
    auth.add_user(home, "stat1", "s3cret-pass", Role.NCRB_STATISTICIAN)
    for _ in range(2):
        assert logins.attempt(home, "stat1", "bad-password").outcome == logins.Outcome.FAILED
    assert logins.attempt(home, "stat1", "s3cret-pass").outcome == logins.Outcome.OK
    for _ in range(2):
        assert logins.attempt(home, "stat1", "bad-password").outcome == logins.Outcome.FAILED
    assert logins.attempt(home, "stat1", "bad-password").outcome == logins.Outcome.LOCKED
    assert "up to 1 minutes" in logins.attempt(home, "stat1", "s3cret-pass").message
    clock.advance(minutes=1)
    # After the lock a fresh count starts: one failure does not lock again.
    assert logins.attempt(home, "stat1", "bad-password").outcome == logins.Outcome.FAILED
    assert logins.lock_state(home, "stat1") == (1, None)
    # An administrator lifts a lock with `cctns users unlock`.
    for _ in range(2):
        logins.attempt(home, "stat1", "bad-password")
    assert logins.lock_state(home, "stat1")[1] is not None
    r = CliRunner().invoke(users_cli.users_app, ["unlock", "stat1"])
    assert r.exit_code == 0 and "lockout lifted" in r.output
    assert logins.attempt(home, "stat1", "s3cret-pass").outcome == logins.Outcome.OK
    assert ("stat1", "login_unlocked") in _actions(home)


def test_unknown_usernames_are_throttled_alike_with_one_bcrypt_check_each(
    home: Paths, clock: Clock, login_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.add_user(home, "scrb29", "s3cret-pass", Role.SCRB, "29")
    checks: list[bytes] = []
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        checks.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    known = [logins.attempt(home, "scrb29", "wrong-password") for _ in range(6)]
    unknown = [logins.attempt(home, "nobody", "wrong-password") for _ in range(6)]
    assert [(r.outcome, r.message) for r in known] == [(r.outcome, r.message) for r in unknown]
    assert unknown[-1].outcome == logins.Outcome.LOCKED
    assert len(checks) == 12  # a bcrypt check for every attempt, locked or not, known or not
    assert logins.lock_state(home, "nobody")[0] == 5
    acts = _actions(home)
    assert acts.count(("nobody", "login_locked")) == 1 and acts.count(("nobody", "login_refused_locked")) == 1


def test_sessions_expire_when_idle_and_at_their_absolute_limit(
    home: Paths, clock: Clock, login_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = auth.add_user(home, "officer29", "s3cret-pass", Role.SENIOR_OFFICER, "29")
    active = logins.SessionStatus.ACTIVE
    token = logins.start_session(home, user.username)
    clock.advance(minutes=29)
    assert logins.check_session(home, token, user) is active
    clock.advance(minutes=29)  # 58 minutes old, but touched 29 minutes ago
    assert logins.check_session(home, token, user) is active
    other = auth.User("someone", Role.PUBLIC)
    assert logins.check_session(home, token, other) is logins.SessionStatus.ENDED  # not theirs
    clock.advance(minutes=30)
    assert logins.check_session(home, token, user) is logins.SessionStatus.IDLE
    assert logins.check_session(home, token, user) is logins.SessionStatus.ENDED  # stays ended
    # Absolute lifetime: active every 20 minutes, still ended 12 hours after the login.
    token = logins.start_session(home, user.username)
    for _ in range(35):
        clock.advance(minutes=20)
        assert logins.check_session(home, token, user) is active
    clock.advance(minutes=20)  # 12 h
    assert logins.check_session(home, token, user) is logins.SessionStatus.ABSOLUTE
    expired = [e for e in audit.entries(home) if e["action"] == "session_expired"]
    assert [(e["username"], e["detail"]["reason"]) for e in expired] == [
        ("officer29", "idle"),
        ("officer29", "absolute"),
    ]
    assert len(expired[0]["detail"]["session"]) == 12 and expired[0]["detail"]["idle_minutes"] == 30
    # Configurable, and logout ends a session (audited).
    monkeypatch.setenv(settings.SESSION_IDLE_MINUTES_ENV, "5")
    token = logins.start_session(home, user.username)
    clock.advance(minutes=5)
    assert logins.check_session(home, token, user) is logins.SessionStatus.IDLE
    token = logins.start_session(home, user.username)
    logins.end_session(home, token, user)
    assert logins.check_session(home, token, user) is logins.SessionStatus.ENDED
    assert _actions(home)[-1] == ("officer29", "logout")
    # The store keeps hashes of the session tokens, never the tokens.
    con = sqlite3.connect(logins.store_path(home))
    stored = {r[0] for r in con.execute("SELECT session_hash FROM sessions")}
    con.close()
    assert token not in stored and hashlib.sha256(token.encode()).hexdigest() in stored


@pytest.mark.parametrize("umask", [0o022, 0o000], ids=["umask022", "umask000"])
def test_audit_users_and_login_files_are_private(home: Paths, umask: int, login_env: None) -> None:
    old = os.umask(umask)
    try:
        home.ensure()  # the audit directory as every other command creates it
        auth.add_user(home, "scrb29", "s3cret-pass", Role.SCRB, "29")
        logins.attempt(home, "scrb29", "wrong-password")
    finally:
        os.umask(old)

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    assert mode(audit.audit_path(home)) == 0o600
    assert mode(audit.audit_path(home).parent) == 0o700
    assert mode(auth.users_file(home)) == 0o600
    assert mode(auth.users_file(home).parent) == 0o700
    assert mode(logins.store_path(home)) == 0o600
    # A file or directory left readable by others is narrowed when it is next opened.
    os.chmod(audit.audit_path(home), 0o644)
    os.chmod(audit.audit_path(home).parent, 0o755)
    os.chmod(auth.users_file(home), 0o644)
    assert audit.verify(home) == 1  # the failed login
    assert auth.get_user(home, "scrb29") is not None
    assert mode(audit.audit_path(home)) == 0o600
    assert mode(audit.audit_path(home).parent) == 0o700
    assert mode(auth.users_file(home)) == 0o600


def test_users_file_at_its_former_place_is_moved_private(home: Paths) -> None:
    auth.add_user(home, "scrb29", "s3cret-pass", Role.SCRB, "29")
    legacy = home.home / "users.toml"
    auth.users_file(home).rename(legacy)
    os.chmod(legacy, 0o644)
    assert auth.get_user(home, "scrb29") is not None
    assert not legacy.exists()
    assert stat.S_IMODE(auth.users_file(home).stat().st_mode) == 0o600


# ------------------------------------------------------------------------------------------
# The same through the app (AppTest)
# ------------------------------------------------------------------------------------------


def _app_user(paths: Paths, name: str, role: Role, monkeypatch: pytest.MonkeyPatch) -> str:
    """A user of its own for one app test (the demo users stay unlocked for the other tests)."""
    monkeypatch.setenv(auth.ROUNDS_ENV, "4")
    password = f"{name}-right-pass"
    auth.add_user(paths, name, password, role, replace=True)
    logins.unlock(paths, name)
    return password


def _log_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def test_app_twenty_wrong_passwords_then_the_right_one_is_not_logged_in(
    dash_env: Paths, clock: Clock, login_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = _app_user(dash_env, "lockout-probe", Role.PUBLIC, monkeypatch)
    n0 = len(audit.entries(dash_env))
    at = open_app(None)
    for i in range(20):
        _log_in(at, "lockout-probe", f"wrong-pass-{i}")
        assert ui.SESSION_USER not in at.session_state
    locked = [e.value for e in at.error]
    assert len(locked) == 1 and "Too many failed logins" in locked[0]
    _log_in(at, "lockout-probe", password)
    assert not at.exception
    assert ui.SESSION_USER not in at.session_state  # the right password, during the lock
    assert [e.value for e in at.error] == locked  # ... answered like a wrong one
    assert [t.value for t in at.title] == ["CCTNS national crime data warehouse"]
    # A new browser session does not reset the lock.
    fresh = _log_in(open_app(None), "lockout-probe", password)
    assert ui.SESSION_USER not in fresh.session_state and [e.value for e in fresh.error] == locked
    acts = [a for u, a in _actions(dash_env, n0) if u == "lockout-probe"]
    assert acts.count("login_failed") == 5 and acts.count("login_locked") == 1
    assert acts.count("login_refused_locked") == 17 and "login" not in acts
    # The lock runs out.
    clock.advance(minutes=15)
    _log_in(fresh, "lockout-probe", password)
    assert not fresh.exception
    assert fresh.session_state[ui.SESSION_USER] == "lockout-probe"
    assert _actions(dash_env)[-1] == ("lockout-probe", "login")


def test_app_sessions_expire_idle_and_absolute_and_logout_is_audited(
    dash_env: Paths, clock: Clock, login_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = _app_user(dash_env, "expiry-probe", Role.PUBLIC, monkeypatch)
    at = _log_in(open_app(None), "expiry-probe", password)
    assert at.session_state[ui.SESSION_USER] == "expiry-probe"
    home_titles = [t.value for t in at.title]
    clock.advance(minutes=29)
    at.run()
    assert ui.SESSION_USER in at.session_state and [t.value for t in at.title] == home_titles
    clock.advance(minutes=30)
    at.run()
    assert not at.exception
    assert ui.SESSION_USER not in at.session_state
    assert [t.value for t in at.title] == ["CCTNS national crime data warehouse"]
    assert [w.value for w in at.warning] == [
        "Your session expired after 30 minutes without activity. Please log in again."
    ]
    assert _actions(dash_env)[-1] == ("expiry-probe", "session_expired")
    # Absolute limit (1 hour here): active every 25 minutes, logged out all the same.
    monkeypatch.setenv(settings.SESSION_MAX_HOURS_ENV, "1")
    _log_in(at, "expiry-probe", password)
    assert at.session_state[ui.SESSION_USER] == "expiry-probe"
    for _ in range(2):
        clock.advance(minutes=25)
        at.run()
        assert ui.SESSION_USER in at.session_state
    clock.advance(minutes=10)
    at.run()
    assert ui.SESSION_USER not in at.session_state
    assert [w.value for w in at.warning] == [
        "Your session reached its limit of 1 hours. Please log in again."
    ]
    last = audit.entries(dash_env)[-1]
    assert (last["username"], last["action"], last["detail"]["reason"]) == (
        "expiry-probe",
        "session_expired",
        "absolute",
    )
    # Logging out ends the server-side session and is audited.
    _log_in(at, "expiry-probe", password)
    token = at.session_state[ui.SESSION_TOKEN]
    at.run()  # (AppTest ignores a click on the tree a st.rerun produced)
    at.button(key="logout").click().run()
    assert ui.SESSION_USER not in at.session_state
    assert _actions(dash_env)[-1] == ("expiry-probe", "logout")
    user = auth.get_user(dash_env, "expiry-probe")
    assert user is not None and logins.check_session(dash_env, token, user) is logins.SessionStatus.ENDED


def test_app_single_sign_on_session_expires_too(dash_env: Paths, clock: Clock, login_env: None) -> None:
    claims = {"is_logged_in": True, "email": "sso-probe@ncrb.example", "groups": ["public-users"]}
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "x" * 32}
    at.secrets["cctns_sso"] = {"role_claim": "groups", "roles": {"public-users": "public"}}
    at.user = dict(claims)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] != ["CCTNS national crime data warehouse"]  # logged in
    last = audit.entries(dash_env)[-1]
    assert (last["username"], last["action"], last["detail"]["method"]) == (
        "sso-probe@ncrb.example",
        "login",
        "sso",
    )
    clock.advance(minutes=31)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["CCTNS national crime data warehouse"]
    assert [w.value for w in at.warning] == [
        "Your session expired after 30 minutes without activity. Please log in again."
    ]
    assert _actions(dash_env)[-1] == ("sso-probe@ncrb.example", "session_expired")
    assert at.user.get("is_logged_in") is False  # st.logout ended the identity cookie
    # Even if the identity provider cookie were still there, this browser session stays out
    # until the user logs in with single sign-on again.
    at.user = dict(claims)
    at.run()
    assert [t.value for t in at.title] == ["CCTNS national crime data warehouse"]
    assert _actions(dash_env)[-1] == ("sso-probe@ncrb.example", "session_expired")
