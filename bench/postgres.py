"""The usual alternative for serving: the same marts in PostgreSQL, on loopback, started here.

:class:`Cluster` creates a throwaway cluster (``initdb``) in a temporary folder, starts it on a
free port on 127.0.0.1 (as the ``postgres`` user when the benchmark runs as root, which
``initdb`` refuses), and removes it when done. :func:`load_marts` copies every table of the
published warehouse's ``marts`` schema into it with ``COPY`` and creates the obvious indexes
(each mart's key, its State column, the columns the dashboards filter on), then ``ANALYZE``.

:class:`PgConnection` lets the dashboards' own query functions (``dashboards.queries``, written
for DuckDB) run unchanged on PostgreSQL: ``?`` placeholders become ``%s``, and the few DuckDB
functions they use exist in the PostgreSQL database as small SQL functions created here
(``year()``; ``jaro_winkler_similarity()`` as ``pg_trgm``'s trigram ``similarity()``, the
nearest fuzzy match PostgreSQL ships, so the NDSO search does comparable work but may rank
differently).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

#: Settings of the throwaway cluster: a dedicated server of this size, tuned for reads.
SETTINGS = {
    "shared_buffers": "1GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "effective_cache_size": "4GB",
    "max_parallel_workers_per_gather": "2",
    "random_page_cost": "1.1",
    "jit": "off",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}

#: Key columns of each mart (docs/warehouse.md), and further indexed columns.
KEYS: dict[str, tuple[str, ...]] = {
    "dim_state": ("state_code",),
    "dim_district": ("district_key",),
    "dim_police_station": ("ps_key",),
    "dim_crime_head": ("crime_head_code",),
    "dim_date": ("date_day",),
    "fct_firs": ("fir_key",),
    "fct_fir_offences": ("fir_key", "seq"),
    "mart_crime_state_year": ("state_code", "year", "crime_head_code"),
    "mart_crime_totals_state_year": ("state_code", "year", "total_kind"),
    "mart_crime_district_month": ("state_code", "district_code", "month_start", "crime_head_code"),
    "mart_crime_state_month": ("state_code", "month_start", "crime_head_code"),
    "mart_police_disposal": ("state_code", "year", "crime_head_code"),
    "mart_court_disposal": ("state_code", "year", "crime_head_code"),
    "mart_itsso_cases": ("fir_key",),
    "mart_itsso_compliance": ("ps_key", "month_start"),
    "mart_ndso_registry": ("offender_key",),
    "mart_mo_state_month": ("state_code", "month_start", "crime_head_code", "mo_class"),
    "mart_mo_spread": ("mo_class", "state_code"),
    "mart_station_activity": ("ps_key",),
    "mart_state_cctns_usage": ("state_code",),
    "mart_upload_health": ("load_id",),
    "mart_upload_rule_counts": ("load_id", "rule_code", "severity"),
}
INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "fct_firs": (("state_code", "registered_on"), ("year", "state_code"), ("crime_head_code",)),
    "fct_fir_offences": (("act", "section"),),
    "mart_crime_district_month": (("month_start",),),
    "mart_crime_state_month": (("month_start",),),
    "mart_itsso_cases": (("state_code", "itsso_status"), ("itsso_status", "days_overdue")),
    "mart_itsso_compliance": (("state_code", "month_start"), ("month_start",)),
    "mart_ndso_registry": (("state_code", "district_code"),),
    "mart_mo_state_month": (("month_start",),),
    "mart_station_activity": (("state_code", "is_silent"),),
    "mart_upload_health": (("state_code", "extract_date"),),
    "mart_upload_rule_counts": (("state_code",),),
}

#: Functions the dashboards' DuckDB SQL calls, defined for PostgreSQL.
COMPAT_SQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE OR REPLACE FUNCTION year(date) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT extract(year FROM $1)::integer $$;
CREATE OR REPLACE FUNCTION year(timestamp) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT extract(year FROM $1)::integer $$;
CREATE OR REPLACE FUNCTION jaro_winkler_similarity(text, text) RETURNS numeric LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $$ SELECT similarity($1, $2)::numeric $$;
"""


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def bin_dir() -> Path:
    """The folder of ``initdb``/``pg_ctl`` (PATH first, then Debian's /usr/lib/postgresql/N/bin)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (no initdb/pg_ctl): `apt-get install -y postgresql` to compare with it"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (``with Cluster() as pg: pg.connect()``)."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.bin = bin_dir()
        self.settings = {**SETTINGS, **(settings or {})}
        self.port = _free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="cctns-bench-pg-"))
        self.data = self.tmp / "data"
        self.as_root = os.geteuid() == 0
        self.version = ""

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=self.tmp)

    def start(self) -> Cluster:
        if self.as_root:
            shutil.chown(self.tmp, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        opts = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
        opts += f" -c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.tmp}"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.tmp / "server.log"), "-w", "start"
        )
        self.version = self._run("postgres", "--version").stdout.strip()
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            if self.data.exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )


# --- loading the marts ------------------------------------------------------------------------------


def _pg_type(duck: str) -> str:
    d = duck.upper()
    if d.endswith("[]"):
        return _pg_type(d[:-2]) + "[]"
    if d.startswith("DECIMAL") or d in ("HUGEINT", "UBIGINT"):
        return "numeric"
    return {
        "VARCHAR": "text",
        "BOOLEAN": "boolean",
        "TINYINT": "smallint",
        "SMALLINT": "smallint",
        "INTEGER": "integer",
        "BIGINT": "bigint",
        "UTINYINT": "smallint",
        "USMALLINT": "integer",
        "UINTEGER": "bigint",
        "FLOAT": "real",
        "DOUBLE": "double precision",
        "DATE": "date",
        "TIMESTAMP": "timestamp",
        "TIMESTAMP WITH TIME ZONE": "timestamptz",
        "TIME": "time",
        "INTERVAL": "interval",
        "JSON": "jsonb",
    }.get(d, "text")


def _export_expr(col: str, duck: str) -> str:
    """A DuckDB expression writing ``col`` as PostgreSQL's COPY CSV reads it (lists as arrays)."""
    q = f'"{col}"'
    if duck.upper().endswith("[]"):
        elem = "'\"' || replace(replace(CAST(x AS VARCHAR), '\\', '\\\\'), '\"', '\\\"') || '\"'"
        return f"CASE WHEN {q} IS NULL THEN NULL ELSE '{{' || array_to_string(list_transform({q}, lambda x: {elem}), ',') || '}}' END"
    return q


