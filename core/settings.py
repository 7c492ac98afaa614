"""Where runtime state lives: everything under ``$CCTNS_HOME`` (default ``./var``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
#: The curated reference data (reviewed CSV/YAML files) the seeds are built from.
REFERENCE_DATA_DIR = REPO_ROOT / "reference_data"
SAMPLE_DIR = REPO_ROOT / "sample_data" / "sample"


@dataclass(frozen=True)
class Paths:
    """The runtime directories of one environment (one ``CCTNS_HOME``)."""

    home: Path

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def lake(self) -> Path:
        return self.home / "lake"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def quality(self) -> Path:
        """Quality gate state: batch status, stored results, rendered Data Docs."""
        return self.home / "quality"

    @property
    def audit(self) -> Path:
        """Append-only audit log of sensitive dashboard views and searches."""
        return self.home / "audit"

    @property
    def airflow(self) -> Path:
        """Project-local ``AIRFLOW_HOME`` for the demo and tests."""
        return self.home / "airflow"

    def ensure(self) -> Paths:
        for p in (
            self.inbox,
            self.landing,
            self.lake,
            self.quarantine,
            self.outbox,
            self.warehouse,
            self.logs,
            self.quality,
            self.audit,
        ):
            p.mkdir(parents=True, exist_ok=True)
        return self


def cctns_home() -> Path:
    """``$CCTNS_HOME`` or ``./var``, resolved to an absolute path."""
    return Path(os.environ.get("CCTNS_HOME", "var")).expanduser().resolve()


def paths() -> Paths:
    return Paths(cctns_home())


# ------------------------------------------------------------------------------------------
# Dashboard login, lockout and sessions (issue 12, item 8)
# ------------------------------------------------------------------------------------------

LOGIN_MAX_FAILURES_ENV = "CCTNS_LOGIN_MAX_FAILURES"
LOGIN_LOCKOUT_MINUTES_ENV = "CCTNS_LOGIN_LOCKOUT_MINUTES"
SESSION_IDLE_MINUTES_ENV = "CCTNS_SESSION_IDLE_MINUTES"
SESSION_MAX_HOURS_ENV = "CCTNS_SESSION_MAX_HOURS"


@dataclass(frozen=True)
class LoginSettings:
    """Lockout and session limits of the dashboard login (read from the environment)."""

    max_failures: int = 5  # consecutive failed logins of one username before it is locked
    lockout_minutes: float = 15.0  # how long a locked username refuses every login
    session_idle_minutes: float = 30.0  # a session without interaction this long is ended
    session_max_hours: float = 12.0  # a session is ended this long after its login, active or not


def _positive_env(name: str, default: float, *, integer: bool = False) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ValueError(f"{name} must be {kind} greater than 0, got {raw!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"{name} must be greater than 0, got {raw!r}")
    return value


def login_settings() -> LoginSettings:
    """The login settings from ``$CCTNS_LOGIN_MAX_FAILURES`` (default 5),
    ``$CCTNS_LOGIN_LOCKOUT_MINUTES`` (15), ``$CCTNS_SESSION_IDLE_MINUTES`` (30) and
    ``$CCTNS_SESSION_MAX_HOURS`` (12); a value that is not a positive number raises ValueError."""
    d = LoginSettings()
    return LoginSettings(
        max_failures=int(_positive_env(LOGIN_MAX_FAILURES_ENV, d.max_failures, integer=True)),
        lockout_minutes=_positive_env(LOGIN_LOCKOUT_MINUTES_ENV, d.lockout_minutes),
        session_idle_minutes=_positive_env(SESSION_IDLE_MINUTES_ENV, d.session_idle_minutes),
        session_max_hours=_positive_env(SESSION_MAX_HOURS_ENV, d.session_max_hours),
    )
