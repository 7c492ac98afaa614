"""Dashboard users: roles, States, bcrypt-hashed passwords in ``$CCTNS_HOME/auth/users.toml``.

The file is 0600 in a 0700 directory (readable only by the service account, whatever the umask;
a wider mode is narrowed when the file is read). A users file left at the former place,
``$CCTNS_HOME/users.toml``, is moved there on first use. Lockout and sessions: ``logins.py``.

Local login checks a password against its bcrypt hash. Single sign-on (``st.login`` with an
OpenID Connect provider) maps the identity token's claims to a role and a State with
:func:`user_from_claims`; see ``docs/dashboards.md``. The ``cctns users`` commands are in
:mod:`cctns.users_cli`.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import bcrypt

from core import reference, settings
from core.fs import atomic_write
from core.settings import Paths
from core.settings import paths as default_paths
from dashboards.audit import PRIVATE_FILE_MODE, ensure_private_dir
from dashboards.roles import ROLE_LABELS, STATE_ALLOWED, STATE_REQUIRED, Role

USERNAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
MIN_PASSWORD_LENGTH: Final = 8
DEFAULT_ROUNDS: Final[int] = settings.Settings.model_fields["bcrypt_rounds"].default
ROUNDS_ENV: Final = settings.env_name("bcrypt_rounds")

#: The demo users ``make demo`` creates: username -> (role, State, password).
DEMO_USERS: Final[dict[str, tuple[Role, str | None, str]]] = {
    "admin": (Role.NCRB_ADMIN, None, "admin-demo-pass"),
    "statistician": (Role.NCRB_STATISTICIAN, None, "stats-demo-pass"),
    "officer": (Role.SENIOR_OFFICER, None, "officer-demo-pass"),
    "scrb09": (Role.SCRB, "09", "scrb09-demo-pass"),
    "public": (Role.PUBLIC, None, "public-demo-pass"),
}


class AuthError(ValueError):
    """A user definition or a users file that cannot be accepted."""


@dataclass(frozen=True)
class User:
    """An authenticated dashboard user (never carries the password hash)."""

    username: str
    role: Role
    state_code: str | None = None
    display_name: str = ""

    @property
    def label(self) -> str:
        where = f", State {self.state_code}" if self.state_code else ""
        return f"{self.display_name or self.username} ({ROLE_LABELS[self.role]}{where})"


def auth_dir(paths: Paths | None = None) -> Path:
    """``$CCTNS_HOME/auth``: the users file and the login state (0700)."""
    return (paths or default_paths()).home / "auth"


def users_file(paths: Paths | None = None) -> Path:
    return auth_dir(paths) / "users.toml"


def _legacy_users_file(paths: Paths | None) -> Path:
    return (paths or default_paths()).home / "users.toml"


def _private_users_file(paths: Paths | None) -> Path:
    """The users file, moved from its former place when needed, with its mode fixed (0600 in a
    0700 directory); it may not exist."""
    f = users_file(paths)
    legacy = _legacy_users_file(paths)
    if not f.exists() and legacy.is_file() and not legacy.is_symlink():
        ensure_private_dir(f.parent)
        os.chmod(legacy, PRIVATE_FILE_MODE)
        os.replace(legacy, f)
    if f.exists():
        ensure_private_dir(f.parent)
        if stat.S_IMODE(f.stat().st_mode) != PRIVATE_FILE_MODE:
            os.chmod(f, PRIVATE_FILE_MODE)
    return f


def _rounds() -> int:
    return int(settings.setting("bcrypt_rounds", error=AuthError))


def hash_password(password: str, rounds: int | None = None) -> str:
    """A bcrypt hash (``$2b$...``) of the password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    data = password.encode("utf-8")
    if len(data) > 72:
        raise AuthError("a password may have at most 72 bytes (bcrypt's limit)")
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds or _rounds())).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    data = password.encode("utf-8")
    if len(data) > 72:
        return False
    try:
        return bcrypt.checkpw(data, hashed.encode("ascii"))
    except ValueError:
        return False


# A hash to check against when the user does not exist, so a wrong username takes as long as a
# wrong password.
_DUMMY_HASH: Final = "$2b$12$00qqbLLmi9U8isSct4jOVO0fVjwmbj1yW09DRRdtEfLurTN6IDQBe"


def validate(username: str, role: Role | str, state_code: str | None) -> tuple[str, Role, str | None]:
    """Check a user definition; returns it normalised or raises :class:`AuthError`."""
    if not USERNAME_RE.match(username):
        raise AuthError(
            f"invalid username {username!r}: 2-32 characters, lower-case letters, digits, '.', '_', '-'"
        )
    try:
        r = Role(role)
    except ValueError as exc:
        raise AuthError(f"unknown role {role!r}; roles: {', '.join(x.value for x in Role)}") from exc
    if state_code is not None and state_code != "":
        state_code = f"{int(state_code):02d}" if state_code.isdigit() else state_code
        known = set(reference.states()["state_code"].to_list())
        if state_code not in known:
            raise AuthError(f"unknown State code {state_code!r}")
        if r not in STATE_ALLOWED:
            raise AuthError(f"role {r.value} is national: it takes no State")
    else:
        state_code = None
        if r in STATE_REQUIRED:
            raise AuthError(f"role {r.value} needs a State (--state SS)")
    return username, r, state_code


