"""``cctns ingest``: every upload verified, landed, read, checked, versioned, written, fed back.

Per upload (:func:`ingest_upload`):

1. open it (a folder, or a zip extracted safely) and hash its files; an upload already
   processed under the same name is skipped, the same content under another name is a
   duplicate (rule 020: recorded, nothing changes);
2. land the upload untouched (content-addressed copy);
3. verify the manifest (rules 0xx); a failure rejects the whole upload and nothing is loaded;
4. read it through the format's adapter into raw tables (same shape for every format);
5. run the rule catalogue and standardise into the national schema;
6. apply versions: a higher ``record_version`` is applied as a new version of the whole FIR
   document, the same version with the same content changes nothing, a lower one is stale (113),
   the same version with other content conflicts (114); EXPUNGED documents are applied as
   tombstones; every applied version is kept in the lake (history for "as of" figures);
7. commit atomically: applied rows to the lake, every rejected record to quarantine with its
   rule codes, file and raw row number, the ledger row and per-file counts;
8. write the State's errors and warnings files to its outbox.

Nothing is lost: for every file, rows in = rows loaded + rows quarantined, checked before the
commit (a violation is a bug and stops the load) and recorded in the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from core import extract_spec as spec
from core import reference
from core.fs import crashpoint
from core.schema import ENTITY, FILES_SCHEMA, ISSUE_SCHEMA, QUARANTINE_SCHEMA, national_schema
from core.settings import Paths
from ingestion import apply, checks
from ingestion import upload as up
from ingestion.adapters import StructureError, read_upload
from ingestion.catalogue import rule
from ingestion.schema import UploadContext
from ingestion.store import Store

FIR_FILES = ("fir.csv", *spec.FIR_CHILD_FILES)


log = logging.getLogger(__name__)

#: Rejections for the channel an upload came by: they never hold the name or content they claim.
_CHANNEL_CODES = frozenset({"025", "026", "028"})
#: Rejections whose upload is not landed (a link is never followed; a misplaced upload is not ours).
_UNLANDED_CODES = frozenset({"023", "024", "025", "026", "028"})


class IngestBusy(RuntimeError):
    """Another ingest holds the lock of this CCTNS_HOME."""

    def __init__(self, lock: Path, detail: str) -> None:
        holder = ""
        with suppress(OSError):
            holder = lock.read_text(encoding="utf-8").strip()
        super().__init__(f"another ingest is running: it holds {lock}" + (f" ({holder})" if holder else ""))
        self.lock = lock
        self.detail = detail


def _where(exc: BaseException) -> str:
    """Where an exception was raised (file:line of the innermost frame in this project)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    if not ours:
        return "?"
    f = ours[-1]
    return f"{Path(f.filename).name}:{f.lineno}"


class InvariantError(RuntimeError):
    """Rows in != rows loaded + rows quarantined: a bug; the load is not committed."""


@dataclass
class LoadSummary:
    ledger: dict[str, Any]
    files: pl.DataFrame = field(default_factory=pl.DataFrame)
    skipped: bool = False  # already processed under this name: nothing done

    @property
    def outcome(self) -> str:
        return "SKIPPED" if self.skipped else str(self.ledger["outcome"])


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _arrival_id(upload_id: str, source_name: str, upload_hash: str) -> str:
    """Load id: the upload's name and a digest of (where it arrived from, its content)."""
    digest = hashlib.sha256("\n".join((source_name, upload_hash)).encode()).hexdigest()[:12]
    return f"{upload_id}-{digest}"


def ledger_state(source: up.UploadSource) -> str:
    """The State a load of ``source`` is recorded under: its channel (the sender), else the State its
    name says ("00" if none). Feedback goes to that State's outbox."""
    m = spec.UPLOAD_NAME_RE.match(source.upload_id)
    return source.channel or (m["state"] if m else "00")


def _arrival_name(source: up.UploadSource) -> str:
    """What the load id digests as the upload's origin: its name, qualified by its channel when that
    is not the State the name says (so a misplaced or forged copy never takes the real one's id)."""
    m = spec.UPLOAD_NAME_RE.match(source.upload_id)
    if m and source.channel == m["state"]:
        return source.source_name
    return f"{source.channel or '-'}/{source.source_name}"


