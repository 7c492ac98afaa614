"""Users and passwords (bcrypt), single sign-on claims, and the append-only audit log."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboards import audit, auth
from dashboards.roles import Role
from warehouse.settings import Paths


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
        auth.users_app,
        ["add", "officer29", "--role", "senior_officer", "--state", "29", "--password", "officer-pass-1"],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(auth.users_app, ["list"])
    assert "officer29\tsenior_officer\t29" in r.output
    r = runner.invoke(auth.users_app, ["add", "x1", "--role", "scrb", "--password", "long-enough-1"])
    assert r.exit_code != 0 and "needs a State" in r.output
    r = runner.invoke(auth.users_app, ["remove", "officer29"])
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
