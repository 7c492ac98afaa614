"""Where runtime state lives: everything under ``$CCTNS_HOME`` (default ``./var``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
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
