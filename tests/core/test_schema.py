"""The schema registry (core/schema.py) against itself, against what ingestion writes, and
against the dbt project's lake sources and staging models (dbt cannot import Python)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import jinja2
import polars as pl
import pytest
import yaml

from core import extract_spec as spec
from core import schema
from core.settings import DBT_PROJECT_DIR, SAMPLE_DIR, Paths
from tests.conftest import ingest_by_name

STAGING_LAKE = DBT_PROJECT_DIR / "models" / "staging" / "lake"
#: ``lake_batch`` tables the build runner makes besides the entities (warehouse/build.py).
BUILD_TABLES = {"load_ledger", "issues", "batch_status", "build_info"}


# --- the registry itself ----------------------------------------------------------------------


def test_entities_follow_the_extract_files() -> None:
    assert [e.file for e in schema.ENTITIES] == list(spec.CAS_COLUMNS)
    assert [e.name for e in schema.ENTITIES] == [f.removesuffix(".csv") for f in spec.CAS_COLUMNS]
    assert [e.file for e in schema.ENTITIES if e.part == "fir_child"] == list(spec.FIR_CHILD_FILES)
    assert [e.file for e in schema.ENTITIES if e.is_register] == list(spec.REGISTER_FILES)
    assert schema.FIR.part == "fir" and schema.FIR.file == "fir.csv"
    assert (schema.FIR.name, *schema.FIR_CHILDREN, *schema.REGISTERS) == schema.ENTITY_NAMES
    for e in schema.ENTITIES:
        assert schema.entity(e.name) is e and schema.entity(e.file) is e
        assert e.extract_columns == spec.CAS_COLUMNS[e.file]


@pytest.mark.parametrize("entity", schema.ENTITIES, ids=lambda e: e.name)
def test_entity_columns_and_keys_agree(entity: schema.Entity) -> None:
    lake = entity.lake_columns
    # Everything the State sends is kept in the lake (typed), next to the derived columns.
    assert set(entity.extract_columns) <= set(lake)
    # Keys: a lake row key is made of lake columns; the parts the State sends are extract columns.
    assert set(entity.key) <= set(lake), entity.key
    assert len(set(entity.key)) == len(entity.key)
    assert set(entity.record_key) <= set(entity.extract_columns)
    assert set(entity.child_key) <= set(entity.extract_columns)
    assert set(entity.mandatory) <= set(entity.extract_columns)
    assert not set(entity.mandatory) & {*entity.record_key, *entity.child_key}
    if entity.is_register:
        assert entity.doc_key == ("register_key", "record_version")
        assert entity.register_number == entity.record_key[-1]
        assert entity.child_key == ()
    else:
        assert entity.doc_key == ("fir_key", "record_version")
        assert entity.record_key == spec.FIR_KEY
        assert entity.register_number is None
    # Lineage and partitions are added to, never part of, an entity's own columns.
    assert not set(lake) & set(schema.LINEAGE)
    assert list(entity.lake_schema) == [*lake, *schema.LINEAGE]
    assert not set(schema.LAKE_PARTITIONS) - set(lake) - set(schema.LINEAGE)
    # Raw tables: every extract column as text, then the raw lineage.
    assert entity.raw_schema == {c: pl.Utf8() for c in entity.extract_columns} | schema.RAW_LINEAGE_SCHEMA
    # A declared integer, float, date or timestamp column of the extract is typed so in the lake.
    for c in entity.extract_columns:
        kind = spec.column_kind(entity.file, c)
        dtype = lake[c]
        if kind == "ts":
            assert dtype == schema.TS, c
        elif kind == "date":
            assert dtype == pl.Date(), c
        elif kind == "int":
            assert dtype in (pl.Int32(), pl.Int64()), c
        elif kind == "float":
            assert dtype == pl.Float64(), c
        elif kind == "flag":
            assert dtype == pl.Boolean(), c


def test_enumerated_and_mandatory_columns_are_interface_columns() -> None:
    for file, enums in spec.ENUMS.items():
        assert set(enums) <= set(schema.BY_FILE[file].extract_columns), file
    # Structural enumerations of child rows (the code lists ingestion requires) are enumerations.
    for e in schema.ENTITIES:
        if e.part == "fir_child":
            assert set(e.mandatory) <= set(spec.ENUMS.get(e.file, {})), e.file


# --- the registry against what the store writes --------------------------------------------


def _smallest(fmt: str) -> Path:
    """The smallest committed upload of a format with records in both registers."""
    full = [
        p
        for p in SAMPLE_DIR.iterdir()
        if p.is_dir()
        and spec.UPLOAD_NAME_RE.match(p.name)
        and spec.format_for_state(p.name[:2]) == fmt
        and all(spec.count_records(p / f) > 0 for f in spec.REGISTER_FILES)
    ]
    return min(full, key=lambda p: sum(f.stat().st_size for f in p.iterdir()))


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """Three committed sample uploads, one per format (cas_csv, jsonl, xml), ingested."""
    home = Paths(tmp_path_factory.mktemp("registry") / "home").ensure()
    uploads = [_smallest(fmt) for fmt in spec.FORMATS]
    summaries = ingest_by_name(uploads, home)
    assert len(summaries) == 3
    return home


def _schema(path: Path) -> dict[str, pl.DataType]:
    return dict(pl.read_parquet_schema(path))


def test_store_writes_the_registry_schemas(small_lake: Paths) -> None:
    loads = sorted(small_lake.lake.glob("state_code=*/load_id=*"))
    assert len(loads) == 3
    for d in loads:
        assert _schema(d / "load.parquet") == schema.LEDGER_SCHEMA
        assert _schema(d / "files.parquet") == schema.FILES_SCHEMA
        assert _schema(d / "issues.parquet") == schema.ISSUE_SCHEMA
        assert list(_schema(d / "_index_fir.parquet")) == list(schema.FIR_INDEX_COLUMNS)
        assert list(_schema(d / "_index_register.parquet")) == list(schema.REGISTER_INDEX_COLUMNS)
        for e in schema.ENTITIES:
            assert _schema(d / f"{e.name}.parquet") == e.lake_schema, (d.name, e.name)
        entity_files = {p.stem for p in d.glob("*.parquet") if not p.stem.startswith("_")}
        assert entity_files == {*schema.ENTITY_NAMES, "load", "files", "issues"}
        q = small_lake.quarantine / d.parent.name / d.name / "quarantine.parquet"
        assert _schema(q) == schema.QUARANTINE_SCHEMA
    # Every entity got rows from these uploads, so the schemas above are of real data.
    for e in schema.ENTITIES:
        rows = pl.read_parquet([d / f"{e.name}.parquet" for d in loads]).height
        assert rows > 0, e.name


def test_feedback_files_have_the_registry_columns(small_lake: Paths) -> None:
    files = sorted(small_lake.outbox.glob("*/*_errors.csv")) + sorted(
        small_lake.outbox.glob("*/*_warnings.csv")
    )
    assert len(files) == 6
    for f in files:
        with f.open(newline="", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == schema.FEEDBACK_COLUMNS, f


# --- the registry against the dbt project ----------------------------------------------------


def _sources() -> dict[str, list[str]]:
    doc = yaml.safe_load((STAGING_LAKE / "_lake__sources.yml").read_text(encoding="utf-8"))
    return {s["name"]: [t["name"] for t in s["tables"]] for s in doc["sources"]}


def test_dbt_lake_sources_are_the_registry_entities() -> None:
    tables = _sources()["lake_batch"]
    assert len(tables) == len(set(tables))
    assert set(tables) - BUILD_TABLES == set(schema.ENTITY_NAMES)
    assert [t for t in tables if t not in BUILD_TABLES] == list(schema.ENTITY_NAMES)


def _empty(frame_schema: dict[str, pl.DataType]) -> object:
    return pl.DataFrame(schema=frame_schema).to_arrow()


@pytest.fixture(scope="module")
def lake_batch() -> duckdb.DuckDBPyConnection:
    """``lake_batch`` as the build runner makes it, empty, from the registry alone: entity and
    issue tables plus the Hive partition columns, the ledger plus ``in_build``."""
    con = duckdb.connect()
    con.execute("create schema lake_batch")
    partitions = {c: pl.Utf8() for c in schema.LAKE_PARTITIONS}
    tables = {e.name: e.lake_schema for e in schema.ENTITIES}
    tables["issues"] = schema.ISSUE_SCHEMA
    for name, cols in tables.items():
        frame = _empty({**cols, **{c: t for c, t in partitions.items() if c not in cols}})
        con.register("_t", frame)
        con.execute(f"create table lake_batch.{name} as select * from _t")
        con.unregister("_t")
    con.register("_t", _empty(schema.LEDGER_SCHEMA | {"in_build": pl.Boolean()}))
    con.execute("create table lake_batch.load_ledger as select * from _t")
    con.unregister("_t")
    return con


def _render(sql: str) -> str:
    """A staging model as dbt compiles it: the project's macros, ``source()`` -> schema.table."""
    macros = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((DBT_PROJECT_DIR / "macros").glob("*.sql"))
    )
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return env.from_string(macros + "\n" + sql).render(source=lambda s, t: f"{s}.{t}")


LAKE_MODELS = sorted(
    p
    for p in STAGING_LAKE.glob("stg_lake__*.sql")
    if re.search(r"source\('lake_batch', '(\w+)'\)", p.read_text())
)


def test_every_lake_source_has_a_staging_model() -> None:
    used = {re.search(r"source\('lake_batch', '(\w+)'\)", p.read_text()).group(1) for p in LAKE_MODELS}  # type: ignore[union-attr]
    assert set(schema.ENTITY_NAMES) | {"load_ledger", "issues"} == used


@pytest.mark.parametrize("model", LAKE_MODELS, ids=lambda p: p.stem)
def test_staging_model_binds_to_the_registry_schema(
    lake_batch: duckdb.DuckDBPyConnection, model: Path
) -> None:
    """Every column a staging model reads from ``lake_batch`` exists in the registry's schema
    (DuckDB's binder rejects an unknown column even on empty tables)."""
    sql = _render(model.read_text(encoding="utf-8"))
    cols = lake_batch.execute(f"describe {sql}").fetchall()
    assert cols