def _load_raw(paths: Paths | None) -> dict[str, dict[str, Any]]:
    f = _private_users_file(paths)
    if not f.exists():
        return {}
    try:
        data = tomllib.loads(f.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AuthError(f"{f} is not valid TOML: {exc}") from exc
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise AuthError(f"{f}: [users] must be a table")
    return users


def _toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def _save_raw(paths: Paths | None, users: Mapping[str, Mapping[str, Any]]) -> None:
    f = users_file(paths)
    ensure_private_dir(f.parent)
    out = ["# cctns dashboard users: written by `cctns users`; passwords are bcrypt hashes.", ""]
    for name in sorted(users):
        rec = users[name]
        out.append(f"[users.{_toml_str(name)}]")
        for key in ("role", "state_code", "display_name", "password_hash"):
            if rec.get(key):
                out.append(f"{key} = {_toml_str(str(rec[key]))}")
        out.append("")
    atomic_write(
        f, "\n".join(out), mode=PRIVATE_FILE_MODE
    )  # born 0600: the hashes are never readable by others


def _user(name: str, rec: Mapping[str, Any]) -> User:
    return User(
        username=name,
        role=Role(rec["role"]),
        state_code=rec.get("state_code") or None,
        display_name=rec.get("display_name", ""),
    )


def load_users(paths: Paths | None = None) -> dict[str, User]:
    return {name: _user(name, rec) for name, rec in _load_raw(paths).items()}


def get_user(paths: Paths | None, username: str) -> User | None:
    rec = _load_raw(paths).get(username)
    return None if rec is None else _user(username, rec)


def add_user(
    paths: Paths | None,
    username: str,
    password: str,
    role: Role | str,
    state_code: str | None = None,
    *,
    display_name: str = "",
    replace: bool = False,
) -> User:
    """Create (or with ``replace`` overwrite) a user; the password is stored as a bcrypt hash."""
    username, r, state_code = validate(username, role, state_code)
    users = _load_raw(paths)
    if username in users and not replace:
        raise AuthError(f"user {username!r} exists (use replace)")
    users[username] = {
        "role": r.value,
        "state_code": state_code or "",
        "display_name": display_name,
        "password_hash": hash_password(password),
    }
    _save_raw(paths, users)
    return _user(username, users[username])


def remove_user(paths: Paths | None, username: str) -> None:
    users = _load_raw(paths)
    if username not in users:
        raise AuthError(f"no user {username!r}")
    del users[username]
    _save_raw(paths, users)


def authenticate(paths: Paths | None, username: str, password: str) -> User | None:
    """The user when the password matches its stored hash, else None."""
    rec = _load_raw(paths).get(username.strip())
    if rec is None:
        verify_password(password, _DUMMY_HASH)
        return None
    if not verify_password(password, str(rec.get("password_hash", ""))):
        return None
    return _user(username.strip(), rec)


def ensure_demo_users(paths: Paths | None = None) -> dict[str, str]:
    """Create (or reset) one demo user per role; returns username -> demo password."""
    out: dict[str, str] = {}
    existing = _load_raw(paths)
    for name, (role, state, password) in DEMO_USERS.items():
        rec = existing.get(name)
        if (
            rec is not None
            and rec.get("role") == role.value
            and (rec.get("state_code") or None) == state
            and verify_password(password, str(rec.get("password_hash", "")))
        ):
            out[name] = password
            continue
        add_user(paths, name, password, role, state, display_name=f"Demo {ROLE_LABELS[role]}", replace=True)
        out[name] = password
    return out


# ------------------------------------------------------------------------------------------
# Single sign-on: identity-provider claims -> role and State
# ------------------------------------------------------------------------------------------


def user_from_claims(claims: Mapping[str, Any], mapping: Mapping[str, Any]) -> User | None:
    """A user from OpenID Connect claims (``st.user``) and the ``[cctns_sso]`` secrets section.

    ``mapping``: ``role_claim`` (default ``"roles"``: a string or a list of group names),
    ``state_claim`` (default ``"state_code"``), ``username_claim`` (default ``"email"``) and
    ``roles``: a table of identity-provider group -> cctns role. The first group (in the order
    of ``roles``) that the user holds wins; no mapped group means no access.
    """
    role_claim = str(mapping.get("role_claim", "roles"))
    state_claim = str(mapping.get("state_claim", "state_code"))
    username_claim = str(mapping.get("username_claim", "email"))
    groups_raw = claims.get(role_claim)
    groups = {groups_raw} if isinstance(groups_raw, str) else set(groups_raw or [])
    role_map = mapping.get("roles", {}) or {}
    role: Role | None = None
    for group, cctns_role in role_map.items():
        if group in groups:
            role = Role(cctns_role)
            break
    if role is None:
        return None
    state = claims.get(state_claim)
    state = str(state) if state not in (None, "") else None
    username = str(claims.get(username_claim) or claims.get("sub") or "")
    if not username:
        return None
    if role in STATE_REQUIRED and state is None:
        return None
    if role not in STATE_ALLOWED:
        state = None
    return User(username=username, role=role, state_code=state, display_name=str(claims.get("name", "")))
