"""Every setting of the warehouse, read from ``CCTNS_*`` environment variables, and where runtime
state lives: everything under ``$CCTNS_HOME`` (default ``./var``).

:class:`Settings` (pydantic-settings) is the one list of settings: a field per variable with its
default, a description and its validation. Values are read from the environment **at each call**
(tests and the Airflow workers change variables at run time):

* :func:`setting` reads and validates one variable: a bad value of another variable does not
  stop a command that does not use it;
* :func:`settings` reads and validates them all (``cctns settings``, the docs table).

A bad value raises :class:`SettingError` (a ``ValueError``) naming the variable, e.g.
``CCTNS_KEEP_VERSIONS must be an integer of at least 1, got 'many'``; a caller may ask for its
own error class (``setting("keep_versions", error=PublishError)``).
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import annotated_types
from pydantic import Field, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
#: The curated reference data (reviewed CSV/YAML files) the seeds are built from.
REFERENCE_DATA_DIR = REPO_ROOT / "reference_data"
SAMPLE_DIR = REPO_ROOT / "sample_data" / "sample"

ENV_PREFIX = "CCTNS_"


class SettingError(ValueError):
    """A ``CCTNS_*`` variable holds a value the setting does not accept."""


class _Base(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore")


class Settings(_Base):
    """The settings of one environment; the variable of field ``x`` is ``CCTNS_X``."""

    # --- where state lives --------------------------------------------------------------------
    home: Path = Field(Path("var"), description="Root of all runtime state (inbox, lake, warehouse, ...).")

    # --- warehouse: publication, retention, feedback -------------------------------------------
    keep_versions: int = Field(5, ge=1, description="Published warehouse versions retention keeps.")
    candidate_max_age_hours: float = Field(
        9.0,
        gt=0,
        allow_inf_nan=False,
        description="Hours a build candidate may stay untouched before it is stale (outlasts a nightly DAG run).",
    )
    landing_retention_days: int = Field(
        90, ge=1, description="Days landed uploads are kept (`cctns_maintenance`)."
    )
    feedback_target: Path | None = Field(
        None,
        description="Where feedback files are delivered (the SCRBs' mount); unset: `outbox/<SS>/delivered/`.",
    )

    # --- orchestration --------------------------------------------------------------------------
    airflow_retries: int = Field(
        2, ge=0, description="Retries of every Airflow task (tests set 0 to fail fast)."
    )
    dbt_manifest: Path | None = Field(
        None,
        description="The dbt manifest cosmos renders from; unset: `$CCTNS_HOME/warehouse/dbt_manifest/manifest.json`.",
    )

    # --- dashboards -----------------------------------------------------------------------------
    serve_address: str = Field(
        "127.0.0.1", description="Address `cctns serve` binds (0.0.0.0 behind a proxy)."
    )
    suppression_threshold: int = Field(
        10, ge=2, description="Counts below this are suppressed in dashboards."
    )
    bcrypt_rounds: int = Field(12, ge=4, le=31, description="bcrypt cost of new password hashes.")
    login_max_failures: int = Field(
        5, gt=0, description="Consecutive failed logins of one username that lock it."
    )
    login_lockout_minutes: float = Field(
        15.0, gt=0, allow_inf_nan=False, description="How long a locked username refuses every login."
    )
    session_idle_minutes: float = Field(
        30.0, gt=0, allow_inf_nan=False, description="A session with no interaction this long is ended."
    )
    session_max_hours: float = Field(
        12.0,
        gt=0,
        allow_inf_nan=False,
        description="A session is ended this long after its login, active or not.",
    )

    # --- demo, benchmarks, tests ----------------------------------------------------------------
    demo_runner: Literal["airflow", "cli"] = Field(
        "airflow",
        description="`make demo` runs the pipeline through Airflow (in-process) or the `cctns` CLI.",
    )
    demo_serve: bool = Field(
        True, description="`make demo` starts the dashboards at the end (0: it does not)."
    )
    demo_port: int = Field(8501, ge=1, le=65535, description="Port of the demo dashboards.")
    bench_cache: Path | None = Field(
        None, description="Cache of generated benchmark inputs; unset: `<tmp>/cctns-bench-cache`."
    )
    crash_at: str | None = Field(
        None,
        description="Test hook: SIGKILL the process at this crash point (`name` or `name:N` for the N-th time).",
    )


def env_name(field: str) -> str:
    """The environment variable of a setting: ``keep_versions`` -> ``CCTNS_KEEP_VERSIONS``."""
    if field not in Settings.model_fields:
        raise KeyError(f"no setting {field!r}")
    return ENV_PREFIX + field.upper()


def _expected(info: FieldInfo) -> str:
    """What a setting accepts, in words (for the error message and the docs)."""
    kind = info.annotation
    args = typing.get_args(kind)
    if typing.get_origin(kind) is Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if Path in (kind, *args):
        return "a path"
    words = {int: "an integer", float: "a number", bool: "true or false (1 or 0)"}.get(kind, "text")
    bounds = []
    for m in info.metadata:
        if isinstance(m, annotated_types.Gt):
            bounds.append(f"greater than {m.gt}")
        elif isinstance(m, annotated_types.Ge):
            bounds.append(f"at least {m.ge}")
        elif isinstance(m, annotated_types.Le):
            bounds.append(f"at most {m.le}")
    return ", ".join([words, *bounds])


def _error_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = str(first["loc"][0])
    return f"{env_name(field)} must be {_expected(Settings.model_fields[field])}, got {first['input']!r}"


@functools.cache
def _one(field: str) -> type[BaseSettings]:
    """A settings class of one field of :class:`Settings` (made once; reads the environment per call)."""
    info = Settings.model_fields[field]
    return create_model(  # type: ignore[call-overload, no-any-return]
        f"Setting_{field}", __base__=_Base, **{field: (info.annotation, info)}
    )


def setting(field: str, *, error: type[Exception] = SettingError) -> Any:
    """The value of one setting, read from the environment now; a bad value raises ``error``."""
    try:
        return getattr(_one(field)(), field)
    except ValidationError as exc:
        raise error(_error_message(exc)) from None


def settings(*, error: type[Exception] = SettingError) -> Settings:
    """Every setting, read from the environment now; the first bad value raises ``error``."""
    try:
        return Settings()
    except ValidationError as exc:
        raise error(_error_message(exc)) from None


def settings_table() -> str:
    """The Markdown table of every setting (``docs/operations.md`` holds it; a test keeps it in step)."""
    rows = ["| variable | default | accepts | what it sets |", "| --- | --- | --- | --- |"]
    for field, info in Settings.model_fields.items():
        default = "unset" if info.default is None else f"`{info.default}`"
        rows.append(f"| `{env_name(field)}` | {default} | {_expected(info)} | {info.description} |")
    return "\n".join(rows) + "\n"


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
    return Path(setting("home")).expanduser().resolve()


def paths() -> Paths:
    return Paths(cctns_home())


# ------------------------------------------------------------------------------------------
# Dashboard login, lockout and sessions (issue 12, item 8)
# ------------------------------------------------------------------------------------------

LOGIN_MAX_FAILURES_ENV = env_name("login_max_failures")
LOGIN_LOCKOUT_MINUTES_ENV = env_name("login_lockout_minutes")
SESSION_IDLE_MINUTES_ENV = env_name("session_idle_minutes")
SESSION_MAX_HOURS_ENV = env_name("session_max_hours")


def _default(field: str) -> Any:
    return Settings.model_fields[field].default


@dataclass(frozen=True)
class LoginSettings:
    """Lockout and session limits of the dashboard login (defaults and meanings: :class:`Settings`)."""

    max_failures: int = _default("login_max_failures")
    lockout_minutes: float = _default("login_lockout_minutes")
    session_idle_minutes: float = _default("session_idle_minutes")
    session_max_hours: float = _default("session_max_hours")


def login_settings() -> LoginSettings:
    """The login settings from ``$CCTNS_LOGIN_MAX_FAILURES``, ``$CCTNS_LOGIN_LOCKOUT_MINUTES``,
    ``$CCTNS_SESSION_IDLE_MINUTES`` and ``$CCTNS_SESSION_MAX_HOURS``; a bad value raises
    :class:`SettingError` (a ValueError)."""
    return LoginSettings(
        max_failures=setting("login_max_failures"),
        lockout_minutes=setting("login_lockout_minutes"),
        session_idle_minutes=setting("session_idle_minutes"),
        session_max_hours=setting("session_max_hours"),
    )
