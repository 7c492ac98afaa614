"""Retention: old published warehouse versions and old landed uploads, as configured.

* **Published versions**: :func:`warehouse.publish.apply_retention` keeps the last
  ``$CCTNS_KEEP_VERSIONS`` (default 5) versions, never the current one or the one before it.
* **Landed uploads** (``landing/<hh>/<upload_hash>/``, the uploads exactly as received): a landed
  folder is deleted when it is older than ``$CCTNS_LANDING_RETENTION_DAYS`` (default 90) **and**
  every committed load that landed it finished longer ago than that. A folder no committed load
  refers to (an ingest in progress, or one that died before its commit) is kept until its own
  age passes the retention, so an upload being ingested is never removed. The lake keeps every
  row of every load; ``landed_path`` in the ledger then points to a folder that no longer exists.

Landing retention holds the ingestion lock while it deletes, so no ingest lands or commits at
the same time (if an ingest is running it raises, and Airflow retries later).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import settings
from core.settings import Paths
from ingestion.store import Store
from warehouse import publish as pub

ENV_LANDING_DAYS = settings.env_name("landing_retention_days")
DEFAULT_LANDING_DAYS: int = settings.Settings.model_fields["landing_retention_days"].default


class MaintenanceError(ValueError):
    """A retention setting is not valid."""


def landing_retention_days() -> int:
    """Days landed uploads are kept: ``$CCTNS_LANDING_RETENTION_DAYS`` (default 90, at least 1)."""
    return int(settings.setting("landing_retention_days", error=MaintenanceError))


@dataclass
class LandingReport:
    """What landing retention did (paths relative to ``landing/``)."""

    days: int
    cutoff: str
    deleted: list[str] = field(default_factory=list)
    kept_young_load: list[str] = field(default_factory=list)  # a load that landed it is recent
    kept_young_folder: list[str] = field(default_factory=list)  # no committed load, folder recent
    bytes_freed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "cutoff": self.cutoff,
            "deleted": len(self.deleted),
            "kept_young_load": len(self.kept_young_load),
            "kept_young_folder": len(self.kept_young_folder),
            "bytes_freed": self.bytes_freed,
        }


def _parse_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _latest_load_per_landed(paths: Paths) -> dict[str, dt.datetime]:
    """Landed folder (``<hh>/<hash>``) → when the latest committed load that landed it finished.

    Keyed by the last two parts of the ledger's ``landed_path``, so a ``CCTNS_HOME`` that was
    moved or copied still matches its loads.
    """
    latest: dict[str, dt.datetime] = {}
    for marker in paths.lake.glob("state_code=*/load_id=*/_load.json"):
        led = json.loads(marker.read_text(encoding="utf-8"))
        landed = led.get("landed_path")
        if not landed:
            continue
        # a far-future time keeps the folder if the ledger has no usable time
        when = (
            _parse_time(led.get("finished_at"))
            or _parse_time(led.get("started_at"))
            or dt.datetime.max.replace(tzinfo=dt.UTC)
        )
        key = "/".join(Path(landed).parts[-2:])
        if key not in latest or when > latest[key]:
            latest[key] = when
    return latest


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _newest_mtime(path: Path) -> float:
    """The latest modification time of a landed folder or any file in it."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        newest = max([newest, *(p.lstat().st_mtime for p in path.rglob("*"))])
    return newest


def landing_retention(
    paths: Paths | None = None,
    days: int | None = None,
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> LandingReport:
    """Delete landed uploads older than ``days`` whose loads are all older than ``days``."""
    paths = (paths or settings.paths()).ensure()
    days = landing_retention_days() if days is None else days
    if days < 1:
        raise MaintenanceError(f"landing retention must be at least 1 day, got {days}")
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(days=days)
    report = LandingReport(days=days, cutoff=cutoff.isoformat(timespec="seconds"))
    store = Store(paths)
    with store.lock():
        latest = _latest_load_per_landed(paths)
        for hh in sorted(p for p in paths.landing.iterdir() if p.is_dir()):
            for landed in sorted(hh.iterdir()):
                rel = f"{hh.name}/{landed.name}"
                load_time = latest.get(rel)
                if load_time is not None and load_time >= cutoff:
                    report.kept_young_load.append(rel)
                    continue
                if dt.datetime.fromtimestamp(_newest_mtime(landed), dt.UTC) >= cutoff:
                    report.kept_young_folder.append(rel)
                    continue
                report.bytes_freed += _size(landed)
                report.deleted.append(rel)
                if not dry_run:
                    if landed.is_dir() and not landed.is_symlink():
                        shutil.rmtree(landed)
                    else:
                        landed.unlink()
            if not dry_run and hh.is_dir() and not any(hh.iterdir()):
                hh.rmdir()
    return report


def version_retention(paths: Paths | None = None, keep: int | None = None) -> dict[str, Any]:
    """Keep the last ``keep`` published versions (default ``$CCTNS_KEEP_VERSIONS``, 5)."""
    paths = (paths or settings.paths()).ensure()
    keep = pub.keep_versions_setting() if keep is None else keep
    deleted = pub.apply_retention(paths, keep)
    root = pub.layout(paths).root
    return {
        "keep": keep,
        "deleted": [str(p.relative_to(root)) for p in deleted],
        "versions": [v.version_id for v in pub.list_versions(paths)],
    }


__all__ = [
    "DEFAULT_LANDING_DAYS",
    "ENV_LANDING_DAYS",
    "LandingReport",
    "MaintenanceError",
    "landing_retention",
    "landing_retention_days",
    "version_retention",
]
