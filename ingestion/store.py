"""Where ingestion writes, and how a load becomes visible exactly once.

Layout under ``$CCTNS_HOME``::

    landing/<hh>/<upload_hash>/...            the upload as received (zip or files), content-addressed
    lake/state_code=SS/load_id=L/             one committed load: <entity>.parquet (applied rows of
                                              the national schema), issues.parquet, files.parquet,
                                              load.parquet (the ledger row) and _load.json
    quarantine/state_code=SS/load_id=L/       quarantine.parquet: every rejected record, with its
                                              rule codes, messages, file, row and raw values
    outbox/SS/<load_id>_errors.csv|_warnings.csv   feedback to the State
    ops/index.duckdb                          the version index and ledger (a cache of the lake)

**Commit protocol.** Everything of a load is written under ``lake/_staging/<load_id>`` and
``quarantine/_staging/<load_id>`` first. The quarantine folder is renamed into place, then the
lake folder: that rename is the commit point (``_load.json`` is inside it). The index in
``ops/index.duckdb`` is updated afterwards in one transaction. If the process dies anywhere,
the next run (:meth:`Store.recover`) deletes staging leftovers and quarantine folders of loads
that never committed, and replays into the index every committed load it does not know yet, so
the lake is the single source of truth and a rerun completes each upload exactly once. Readers
of the lake only ever see whole loads.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import duckdb
import polars as pl

from core import safe_text
from core.fs import atomic_write, crashpoint, file_lock, fsync_path, temporary_name
from core.schema import (
    ENTITY,
    FEEDBACK_COLUMNS,
    FIR_INDEX_COLUMNS,
    LEDGER_SCHEMA,
    REGISTER_INDEX_COLUMNS,
    national_schema,
)
from core.settings import Paths
from ingestion.catalogue import BY_CODE

#: Fields that can identify a person (a victim, maybe): their values never leave the lake, not even
#: in the feedback files (BNS s.72 / IPC s.228A, POCSO s.23); the file and row locate the record.
#: Kept for reference: the feedback files go further and show a value only when it is known to be
#: non-identifying (an allow-list of codes, dates, keys and numbers, :mod:`core.safe_text`).
IDENTITY_FIELDS: Final = frozenset(
    {"name", "name_latin", "alias", "relative_name", "address", "identification_marks", "last_seen_place"}
)
WITHHELD: Final = safe_text.WITHHELD
_REDACT_COLUMNS: Final = (
    "rule_code",
    "source_file",
    "entity",
    "field",
    "value",
    "message",
    "fir_key",
    "register_key",
)


def redact_identity(issues: pl.DataFrame) -> pl.DataFrame:
    """Withhold every value that may identify a person, in ``value``, inside ``message`` and in a
    key that does not look like one (:func:`core.safe_text.redact_feedback_row`).

    Decided by the value and the record it comes from, not only by the field name: a raw record
    (rule 120), any free text, and any value of a code/date/key field that does not look like a
    code, date or key (a name shifted into a code column) is withheld.
    """
    present = [c for c in _REDACT_COLUMNS if c in issues.columns]
    if issues.height == 0 or "value" not in present:
        return issues
    rows = [safe_text.redact_feedback_row(r) for r in issues.select(present).iter_rows(named=True)]
    changed = [c for c in ("value", "message", "fir_key", "register_key") if c in present]
    return issues.with_columns(pl.Series(c, [r[c] for r in rows], dtype=pl.Utf8) for c in changed)


def redact_text(text: str, issues: pl.DataFrame) -> str:
    """``text`` made of issue messages (a ledger's ``reject_message``, printed by ``cctns ingest``
    and kept in the lake) without any value that :func:`redact_identity` withholds."""
    present = [c for c in _REDACT_COLUMNS if c in issues.columns]
    if not text or "value" not in present:
        return text
    for r in issues.select(present).filter(pl.col("value").is_not_null()).iter_rows(named=True):
        if safe_text.redact_feedback_row(r)["value"] == WITHHELD and r["value"] != WITHHELD:
            text = safe_text.scrub_message(text, r["value"])
    return text


def feedback_csv(frame: pl.DataFrame) -> bytes:
    """A feedback frame as CSV, every text cell neutralised against formula injection."""
    return safe_text.csv_text(frame.iter_rows(), header=frame.columns).encode("utf-8")


class Store:
    """The lake, quarantine, landing, outbox and the version index of one CCTNS_HOME."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths.ensure()
        self.ops = paths.home / "ops"
        self.ops.mkdir(parents=True, exist_ok=True)
        self._con: duckdb.DuckDBPyConnection | None = None

    # --- locking and the index ------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """One ingest at a time per CCTNS_HOME (Airflow also serialises writers with a pool)."""
        path = self.ops / "ingest.lock"
        with file_lock(path, timeout=0, busy=lambda: RuntimeError(f"another ingest holds {path}")):
            yield

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = duckdb.connect(str(self.ops / "index.duckdb"))
            self._con.execute(
                """
                CREATE TABLE IF NOT EXISTS fir_versions (
                    fir_key VARCHAR PRIMARY KEY, record_version INTEGER, content_hash VARCHAR, load_id VARCHAR);
                CREATE TABLE IF NOT EXISTS register_versions (
                    entity VARCHAR, register_key VARCHAR, record_version INTEGER, load_id VARCHAR,
                    PRIMARY KEY (entity, register_key));
                CREATE TABLE IF NOT EXISTS arrivals (
                    source_name VARCHAR, upload_hash VARCHAR, load_id VARCHAR, PRIMARY KEY (source_name, upload_hash));
                CREATE TABLE IF NOT EXISTS loads (load_id VARCHAR PRIMARY KEY, upload_id VARCHAR, upload_hash VARCHAR,
                    state_code VARCHAR, outcome VARCHAR, ledger JSON);
                """
            )
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def arrival(self, source_name: str, upload_hash: str) -> str | None:
        row = self.con.execute(
            "SELECT load_id FROM arrivals WHERE source_name = ? AND upload_hash = ?",
            [source_name, upload_hash],
        ).fetchall()
        return row[0][0] if row else None

    def loaded_hash(self, upload_hash: str) -> str | None:
        """The load that applied an upload with this content, if any."""
        row = self.con.execute(
            "SELECT load_id FROM loads WHERE upload_hash = ? AND outcome IN ('LOADED', 'LOADED_WITH_ERRORS', 'REJECTED') ORDER BY load_id LIMIT 1",
            [upload_hash],
        ).fetchall()
        return row[0][0] if row else None

    def upload_id_hashes(self, upload_id: str) -> set[str]:
        rows = self.con.execute(
            "SELECT DISTINCT upload_hash FROM loads WHERE upload_id = ? AND outcome <> 'DUPLICATE'",
            [upload_id],
        ).fetchall()
        return {r[0] for r in rows}

    def _stored(self, keys: pl.DataFrame, sql: str) -> pl.DataFrame:
        """Run ``sql`` against the index with ``keys`` registered as the view ``_keys``."""
        self.con.register("_keys", keys.to_arrow())
        try:
            out = self.con.sql(sql).to_arrow_table()
            return pl.DataFrame(pl.from_arrow(out)).cast({"stored_version": pl.Int32})
        finally:
            self.con.unregister("_keys")

    def fir_versions(self, keys: pl.DataFrame) -> pl.DataFrame:
        """Stored version and content hash of the FIR keys in ``keys`` (column fir_key)."""
        return self._stored(
            keys.select("fir_key"),
            "SELECT v.fir_key, v.record_version AS stored_version, v.content_hash AS stored_hash "
            "FROM fir_versions v JOIN _keys k USING (fir_key)",
        )

    def register_versions(self, entity: str, keys: pl.DataFrame) -> pl.DataFrame:
        """Stored version of the register records in ``keys`` (column register_key) of ``entity``."""
        return self._stored(
            keys.select(pl.lit(entity, pl.Utf8).alias("entity"), "register_key"),
            "SELECT v.register_key, v.record_version AS stored_version "
            "FROM register_versions v JOIN _keys k USING (entity, register_key)",
        )

    # --- landing ----------------------------------------------------------------------------
    def land(self, source_path: Path, upload_hash: str) -> Path:
        """Copy the upload as received into landing/<hh>/<hash>/ (idempotent, atomic)."""
        dest = self.paths.landing / upload_hash[:2] / upload_hash
        if dest.exists():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_name(dest)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if source_path.is_dir():
            for p in sorted(source_path.iterdir()):
                if p.is_file():
                    shutil.copy2(p, tmp / p.name)
        else:
            shutil.copy2(source_path, tmp / source_path.name)
        os.rename(tmp, dest)
        return dest

    # --- commit -----------------------------------------------------------------------------
    def load_dir(self, state_code: str, load_id: str) -> Path:
        return self.paths.lake / f"state_code={state_code}" / f"load_id={load_id}"

    def quarantine_dir(self, state_code: str, load_id: str) -> Path:
        return self.paths.quarantine / f"state_code={state_code}" / f"load_id={load_id}"

    def commit(
        self,
        ledger: dict[str, Any],
        files: pl.DataFrame,
        tables: dict[str, pl.DataFrame],
        issues: pl.DataFrame,
        quarantine: pl.DataFrame,
        fir_index: pl.DataFrame,
        register_index: pl.DataFrame,
    ) -> None:
        """Write one load and make it visible atomically, then update the index."""
        load_id, state = ledger["load_id"], ledger["state_code"]
        if ledger.get("reject_message"):  # no value that may identify a person in the ledger or log
            ledger["reject_message"] = redact_text(str(ledger["reject_message"]), issues)
        stage = self.paths.lake / "_staging" / load_id
        qstage = self.paths.quarantine / "_staging" / load_id
        for d in (stage, qstage):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
        for file, entity in ENTITY.items():
            df = tables.get(file)
            if df is None:
                df = pl.DataFrame(schema=national_schema(file))
            df.write_parquet(stage / f"{entity}.parquet", compression="zstd", statistics=True)
        issues.write_parquet(stage / "issues.parquet", compression="zstd")
        files.write_parquet(stage / "files.parquet")
        ledger_df = pl.DataFrame([ledger], schema=LEDGER_SCHEMA)
        ledger_df.write_parquet(stage / "load.parquet")
        quarantine.write_parquet(qstage / "quarantine.parquet", compression="zstd")
        fir_index.select(FIR_INDEX_COLUMNS).write_parquet(stage / "_index_fir.parquet")
        register_index.select(REGISTER_INDEX_COLUMNS).write_parquet(stage / "_index_register.parquet")
        (stage / "_load.json").write_text(json.dumps(ledger, default=str, indent=1), encoding="utf-8")
        crashpoint("after_staging")
        final_q = self.quarantine_dir(state, load_id)
        final = self.load_dir(state, load_id)
        final_q.parent.mkdir(parents=True, exist_ok=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(final_q, ignore_errors=True)
        os.rename(qstage, final_q)
        crashpoint("after_quarantine_rename")
        os.rename(stage, final)  # the commit point
        fsync_path(final.parent)
        crashpoint("after_lake_rename")
        self._index_load(final)
        crashpoint("after_index")

    def _index_load(self, load_dir: Path) -> None:
        """Apply one committed load to the index (idempotent: skips a load already indexed)."""
        ledger = json.loads((load_dir / "_load.json").read_text(encoding="utf-8"))
        load_id = ledger["load_id"]
        con = self.con
        if con.execute("SELECT 1 FROM loads WHERE load_id = ?", [load_id]).fetchall():
            return
        fir = pl.read_parquet(load_dir / "_index_fir.parquet")
        reg = pl.read_parquet(load_dir / "_index_register.parquet")
        con.execute("BEGIN TRANSACTION")
        try:
            if fir.height:
                con.register("_fir", fir.with_columns(pl.lit(load_id).alias("load_id")).to_arrow())
                con.execute(
                    "INSERT OR REPLACE INTO fir_versions SELECT fir_key, record_version, content_hash, load_id FROM _fir"
                )
                con.unregister("_fir")
            if reg.height:
                con.register("_reg", reg.with_columns(pl.lit(load_id).alias("load_id")).to_arrow())
                con.execute(
                    "INSERT OR REPLACE INTO register_versions SELECT entity, register_key, record_version, load_id FROM _reg"
                )
                con.unregister("_reg")
            con.execute(
                "INSERT OR REPLACE INTO arrivals VALUES (?, ?, ?)",
                [ledger["source_name"], ledger["upload_hash"], load_id],
            )
            con.execute(
                "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?)",
                [
                    load_id,
                    ledger["upload_id"],
                    ledger["upload_hash"],
                    ledger["state_code"],
                    ledger["outcome"],
                    json.dumps(ledger, default=str),
                ],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    # --- recovery -----------------------------------------------------------------------------
    def committed_loads(self) -> list[Path]:
        """Committed load folders, in commit order (the ledger's started_at, then load id)."""
        dirs = [p for p in self.paths.lake.glob("state_code=*/load_id=*") if (p / "_load.json").is_file()]

        def order(p: Path) -> tuple[str, str]:
            led = json.loads((p / "_load.json").read_text(encoding="utf-8"))
            return (str(led.get("started_at", "")), p.name)

        return sorted(dirs, key=order)

    def recover(self) -> dict[str, int]:
        """Finish or undo whatever a killed ingest left behind (see the module docstring)."""
        report = {"staging_removed": 0, "orphan_quarantine_removed": 0, "loads_reindexed": 0}
        for staging in (self.paths.lake / "_staging", self.paths.quarantine / "_staging"):
            if staging.exists():
                for d in staging.iterdir():
                    shutil.rmtree(d, ignore_errors=True)
                    report["staging_removed"] += 1
        committed = {(p.parent.name, p.name) for p in self.committed_loads()}
        for q in self.paths.quarantine.glob("state_code=*/load_id=*"):
            if (q.parent.name, q.name) not in committed:
                shutil.rmtree(q, ignore_errors=True)
                report["orphan_quarantine_removed"] += 1
        for d in self.paths.lake.glob("state_code=*/load_id=*"):
            if not (d / "_load.json").is_file():  # cannot happen with rename-commit; be safe
                shutil.rmtree(d, ignore_errors=True)
        known = {r[0] for r in self.con.execute("SELECT load_id FROM loads").fetchall()}
        for d in self.committed_loads():
            if d.name.removeprefix("load_id=") not in known:
                self._index_load(d)
                report["loads_reindexed"] += 1
        return report

    def ledger(self) -> pl.DataFrame:
        """The ledger: one row per committed load."""
        parts = [pl.read_parquet(p / "load.parquet") for p in self.committed_loads()]
        return pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame(schema=LEDGER_SCHEMA)

    # --- feedback -------------------------------------------------------------------------------
    def write_feedback(self, ledger: dict[str, Any], issues: pl.DataFrame) -> tuple[Path, Path]:
        """errors.csv and warnings.csv for the State, the way NIBRS returns them (idempotent)."""
        out = self.paths.outbox / ledger["state_code"]
        out.mkdir(parents=True, exist_ok=True)
        fb = (
            issues.with_columns(
                pl.lit(ledger["upload_id"]).alias("upload_id"),
                pl.lit(ledger["load_id"]).alias("load_id"),
                pl.col("source_file").alias("file"),
                pl.col("source_row").alias("row"),
                pl.col("rule_code")
                .replace_strict({c: r.name for c, r in BY_CODE.items()}, default=None)
                .alias("rule_name"),
            )
            .pipe(redact_identity)
            .select(FEEDBACK_COLUMNS)
            .sort("file", "row", "rule_code", nulls_last=False)
        )
        paths = []
        for kind, sev in (("errors", ("reject", "error")), ("warnings", ("warning", "info"))):
            part = fb.filter(pl.col("severity").is_in(sev))
            path = out / f"{ledger['load_id']}_{kind}.csv"
            atomic_write(path, feedback_csv(part))
            paths.append(path)
        crashpoint("after_feedback")
        return paths[0], paths[1]

    def ensure_feedback(self) -> int:
        """Rewrite feedback files of committed loads that lack them (after a crash)."""
        n = 0
        for d in self.committed_loads():
            ledger = json.loads((d / "_load.json").read_text(encoding="utf-8"))
            out = self.paths.outbox / ledger["state_code"]
            if (
                not (out / f"{ledger['load_id']}_errors.csv").exists()
                or not (out / f"{ledger['load_id']}_warnings.csv").exists()
            ):
                self.write_feedback(ledger, pl.read_parquet(d / "issues.parquet"))
                n += 1
        return n
