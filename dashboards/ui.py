"""Streamlit helpers shared by the app and its pages: the logged-in user, the page registry and
guard, cached query runs keyed on the published version, audit of sensitive views."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import streamlit as st

from core.settings import Paths
from core.settings import paths as settings_paths
from dashboards import audit, auth, db, logins, parliament, queries
from dashboards.auth import User
from dashboards.queries import Scope
from dashboards.roles import Capability, Role, has

SESSION_USER: Final = "cctns_user"
SESSION_SSO_NOTE: Final = "cctns_sso_denied"
#: The token of the server-side session record (``logins.py``) of the logged-in user.
SESSION_TOKEN: Final = "cctns_session"
#: A message for the login page (why the last session ended).
SESSION_NOTE: Final = "cctns_login_note"
#: Set when a single sign-on session expired: the identity is not taken again in this browser
#: session until the user logs in with single sign-on again (even if ``st.logout`` did not end it).
SESSION_SSO_EXPIRED: Final = "cctns_sso_expired"


@dataclass(frozen=True)
class PageDef:
    page_id: str
    file: str  # relative to dashboards/app.py
    title: str
    icon: str
    capability: Capability

    @property
    def url_path(self) -> str:
        return self.page_id


PAGES: Final[tuple[PageDef, ...]] = (
    PageDef(
        "overview",
        "pages/national_overview.py",
        "National overview",
        ":material/public:",
        Capability.OVERVIEW,
    ),
    PageDef(
        "parliament",
        "pages/parliament_questions.py",
        "Parliament questions",
        ":material/gavel:",
        Capability.PARLIAMENT,
    ),
    PageDef("rti", "pages/rti_response.py", "RTI response", ":material/description:", Capability.RTI),
    PageDef(
        "patterns", "pages/crime_patterns.py", "Crime patterns", ":material/insights:", Capability.PATTERNS
    ),
    PageDef("itsso", "pages/itsso_compliance.py", "ITSSO compliance", ":material/timer:", Capability.ITSSO),
    PageDef("ndso", "pages/ndso_search.py", "NDSO search", ":material/person_search:", Capability.NDSO),
    PageDef(
        "data_health",
        "pages/scrb_data_health.py",
        "SCRB data health",
        ":material/monitor_heart:",
        Capability.DATA_HEALTH,
    ),
)
PAGE_BY_ID: Final = {p.page_id: p for p in PAGES}


def app_paths() -> Paths:
    return settings_paths()


def pages_for(role: Role) -> list[PageDef]:
    return [p for p in PAGES if has(role, p.capability)]


# ------------------------------------------------------------------------------------------
# Users
# ------------------------------------------------------------------------------------------


def sso_mapping() -> Mapping[str, Any] | None:
    """The ``[cctns_sso]`` role mapping when ``[auth]`` is configured in secrets, else None."""
    try:
        if "auth" not in st.secrets:
            return None
        return dict(st.secrets.get("cctns_sso", {}))
    except Exception:  # no secrets file at all
        return None


def _session_alive(user: User, method: str) -> bool:
    """Check (and touch) the server-side session of the logged-in user; an idle, too old or
    unknown session is ended here, audited, and the user logged out with a message."""
    p = app_paths()
    token = st.session_state.get(SESSION_TOKEN)
    if not token:
        # A user set in the session without a session record (a single sign-on identity seen
        # for the first time, or server-side code such as the tests): the session starts now.
        token = logins.start_session(p, user.username, method=method)
        st.session_state[SESSION_TOKEN] = token
        if method == "sso":
            audit.record(
                p,
                username=user.username,
                role=user.role.value,
                state_code=user.state_code,
                action="login",
                page="login",
                detail={"method": "sso", "session": logins.session_ref(token)},
            )
        return True
    status = logins.check_session(p, str(token), user)
    if status is logins.SessionStatus.ACTIVE:
        return True
    _clear_session()
    st.session_state[SESSION_NOTE] = logins.expiry_message(status)
    if method == "sso":
        st.session_state[SESSION_SSO_EXPIRED] = True
        with contextlib.suppress(Exception):  # the identity cookie too
            st.logout()
    return False


def current_user() -> User | None:
    """The logged-in user, re-read from the users file on every run (a removed user or a changed
    role takes effect at once), or the single sign-on user mapped from the identity claims; None
    when the session has expired (idle or absolute limit, ``logins.py``)."""
    name = st.session_state.get(SESSION_USER)
    if name:
        user = auth.get_user(app_paths(), str(name))
        if user is None:
            _clear_session()
            return None
        return user if _session_alive(user, "password") else None
    mapping = sso_mapping()
    if mapping is not None and not st.session_state.get(SESSION_SSO_EXPIRED):
        try:
            if st.user.is_logged_in:
                sso_user = auth.user_from_claims(st.user.to_dict(), mapping)
            else:
                return None
        except Exception:
            return None
        if sso_user is None:
            return None
        return sso_user if _session_alive(sso_user, "sso") else None
    return None


def login_page() -> None:
    """The login form (and the single sign-on button when configured)."""
    st.title("CCTNS national crime data warehouse")
    st.caption("Log in to continue. Every sensitive view and search is recorded in the audit log.")
    note = st.session_state.pop(SESSION_NOTE, None)
    if note:
        st.warning(str(note))
    mapping = sso_mapping()
    if mapping is not None:
        if st.button("Log in with single sign-on", type="primary"):
            st.session_state.pop(SESSION_SSO_EXPIRED, None)
            st.login(mapping.get("provider") or None)
        try:
            if st.user.is_logged_in and not note and not st.session_state.get(SESSION_SSO_EXPIRED):
                st.error("Your identity provider account has no role in this application.")
        except Exception:
            pass
        st.divider()
    with st.form("login"):
        username = st.text_input("Username", key="login_username")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Log in")
    if submitted:
        result = logins.attempt(app_paths(), username, password)
        if result.user is None or result.token is None:
            st.error(result.message)
            return
        st.session_state.pop(SESSION_NOTE, None)
        st.session_state[SESSION_USER] = result.user.username
        st.session_state[SESSION_TOKEN] = result.token
        st.rerun()


def _clear_session() -> None:
    st.session_state.pop(SESSION_USER, None)
    st.session_state.pop(SESSION_TOKEN, None)
    for k in [k for k in st.session_state if str(k).startswith("audited_")]:
        st.session_state.pop(k, None)


def logout(user: User | None = None) -> None:
    """End the session (server-side record too); audited as ``logout`` when the user is given."""
    token = st.session_state.get(SESSION_TOKEN)
    logins.end_session(app_paths(), str(token) if token else None, user, reason="logout")
    _clear_session()
    st.session_state.pop(SESSION_NOTE, None)


# ------------------------------------------------------------------------------------------
# Page guard and cached queries
# ------------------------------------------------------------------------------------------


def guard(page_id: str) -> tuple[User, Scope]:
    """Stop the page unless a user is logged in whose role may open it and a warehouse is
    published; returns the user and the query scope."""
    page = PAGE_BY_ID[page_id]
    user = current_user()
    if user is None:
        st.warning("Please log in.")
        st.stop()
    if not has(user.role, page.capability):
        st.error(f"Access denied: the {page.title} page is not open to your role.")
        st.stop()
    try:
        db.current_version(app_paths())
    except db.WarehouseNotPublished as exc:
        st.error(str(exc))
        st.stop()
    return user, Scope.for_user(user)


@st.cache_data(show_spinner=False, max_entries=2000, ttl=dt.timedelta(hours=6))
def _cached(
    home: str,
    version: str,
    name: str,
    role: str,
    states: tuple[str, ...] | None,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    scope = Scope(role=Role(role), states=states)
    con = db.get_connection(Paths(Path(home)))
    try:
        return queries.QUERIES[name](con, scope, *args, **dict(kwargs))
    finally:
        con.close()


def run(scope: Scope, name: str, *args: Any, **kwargs: Any) -> Any:
    """Run a registered query through the cache; the cache key holds the published version, so
    a new publication is read at the next rerun without a restart."""
    if name not in queries.QUERIES:
        raise KeyError(f"unknown query {name!r}")
    p = app_paths()
    version = db.current_version(p)
    return _cached(
        str(p.home), version, name, scope.role.value, scope.states, args, tuple(sorted(kwargs.items()))
    )


@st.cache_data(show_spinner=False, max_entries=500, ttl=dt.timedelta(hours=6))
def _cached_annexure(
    home: str,
    version: str,
    role: str,
    states: tuple[str, ...] | None,
    key: str,
    year_list: tuple[int, ...],
    crime_head: str | None,
    act: str | None,
    section: str | None,
) -> parliament.Annexure:
    scope = Scope(role=Role(role), states=states)
    con = db.get_connection(Paths(Path(home)))
    try:
        return parliament.build_annexure(con, scope, key, year_list, crime_head, act, section)
    finally:
        con.close()


def annexure(
    scope: Scope,
    key: str,
    year_list: tuple[int, ...],
    crime_head: str | None = None,
    act: str | None = None,
    section: str | None = None,
) -> parliament.Annexure:
    p = app_paths()
    return _cached_annexure(
        str(p.home),
        db.current_version(p),
        scope.role.value,
        scope.states,
        key,
        year_list,
        crime_head,
        act,
        section,
    )


def build_caption(scope: Scope) -> dt.date | None:
    """Show the "data as on" line; returns the date."""
    info = run(scope, "build_info")
    as_on = info.get("data_as_on")
    if isinstance(as_on, dt.datetime):
        as_on = as_on.date()
    st.caption(
        f"Data as on {as_on:%d.%m.%Y}" if as_on else "Data as on: not recorded",
        help=f"Published build {info.get('build_id', '?')}",
    )
    return as_on


def audit_view(
    user: User, action: str, page: str, detail: Mapping[str, Any], *, every_time: bool = False
) -> None:
    """Record a sensitive view once per distinct parameters in a session (or every time)."""
    key = f"audited_{page}_{action}"
    marker = repr(sorted(detail.items()))
    if not every_time and st.session_state.get(key) == marker:
        return
    audit.record(
        app_paths(),
        username=user.username,
        role=user.role.value,
        state_code=user.state_code,
        action=action,
        page=page,
        detail=detail,
    )
    st.session_state[key] = marker


def state_picker(scope: Scope, label: str = "State/UT", *, allow_all: bool, key: str) -> str | None:
    """A State select box limited to the scope; None means every State in scope."""
    st_df = run(scope, "states")
    codes = list(st_df["state_code"])
    names = dict(zip(st_df["state_code"], st_df["state_name"], strict=True))
    if len(codes) == 1:
        st.markdown(f"**{label}:** {names[codes[0]]}")
        return codes[0]
    options = ([None] if allow_all else []) + codes
    return st.selectbox(
        label,
        options,
        format_func=lambda c: "All States/UTs" if c is None else names[c],
        key=key,
    )
