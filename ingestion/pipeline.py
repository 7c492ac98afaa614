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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ingestion import upload as up
from ingestion.catalogue import rule
from ingestion.schema import ENTITY, ISSUE_SCHEMA, UploadContext, national_schema
from ingestion.store import FILES_SCHEMA, QUARANTINE_SCHEMA, Store, crashpoint
from warehouse import extract_spec as spec
from warehouse import reference
from warehouse.settings import Paths

FIR_FILES = ("fir.csv", *spec.FIR_CHILD_FILES)


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


def _base_ledger(source: up.UploadSource, load_id: str, upload_hash: str, started: str) -> dict[str, Any]:
    m = spec.UPLOAD_NAME_RE.match(source.upload_id)
    return {
        "load_id": load_id,
        "upload_id": source.upload_id,
        "source_name": source.source_name,
        "upload_hash": upload_hash,
        "state_code": m["state"] if m else "00",
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
            on_start: Callable[[int], None] | None = None) -> list[LoadSummary]:  # fmt: skip
        """Recover from any earlier crash, then ingest every upload under ``paths`` in order."""
        out: list[LoadSummary] = []
        with self.store.lock():
            try:
                self.store.recover()
                self.store.ensure_feedback()
                sources = up.discover(paths)
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

    def ingest_upload(self, source: up.UploadSource) -> LoadSummary:
        started = _now()
        t0 = time.perf_counter()
        try:
            with up.opened(source) as folder:
                hashes = up.file_hashes(folder)
                uhash = up.upload_hash(hashes)
                return self._ingest_folder(source, folder, hashes, uhash, started, t0)
        except up.Rejected as rej:  # the zip itself could not be opened safely
            raw_hash = up.upload_hash(
                {source.source_name: hashlib.sha256(source.path.read_bytes()).hexdigest()}
            )
            if self.store.arrival(source.source_name, raw_hash):
                return LoadSummary(
                    {"load_id": None, "upload_id": source.upload_id, "outcome": "SKIPPED"}, skipped=True
                )
            load_id = _arrival_id(source.upload_id, source.source_name, raw_hash)
            ledger = _base_ledger(source, load_id, raw_hash, started)
            ledger["landed_path"] = str(self.store.land(source.path, raw_hash))
            return self._reject(ledger, rej.problems, {}, t0)

    def _ingest_folder(self, source: up.UploadSource, folder: Path, hashes: dict[str, str], uhash: str,
                       started: str, t0: float) -> LoadSummary:  # fmt: skip
        store = self.store
        if store.arrival(source.source_name, uhash):
            return LoadSummary(
                {"load_id": None, "upload_id": source.upload_id, "outcome": "SKIPPED"}, skipped=True
            )
        load_id = _arrival_id(source.upload_id, source.source_name, uhash)
        ledger = _base_ledger(source, load_id, uhash, started)
        ledger["landed_path"] = str(store.land(source.path, uhash))
        crashpoint("after_landing")
        prior = store.loaded_hash(uhash)
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
        if store.upload_id_hashes(source.upload_id) - {uhash}:
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
        from ingestion.adapters import StructureError, read_upload
        from ingestion.checks import check_and_standardise

        try:
            raw = read_upload(folder, man.fmt, man.state_code)
        except StructureError as exc:
            problem = up.Problem(exc.rule_code, exc.file, str(exc), exc.value)
            return self._reject(ledger, [problem], hashes, t0, folder)
        ctx = UploadContext(source.upload_id, man.state_code, man.extract_date, man.generated_at, man.fmt)
        checked = check_and_standardise(raw.tables, ctx)
        issues = pl.concat([checked.issues, raw.issues.select(list(ISSUE_SCHEMA))], how="vertical_relaxed")
        return self._apply(ledger, man, raw, checked.tables, issues, hashes, t0)

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
        store = self.store
        load_id, upload_id = ledger["load_id"], ledger["upload_id"]
        fir = tables["fir.csv"]
        errors = issues.filter(pl.col("severity") == "error")
        bad_keys = set(errors["fir_key"].drop_nulls().to_list())

        # --- versions of FIR documents ---------------------------------------------------
        cand = fir.filter(~pl.col("fir_key").is_in(list(bad_keys)) & pl.col("fir_key").is_not_null())
        stored = store.fir_versions(cand.select("fir_key"))
        cls = cand.select("fir_key", "record_version", "content_hash", "source_file", "source_row").join(
            stored, on="fir_key", how="left"
        )
        cls = cls.with_columns(
            pl.when(
                pl.col("stored_version").is_null() | (pl.col("record_version") > pl.col("stored_version"))
            )
            .then(pl.lit("apply"))
            .when(pl.col("record_version") < pl.col("stored_version"))
            .then(pl.lit("stale"))
            .when(pl.col("content_hash") == pl.col("stored_hash"))
            .then(pl.lit("unchanged"))
            .otherwise(pl.lit("conflict"))
            .alias("action")
        )
        hist = cls.filter(pl.col("action").is_in(["stale", "conflict"]))
        if hist.height:
            hist_issues = hist.select(
                pl.lit("fir.csv").alias("entity"),
                "source_file",
                "source_row",
                "fir_key",
                pl.lit(None, pl.Utf8).alias("register_key"),
                pl.when(pl.col("action") == "stale")
                .then(pl.lit("113"))
                .otherwise(pl.lit("114"))
                .alias("rule_code"),
                pl.lit("error").alias("severity"),
                pl.lit("record_version").alias("field"),
                pl.col("record_version").cast(pl.Utf8).alias("value"),
                pl.when(pl.col("action") == "stale")
                .then(
                    pl.format(
                        rule("113").message.replace("{value}", "{}").replace("{expected}", "{}"),
                        "record_version",
                        "stored_version",
                    )
                )
                .otherwise(pl.format(rule("114").message.replace("{value}", "{}"), "record_version"))
                .alias("message"),
            )
            issues = pl.concat([issues, hist_issues], how="vertical_relaxed")
            bad_keys |= set(hist["fir_key"].to_list())
        apply_keys = cls.filter(pl.col("action") == "apply")["fir_key"]
        unchanged_keys = cls.filter(pl.col("action") == "unchanged")["fir_key"]

        # --- register records --------------------------------------------------------------
        reg_bad_rows: dict[str, set[int]] = {}
        reg_apply: dict[str, pl.DataFrame] = {}
        reg_unchanged: dict[str, int] = {}
        register_index = []
        for file in spec.REGISTER_FILES:
            df = tables[file]
            bad = set(
                issues.filter((pl.col("severity") == "error") & (pl.col("source_file") == file))["source_row"]
                .drop_nulls()
                .to_list()
            )
            ok = df.filter(~pl.col("source_row").is_in(list(bad)) & pl.col("register_key").is_not_null())
            stored = store.register_versions(file, ok.select("register_key"))
            ok = ok.join(stored, on="register_key", how="left")
            stale = ok.filter(
                pl.col("stored_version").is_not_null() & (pl.col("record_version") < pl.col("stored_version"))
            )
            if stale.height:
                issues = pl.concat(
                    [
                        issues,
                        stale.select(
                            pl.lit(file).alias("entity"),
                            "source_file",
                            "source_row",
                            pl.lit(None, pl.Utf8).alias("fir_key"),
                            "register_key",
                            pl.lit("806").alias("rule_code"),
                            pl.lit("error").alias("severity"),
                            pl.lit("record_version").alias("field"),
                            pl.col("record_version").cast(pl.Utf8).alias("value"),
                            pl.format(
                                rule("806").message.replace("{value}", "{}").replace("{expected}", "{}"),
                                "record_version",
                                "stored_version",
                            ).alias("message"),
                        ),
                    ],
                    how="vertical_relaxed",
                )
                bad |= set(stale["source_row"].to_list())
            applied = ok.filter(
                pl.col("stored_version").is_null() | (pl.col("record_version") > pl.col("stored_version"))
            )
            reg_unchanged[file] = ok.filter(pl.col("record_version") == pl.col("stored_version")).height
            reg_apply[file] = applied.drop("stored_version")
            reg_bad_rows[file] = bad
            register_index.extend(
                {"entity": file, "register_key": k, "record_version": v}
                for k, v in applied.select("register_key", "record_version").iter_rows()
            )

        # --- split every table into applied / unchanged / quarantined -------------------------
        bad_list = list(bad_keys)
        out_tables: dict[str, pl.DataFrame] = {}
        quarantine_parts = []
        err_by_key = (
            issues.filter(pl.col("severity") == "error")
            .group_by("fir_key")
            .agg(pl.col("rule_code").alias("rule_codes"), pl.col("message").alias("messages"))
        )
        err_by_row = (
            issues.filter(pl.col("severity") == "error")
            .group_by("source_file", "source_row")
            .agg(pl.col("rule_code").alias("rule_codes"), pl.col("message").alias("messages"))
        )
        raw_tables = raw.tables
        warn_count = issues.filter(pl.col("severity") == "warning").height
        for file in spec.CAS_COLUMNS:
            df = tables[file].with_columns(
                pl.lit(load_id).alias("load_id"), pl.lit(upload_id).alias("upload_id")
            )
            rawdf = raw_tables[file]
            if file in spec.REGISTER_FILES:
                is_bad = (
                    pl.col("source_row").is_in(list(reg_bad_rows[file])) | pl.col("register_key").is_null()
                )
            else:
                is_bad = pl.col("fir_key").is_in(bad_list) | pl.col("fir_key").is_null()
            bad_mask = df.select(is_bad.fill_null(True).alias("m"))["m"]
            q = df.filter(bad_mask)
            # Rejected records keep their values as received (the checks return one standardised
            # row per raw row, in order, so the same mask selects the raw rows).
            if df.height == rawdf.height:
                raw_cols = pl.struct(list(spec.CAS_COLUMNS[file])).struct.json_encode().alias("raw")
                q = q.with_columns(rawdf.filter(bad_mask).select(raw_cols)["raw"])
            else:
                q = q.with_columns(pl.lit(None, pl.Utf8).alias("raw"))
            if file in spec.REGISTER_FILES:
                keep = reg_apply[file].with_columns(
                    pl.lit(load_id).alias("load_id"), pl.lit(upload_id).alias("upload_id")
                )
                q = q.join(err_by_row, on=["source_file", "source_row"], how="left")
                q = q.with_columns(pl.lit(None, pl.Utf8).alias("fir_key"))
            else:
                q = q.join(err_by_key, on="fir_key", how="left")
                keep = df.filter(pl.col("fir_key").is_in(apply_keys.implode()))
                # Rows without a usable FIR key carry their issues by file and row.
                q = q.join(
                    err_by_row.rename({"rule_codes": "rc2", "messages": "m2"}),
                    on=["source_file", "source_row"],
                    how="left",
                ).with_columns(
                    pl.coalesce("rule_codes", "rc2").alias("rule_codes"),
                    pl.coalesce("messages", "m2").alias("messages"),
                )
                q = q.with_columns(
                    pl.lit(None, pl.Utf8).alias("register_key")
                    if "register_key" not in q.columns
                    else pl.col("register_key")
                )
            out_tables[file] = keep.select(list(national_schema(file)))
            quarantine_parts.append(
                q.select(
                    pl.lit(load_id).alias("load_id"),
                    pl.lit(upload_id).alias("upload_id"),
                    pl.lit(file).alias("entity"),
                    "source_file",
                    "source_row",
                    "fir_key",
                    "register_key",
                    pl.col("rule_codes").fill_null(pl.lit([], pl.List(pl.Utf8))),
                    pl.col("messages").fill_null(pl.lit([], pl.List(pl.Utf8))),
                    "raw",
                )
            )
        # Records no adapter could turn into rows (unparseable JSON lines / FIR elements).
        unparsed = issues.filter(pl.col("rule_code") == "120")
        if unparsed.height:
            quarantine_parts.append(
                unparsed.select(
                    pl.lit(load_id).alias("load_id"),
                    pl.lit(upload_id).alias("upload_id"),
                    pl.lit("record").alias("entity"),
                    "source_file",
                    "source_row",
                    "fir_key",
                    "register_key",
                    pl.concat_list("rule_code").alias("rule_codes"),
                    pl.concat_list("message").alias("messages"),
                    pl.col("value").alias("raw"),
                )
            )
        quarantine = (
            pl.concat(quarantine_parts, how="vertical_relaxed")
            if quarantine_parts
            else pl.DataFrame(schema=QUARANTINE_SCHEMA)
        )

        # --- accounting: rows in = rows loaded + rows quarantined, per file ----------------------
        files = self._count(
            raw.records_in, tables, out_tables, quarantine, unchanged_keys, reg_unchanged, hashes, load_id
        )
        bad_sum = files.filter(pl.col("rows_in") != pl.col("rows_loaded") + pl.col("rows_quarantined"))
        if bad_sum.height:
            raise InvariantError(f"{upload_id}: rows in != loaded + quarantined for {bad_sum.to_dicts()}")
        fir_docs_in = (
            fir.select(pl.struct("source_file", "source_row").n_unique()).item() if fir.height else 0
        )
        q_docs = len(bad_keys & set(fir["fir_key"].drop_nulls().to_list()))
        ledger.update(
            rows_in=int(files["rows_in"].sum()),
            rows_loaded=int(files["rows_loaded"].sum()),
            rows_quarantined=int(files["rows_quarantined"].sum()),
            fir_docs_in=fir_docs_in,
            fir_docs_applied=apply_keys.len(),
            fir_docs_unchanged=unchanged_keys.len(),
            fir_docs_quarantined=q_docs,
            fir_docs_stale=int((cls["action"] == "stale").sum()),
            tombstones=int(out_tables["fir.csv"]["is_tombstone"].sum()),
            register_rows_applied=sum(df.height for df in reg_apply.values()),
            errors=issues.filter(pl.col("severity") == "error").height,
            warnings=warn_count,
        )
        ledger["outcome"] = "LOADED_WITH_ERRORS" if ledger["rows_quarantined"] else "LOADED"
        fir_index = out_tables["fir.csv"].select("fir_key", "record_version", "content_hash")
        return self._finish(
            ledger, files, out_tables, issues, quarantine, fir_index, pl.DataFrame(register_index), t0
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
           on_start: Callable[[int], None] | None = None) -> list[LoadSummary]:  # fmt: skip
    """Ingest every upload under ``paths`` into ``home``."""
    return Ingestor(home).run(paths, on_upload, on_start)


__all__ = ["Ingestor", "InvariantError", "LoadSummary", "ingest"]