def _base_ledger(source: up.UploadSource, load_id: str, upload_hash: str, started: str) -> dict[str, Any]:
    m = spec.UPLOAD_NAME_RE.match(source.upload_id)
    return {
        "load_id": load_id,
        "upload_id": source.upload_id,
        "source_name": source.source_name,
        "upload_hash": upload_hash,
        "state_code": ledger_state(source),
        "extract_date": dt.datetime.strptime(m["date"], "%Y%m%d").date() if m else None,
        "sequence": int(m["seq"]) if m else None,
        "format": None,
        "source_system": None,
        "generated_at": None,
        "outcome": None,
        "reject_codes": None,
        "reject_message": None,
        "duplicate_of": None,
        "rows_in": 0,
        "rows_loaded": 0,
        "rows_quarantined": 0,
        "fir_docs_in": 0,
        "fir_docs_applied": 0,
        "fir_docs_unchanged": 0,
        "fir_docs_quarantined": 0,
        "fir_docs_stale": 0,
        "tombstones": 0,
        "register_rows_applied": 0,
        "errors": 0,
        "warnings": 0,
        "started_at": started,
        "finished_at": None,
        "seconds": None,
        "landed_path": None,
    }


def _problem_issues(problems: list[up.Problem]) -> pl.DataFrame:
    rows = [
        {
            "entity": rule(p.code).entity,
            "source_file": p.file,
            "source_row": None,
            "fir_key": None,
            "register_key": None,
            "rule_code": p.code,
            "severity": p.severity,
            "field": None,
            "value": p.value,
            "message": p.message,
        }
        for p in problems
    ]
    return pl.DataFrame(rows, schema=ISSUE_SCHEMA)