def load_marts(duck_path: Path, pg: Any, workdir: Path) -> dict[str, Any]:
    """Copy every ``marts`` table of a DuckDB file into PostgreSQL; indexes; ANALYZE. Timings."""
    import duckdb

    src = duckdb.connect(str(duck_path), read_only=True)
    timings = {"copy": 0.0, "index": 0.0, "analyze": 0.0}
    rows: dict[str, int] = {}
    try:
        tables = [
            r[0]
            for r in src.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "and table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        with pg.cursor() as cur:
            cur.execute(COMPAT_SQL)
            cur.execute("DROP SCHEMA IF EXISTS marts CASCADE; CREATE SCHEMA marts")
        for t in tables:
            cols = src.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [t],
            ).fetchall()
            csv = workdir / f"{t}.csv"
            t0 = time.perf_counter()
            select = ", ".join(_export_expr(c, d) for c, d in cols)
            src.execute(f"COPY (SELECT {select} FROM marts.{t}) TO '{csv}' (FORMAT csv, HEADER false)")
            ddl = ", ".join(f'"{c}" {_pg_type(d)}' for c, d in cols)
            with pg.cursor() as cur:
                cur.execute(f'CREATE TABLE marts."{t}" ({ddl})')
                with cur.copy(f'COPY marts."{t}" FROM STDIN WITH (FORMAT csv)') as cp, csv.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        cp.write(chunk)
                cur.execute(f'SELECT count(*) FROM marts."{t}"')
                rows[t] = int(cur.fetchone()[0])
            csv.unlink()
            timings["copy"] += time.perf_counter() - t0
            names = {c for c, _ in cols}
            t0 = time.perf_counter()
            with pg.cursor() as cur:
                key = KEYS.get(t)
                if key and set(key) <= names:
                    cur.execute(f'CREATE INDEX ON marts."{t}" ({", ".join(key)})')
                if "state_code" in names and (not key or key[0] != "state_code"):
                    cur.execute(f'CREATE INDEX ON marts."{t}" (state_code)')
                for idx in INDEXES.get(t, ()):
                    if set(idx) <= names:
                        cur.execute(f'CREATE INDEX ON marts."{t}" ({", ".join(idx)})')
            timings["index"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        with pg.cursor() as cur:
            cur.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - t0
    finally:
        src.close()
    return {"tables": len(rows), "rows": rows, "seconds": {k: round(v, 2) for k, v in timings.items()}}


# --- the dashboards' queries on PostgreSQL -----------------------------------------------------------

_SUBQUERY_WHERE = re.compile(r"\)\s*WHERE score\b")


def translate(sql: str) -> str:
    """DuckDB SQL of the dashboards as PostgreSQL runs it (placeholders, a subquery alias)."""
    sql = sql.replace("%", "%%").replace("?", "%s")
    return _SUBQUERY_WHERE.sub(") AS scored WHERE score", sql)


class PgResult:
    """The part of DuckDB's result API the dashboards use."""

    def __init__(self, cur: Any) -> None:
        self.cur = cur
        self.description = cur.description

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.cur.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.cur.fetchall()

    def fetch_df(self) -> pd.DataFrame:
        cols = [d.name for d in self.cur.description] if self.cur.description else []
        return pd.DataFrame(self.cur.fetchall(), columns=cols)


class PgConnection:
    """A psycopg connection behind DuckDB's ``execute(sql, params)`` interface."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgResult:
        cur = self.conn.cursor()
        cur.execute(translate(sql), list(params or []))
        return PgResult(cur)

    def close(self) -> None:
        """Kept open: one connection serves every query (a pooled connection in an app)."""


@contextlib.contextmanager
def started(settings: dict[str, str] | None = None) -> Iterator[Cluster]:
    with Cluster(settings) as c:
        yield c
