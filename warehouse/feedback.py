"""Delivery of the feedback files ingestion writes for each upload, with a delivery ledger.

Ingestion writes ``outbox/<SS>/<load_id>_errors.csv`` and ``<load_id>_warnings.csv`` for every
upload (``ingestion/store.py``). :func:`deliver_feedback` delivers each of them to its State and
records the delivery:

* **where**: ``<target>/<SS>/<file name>``; the target is ``$CCTNS_FEEDBACK_TARGET`` (e.g. the
  mount of each SCRB's SFTP share) or, on a single machine, the State's own
  ``outbox/<SS>/delivered/`` folder;
* **how**: copied to a temporary name beside the destination, fsynced and renamed, so a State
  never sees half a file;
* **once**: ``outbox/deliveries.jsonl`` gets one line per delivery (State, load id, kind, file,
  sha256, bytes, data rows, destination, time). A file whose name and content were delivered
  before is not delivered again; a file rewritten with other content (ingestion's crash
  recovery rewrites feedback files) is delivered again and recorded as a new delivery.

Only names and counts are logged, never the content: an errors file holds rejected values, which
go to the State that sent them and nowhere else.

**Nothing identifying, no formula.** Ingestion writes the files with every value that may
identify a person withheld and every text cell neutralised (:mod:`core.safe_text`). Before
a file is delivered it is checked again the same way and, if it was written by an older release
(with a raw record or a formula in it), rewritten in place first; what is delivered and recorded
is the sanitised file.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from core import safe_text, settings
from core.fs import append_line, atomic_path, atomic_write, file_lock
from core.settings import Paths

ENV_FEEDBACK_TARGET = settings.env_name("feedback_target")
LEDGER_NAME = "deliveries.jsonl"
DELIVERED_DIR = "delivered"
#: ``<load_id>_errors.csv`` / ``<load_id>_warnings.csv`` as ingestion names them, and
#: ``<load_id>_held.csv``: why the warehouse build held a load (``quality.gate.hold_from_build``).
FEEDBACK_RE = re.compile(r"^(?P<load_id>.+)_(?P<kind>errors|warnings|held)\.csv$")
_STATE_DIR_RE = re.compile(r"^\d{2}$")


class FeedbackError(RuntimeError):
    """Feedback cannot be delivered (bad target, unreadable ledger)."""


@dataclass(frozen=True)
class Delivery:
    """One feedback file delivered to one State."""

    state_code: str
    load_id: str
    kind: str  # errors | warnings
    file: str
    sha256: str
    bytes: int
    rows: int  # data rows (lines after the header)
    destination: str
    delivered_at: str


def feedback_target(paths: Paths | None = None) -> Path | None:
    """``$CCTNS_FEEDBACK_TARGET`` as an absolute path, or ``None`` for the per-State ``delivered/``."""
    target = settings.setting("feedback_target")
    return Path(target).expanduser().resolve() if target else None


def _ledger_path(paths: Paths) -> Path:
    return paths.outbox / LEDGER_NAME


def deliveries(paths: Paths | None = None) -> list[Delivery]:
    """Every recorded delivery, oldest first (a line torn by a crash is skipped)."""
    paths = paths or settings.paths()
    ledger = _ledger_path(paths)
    if not ledger.is_file():
        return []
    out = []
    for line in ledger.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, TypeError):
            out.append(Delivery(**json.loads(line)))
    return out


def _sha256(path: Path) -> tuple[str, int]:
    """sha256 and size of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _csv_rows(path: Path) -> int:
    """Data records of a CSV file (a quoted value may span lines)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def _copy_atomic(src: Path, dest: Path) -> None:
    with atomic_path(dest) as tmp:
        shutil.copyfile(src, tmp)


def sanitise_in_place(path: Path) -> bool:
    """Rewrite a feedback file (atomically) if it holds a value that may identify a person or an
    unneutralised formula; True if it was rewritten."""
    text = path.read_text(encoding="utf-8", errors="replace")
    clean = safe_text.sanitise_feedback_csv(text)
    if clean == text or not clean:
        return False
    atomic_write(path, clean)
    return True


def pending_feedback(paths: Paths | None = None) -> list[Path]:
    """Feedback files in the outbox not delivered yet with their current content."""
    paths = paths or settings.paths()
    done = {(d.state_code, d.file, d.sha256) for d in deliveries(paths)}
    out = []
    for state_dir in sorted(p for p in paths.outbox.iterdir() if p.is_dir()) if paths.outbox.is_dir() else []:
        if not _STATE_DIR_RE.match(state_dir.name):
            continue
        for f in sorted(state_dir.iterdir()):
            if (
                f.is_file()
                and FEEDBACK_RE.match(f.name)
                and not f.name.startswith(".")
                and (state_dir.name, f.name, _sha256(f)[0]) not in done
            ):
                out.append(f)
    return out


def deliver_feedback(paths: Paths | None = None, target: Path | None = None) -> list[Delivery]:
    """Deliver every feedback file not delivered yet; record and return the new deliveries.

    ``target`` (default :func:`feedback_target`): deliver to ``target/<SS>/``; ``None`` delivers to
    ``outbox/<SS>/delivered/``. Safe to run concurrently with itself (a lock) and with ingestion
    (ingestion writes feedback files atomically; dot-files are its temporary files).
    """
    paths = paths or settings.paths()
    target = target if target is not None else feedback_target(paths)
    if target is not None and target.exists() and not target.is_dir():
        raise FeedbackError(f"feedback target {target} is not a folder")
    new: list[Delivery] = []
    with file_lock(paths.outbox / ".deliveries.lock"):
        ledger = _ledger_path(paths)
        for src in pending_feedback(paths):
            sanitise_in_place(src)
            state = src.parent.name
            m = FEEDBACK_RE.match(src.name)
            assert m is not None
            digest, size = _sha256(src)
            rows = _csv_rows(src)
            dest_dir = (target / state) if target is not None else (src.parent / DELIVERED_DIR)
            dest = dest_dir / src.name
            _copy_atomic(src, dest)
            if _sha256(dest)[0] != digest:  # the source changed while copying: next run
                continue
            delivery = Delivery(
                state_code=state,
                load_id=m["load_id"],
                kind=m["kind"],
                file=src.name,
                sha256=digest,
                bytes=size,
                rows=rows,
                destination=str(dest),
                delivered_at=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            )
            append_line(ledger, json.dumps(asdict(delivery), sort_keys=True))
            new.append(delivery)
    return new


def summarise(delivered: list[Delivery]) -> dict[str, object]:
    """A JSON-safe summary for logs and XCom: counts per State and kind, no file content."""
    per_state: dict[str, dict[str, int]] = {}
    for d in delivered:
        s = per_state.setdefault(d.state_code, {"errors": 0, "warnings": 0, "rows": 0})
        s[d.kind] += 1
        s["rows"] += d.rows
    return {"files": len(delivered), "states": per_state}


__all__ = [
    "Delivery",
    "FeedbackError",
    "deliver_feedback",
    "deliveries",
    "feedback_target",
    "pending_feedback",
    "sanitise_in_place",
    "summarise",
]