class Ingestor:
    """Ingests uploads into one CCTNS_HOME."""

    def __init__(self, paths: Paths) -> None:
        self.store = Store(paths)
        states = reference.states()
        self.formats = dict(
            zip(states["state_code"].to_list(), states["extract_format"].to_list(), strict=True)
        )

    # ------------------------------------------------------------------------------------
    def run(self, paths: Iterable[Path], on_upload: Callable[[LoadSummary], None] | None = None,
            on_start: Callable[[int], None] | None = None, channel: str | None = None) -> list[LoadSummary]:  # fmt: skip
        """Recover from any earlier crash, then ingest every upload under ``paths`` in order.

        ``channel``: the State an operator vouches for, for uploads given explicitly outside a
        channel folder (``cctns ingest --channel SS PATH``), or :data:`ingestion.upload.BY_NAME`. One upload's failure never stops the
        others (see :meth:`ingest_upload`). Raises :class:`IngestBusy` if another ingest holds the
        lock of this CCTNS_HOME.
        """
        if channel is not None and channel != up.BY_NAME and channel not in up.state_codes():
            raise ValueError(f"channel {channel!r} is not a State code (nor {up.BY_NAME!r})")
        out: list[LoadSummary] = []
        with self.locked():
            try:
                self.store.recover()
                self.store.ensure_feedback()
                sources = up.discover(paths, channel=channel, inbox=self.store.paths.inbox)
                if on_start:
                    on_start(len(sources))
                for source in sources:
                    summary = self.ingest_upload(source)
                    out.append(summary)
                    if on_upload:
                        on_upload(summary)
            finally:
                self.store.close()
        return out

    @contextmanager
    def locked(self) -> Iterator[None]:
        """The ingest lock of this CCTNS_HOME, or :class:`IngestBusy` at once if it is held."""
        with ExitStack() as stack:
            try:
                stack.enter_context(self.store.lock())
            except (RuntimeError, OSError) as exc:
                raise IngestBusy(self.store.ops / "ingest.lock", str(exc)) from exc
            with suppress(OSError):  # who holds it, for the message a second run prints
                (self.store.ops / "ingest.lock").write_text(
                    f"pid {os.getpid()} on {socket.gethostname()} since {_now()}", encoding="utf-8"
                )
            yield

    def ingest_upload(self, source: up.UploadSource) -> LoadSummary:
        """Ingest one upload; whatever goes wrong, record an outcome and return (never raise).

        Rejections are outcomes with their rule. Any other exception is a failure of this upload
        only: the store is brought back to a consistent state (:meth:`Store.recover`), the upload
        is recorded as REJECTED under rule 024 (its type and where it happened, never record
        content) so a rerun does not try it again, and the caller goes on with the next upload.
        """
        started = _now()
        t0 = time.perf_counter()
        uhash: str | None = None
        try:
            up.precheck(source)
            with up.opened(source) as op:
                hashes = up.file_hashes(op.folder)
                uhash = up.upload_hash(hashes)
                return self._ingest_folder(source, op, hashes, uhash, started, t0)
        except up.Rejected as rej:  # refused before it could be opened: a link, no channel, a bad zip
            return self._reject_unopened(source, rej.problems, started, t0)
        except Exception as exc:  # per-upload isolation: one upload never stops the run
            return self._failed(source, exc, uhash, started, t0)

    def _reject_unopened(self, source: up.UploadSource, problems: list[up.Problem], started: str,
                         t0: float) -> LoadSummary:  # fmt: skip
        raw_hash = up.raw_hash(source)
        if self._arrived(source, raw_hash):
            return LoadSummary(
                {"load_id": None, "upload_id": source.upload_id, "outcome": "SKIPPED"}, skipped=True
            )
        load_id = _arrival_id(source.upload_id, _arrival_name(source), raw_hash)
        ledger = _base_ledger(source, load_id, raw_hash, started)
        is_zip_file = source.is_zip and source.path.is_file() and not source.path.is_symlink()
        if is_zip_file and not {p.code for p in problems} & _UNLANDED_CODES:  # kept as evidence
            ledger["landed_path"] = str(self.store.land(source.path, raw_hash))
        return self._reject(ledger, problems, {}, t0)

    def _failed(self, source: up.UploadSource, exc: Exception, uhash: str | None, started: str,
                t0: float) -> LoadSummary:  # fmt: skip
        """Record an unexpected failure of one upload as a rejection under rule 024."""
        where = _where(exc)
        detail = f"{type(exc).__name__} at {where}"
        log.error("ingest of %s failed: %s (rule 024; the run goes on)", source.source_name, detail)
        try:
            self.store.close()
            self.store.recover()  # staging leftovers removed, a load committed before the failure indexed
            h = uhash or up.raw_hash(source)
            if self._arrived(source, h):  # it had committed after all
                return LoadSummary(
                    {"load_id": None, "upload_id": source.upload_id, "outcome": "SKIPPED"}, skipped=True
                )
            load_id = _arrival_id(source.upload_id, _arrival_name(source), h)
            ledger = _base_ledger(source, load_id, h, started)
            problem = up.Problem("024", None, rule("024").message.format(detail=detail), detail)
            return self._reject(ledger, [problem], {}, t0)
        except Exception as again:  # the store itself is failing: report, go on
            log.error("could not record the failure of %s: %s", source.source_name, type(again).__name__)
            ledger = {"load_id": None, "upload_id": source.upload_id, "source_name": source.source_name,
                      "outcome": "FAILED", "reject_codes": "024",
                      "reject_message": rule("024").message.format(detail=detail)}  # fmt: skip
            return LoadSummary(ledger)

    def _ingest_folder(self, source: up.UploadSource, op: up.Opened, hashes: dict[str, str], uhash: str,
                       started: str, t0: float) -> LoadSummary:  # fmt: skip
        store = self.store
        folder = op.folder
        if self._arrived(source, uhash):
            return LoadSummary(
                {"load_id": None, "upload_id": source.upload_id, "outcome": "SKIPPED"}, skipped=True
            )
        load_id = _arrival_id(source.upload_id, _arrival_name(source), uhash)
        ledger = _base_ledger(source, load_id, uhash, started)
        ledger["landed_path"] = str(store.land(op.landed_from, uhash))
        crashpoint("after_landing")
        prior = self._loaded_hash(uhash)
        if prior:
            ledger["outcome"] = "DUPLICATE"
            ledger["duplicate_of"] = prior
            issues = _problem_issues(
                [up.Problem("020", None, rule("020").message.format(value=prior), prior)]
            )
            ledger["warnings"] = 1
            return self._finish(
                ledger,
                pl.DataFrame(schema=FILES_SCHEMA),
                {},
                issues,
                pl.DataFrame(schema=QUARANTINE_SCHEMA),
                pl.DataFrame(),
                pl.DataFrame(),
                t0,
            )
        if self._sequence_hashes(source.upload_id) - {uhash}:
            return self._reject(
                ledger,
                [
                    up.Problem(
                        "022", None, rule("022").message.format(upload=source.upload_id), source.upload_id
                    )
                ],
                hashes,
                t0,
                folder,
            )
        try:
            man = up.verify(folder, source, hashes, self.formats)
        except up.Rejected as rej:
            return self._reject(ledger, rej.problems, hashes, t0, folder)
        ledger.update(
            format=man.fmt, source_system=man.source_system, generated_at=man.generated_at.isoformat()
        )
        try:
            raw = read_upload(folder, man.fmt, man.state_code)
        except StructureError as exc:
            problem = up.Problem(exc.rule_code, exc.file, str(exc), exc.value)
            return self._reject(ledger, [problem], hashes, t0, folder)
        ctx = UploadContext(source.upload_id, man.state_code, man.extract_date, man.generated_at, man.fmt)
        checked = checks.check_and_standardise(raw.tables, ctx)
        issues = pl.concat([checked.issues, raw.issues.select(list(ISSUE_SCHEMA))], how="vertical_relaxed")
        return self._apply(ledger, man, raw, checked.tables, issues, hashes, t0)

    def _arrived(self, source: up.UploadSource, upload_hash: str) -> bool:
        """Whether this upload (name, content, and the channel it came by) was processed already."""
        rows = self.store.con.execute(
            "SELECT 1 FROM loads WHERE upload_hash = ? AND state_code = ? "
            "AND json_extract_string(ledger, '$.source_name') = ? LIMIT 1",
            [upload_hash, ledger_state(source), source.source_name],
        ).fetchall()
        return bool(rows)

    def _bound_loads(self, where: str, param: str) -> list[tuple[str, str]]:
        """(load id, upload hash) of the loads matching ``where``, leaving out uploads refused for
        their channel: a forged or misplaced upload must not claim another State's name or bytes."""
        rows = self.store.con.execute(
            f"SELECT load_id, upload_hash, json_extract_string(ledger, '$.reject_codes') FROM loads WHERE {where} "
            "ORDER BY load_id",
            [param],
        ).fetchall()
        return [(r[0], r[1]) for r in rows if not set(str(r[2] or "").split(",")) & _CHANNEL_CODES]

    def _loaded_hash(self, upload_hash: str) -> str | None:
        rows = self._bound_loads(
            "upload_hash = ? AND outcome IN ('LOADED', 'LOADED_WITH_ERRORS', 'REJECTED')", upload_hash
        )
        return rows[0][0] if rows else None

    def _sequence_hashes(self, upload_id: str) -> set[str]:
        return {h for _, h in self._bound_loads("upload_id = ? AND outcome <> 'DUPLICATE'", upload_id)}

    # ------------------------------------------------------------------------------------
    def _reject(self, ledger: dict[str, Any], problems: list[up.Problem], hashes: dict[str, str], t0: float,
                folder: Path | None = None) -> LoadSummary:  # fmt: skip
        """Record a rejected upload: nothing loaded, every record it holds counted as quarantined."""
        issues = _problem_issues(problems)
        files = []
        qrows = []
        for name in sorted(hashes):
            if name == spec.MANIFEST_FILE:
                continue
            n = (
                spec.count_records(folder / name)
                if folder is not None and name.endswith(spec.COUNTED_SUFFIXES)
                else 0
            )
            files.append(
                {
                    "load_id": ledger["load_id"],
                    "file": name,
                    "rows_in": n,
                    "rows_loaded": 0,
                    "rows_quarantined": n,
                    "sha256": hashes[name],
                }
            )
        codes = sorted({p.code for p in problems})
        for p in problems:
            qrows.append(
                {
                    "load_id": ledger["load_id"],
                    "upload_id": ledger["upload_id"],
                    "entity": "upload",
                    "source_file": p.file,
                    "source_row": None,
                    "fir_key": None,
                    "register_key": None,
                    "rule_codes": [p.code],
                    "messages": [p.message],
                    "raw": None,
                }
            )
        ledger.update(
            outcome="REJECTED",
            reject_codes=",".join(codes),
            reject_message="; ".join(p.message for p in problems),
            rows_in=sum(f["rows_in"] for f in files),
            rows_quarantined=sum(f["rows_quarantined"] for f in files),
            errors=len(problems),
        )
        files_df = pl.DataFrame(files, schema=FILES_SCHEMA)
        return self._finish(
            ledger,
            files_df,
            {},
            issues,
            pl.DataFrame(qrows, schema=QUARANTINE_SCHEMA),
            pl.DataFrame(),
            pl.DataFrame(),
            t0,
        )

    def _apply(self, ledger: dict[str, Any], man: up.Manifest, raw: Any, tables: dict[str, pl.DataFrame],
               issues: pl.DataFrame, hashes: dict[str, str], t0: float) -> LoadSummary:  # fmt: skip
        """Apply a checked upload (the phases are in :mod:`ingestion.apply`): classify the FIR
        documents' and register records' versions, split every table into applied rows and
        quarantine, check that nothing is lost, assemble the ledger and commit."""
        load_id, upload_id = ledger["load_id"], ledger["upload_id"]
        fir = tables["fir.csv"]
        firs = apply.classify_fir_versions(self.store, fir, issues)
        registers = apply.classify_register_versions(self.store, tables, firs.issues)
        issues = registers.issues
        out_tables, quarantine = apply.split_tables(
            tables, raw.tables, issues, firs, registers, load_id, upload_id
        )
        # --- accounting: rows in = rows loaded + rows quarantined, per file ----------------------
        files = self._count(
            raw.records_in, tables, out_tables, quarantine, firs.unchanged_keys, registers.unchanged,
            hashes, load_id,
        )  # fmt: skip
        bad_sum = files.filter(pl.col("rows_in") != pl.col("rows_loaded") + pl.col("rows_quarantined"))
        if bad_sum.height:
            raise InvariantError(f"{upload_id}: rows in != loaded + quarantined for {bad_sum.to_dicts()}")
        ledger.update(apply.ledger_counts(fir, files, out_tables, issues, firs, registers))
        ledger["outcome"] = "LOADED_WITH_ERRORS" if ledger["rows_quarantined"] else "LOADED"
        fir_index = out_tables["fir.csv"].select("fir_key", "record_version", "content_hash")
        return self._finish(
            ledger, files, out_tables, issues, quarantine, fir_index, pl.DataFrame(registers.index), t0
        )

    @staticmethod
    def _count(records_in: dict[str, int], tables: dict[str, pl.DataFrame], out_tables: dict[str, pl.DataFrame],
               quarantine: pl.DataFrame, unchanged_keys: pl.Series, reg_unchanged: dict[str, int],
               hashes: dict[str, str], load_id: str) -> pl.DataFrame:  # fmt: skip
        """Per delivered data file: records in, loaded (applied or unchanged), quarantined.

        A record is a CSV row, or for JSONL/XML the FIR document (line / element).
        """
        rows = []
        unchanged = unchanged_keys.to_list()
        for name, n_in in sorted(records_in.items()):
            if name in spec.CAS_COLUMNS and name not in ("firs.jsonl", "firs.xml"):
                t = tables[name]
                if name in spec.REGISTER_FILES:
                    loaded = out_tables[name].filter(
                        pl.col("source_file") == name
                    ).height + reg_unchanged.get(name, 0)
                else:
                    loaded = out_tables[name].height + t.filter(pl.col("fir_key").is_in(unchanged)).height
                quarantined = quarantine.filter(
                    (pl.col("source_file") == name) & (pl.col("entity") != "upload")
                ).height
            else:  # a JSONL / XML document file: count documents by their line / element
                fir = tables["fir.csv"]
                loaded_docs = pl.concat(
                    [
                        out_tables["fir.csv"].select("source_row"),
                        fir.filter(pl.col("fir_key").is_in(unchanged)).select("source_row"),
                    ]
                )
                loaded = loaded_docs["source_row"].n_unique()
                quarantined = quarantine.filter(pl.col("source_file") == name)["source_row"].n_unique()
            rows.append(
                {
                    "load_id": load_id,
                    "file": name,
                    "rows_in": n_in,
                    "rows_loaded": loaded,
                    "rows_quarantined": quarantined,
                    "sha256": hashes.get(name),
                }
            )
        return pl.DataFrame(rows, schema=FILES_SCHEMA)

    def _finish(self, ledger: dict[str, Any], files: pl.DataFrame, tables: dict[str, pl.DataFrame], issues: pl.DataFrame,
                quarantine: pl.DataFrame, fir_index: pl.DataFrame, register_index: pl.DataFrame, t0: float) -> LoadSummary:  # fmt: skip
        ledger["finished_at"] = _now()
        ledger["seconds"] = round(time.perf_counter() - t0, 3)
        if not fir_index.height:
            fir_index = pl.DataFrame(
                schema={"fir_key": pl.Utf8, "record_version": pl.Int32, "content_hash": pl.Utf8}
            )
        if not register_index.height:
            register_index = pl.DataFrame(
                schema={"entity": pl.Utf8, "register_key": pl.Utf8, "record_version": pl.Int32}
            )
        full = {f: tables.get(f, pl.DataFrame(schema=national_schema(f))) for f in ENTITY}
        self.store.commit(
            ledger,
            files,
            full,
            issues.select(list(ISSUE_SCHEMA)),
            quarantine.select(list(QUARANTINE_SCHEMA)),
            fir_index,
            register_index,
        )
        self.store.write_feedback(ledger, issues)
        return LoadSummary(ledger, files)


def ingest(paths: Iterable[Path], home: Paths, on_upload: Callable[[LoadSummary], None] | None = None,
           on_start: Callable[[int], None] | None = None, channel: str | None = None) -> list[LoadSummary]:  # fmt: skip
    """Ingest every upload under ``paths`` into ``home`` (``channel``: see :meth:`Ingestor.run`)."""
    return Ingestor(home).run(paths, on_upload, on_start, channel=channel)


__all__ = ["IngestBusy", "Ingestor", "InvariantError", "LoadSummary", "ingest"]
