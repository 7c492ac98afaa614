"""The mart contract has one source, the dbt YAML of the marts; its copies are current, and the
warehouse the dashboards read has exactly its tables, columns and types."""

from __future__ import annotations

from pathlib import Path

from cctns.contract import contract_from_manifest, expected_files, stale_files
from cctns.dbt_manifest import prepare_manifest
from core import mart_contract
from core.settings import Paths
from dashboards import db


def test_contract_copies_match_the_dbt_manifest(tmp_path: Path) -> None:
    """``core/mart_contract.json`` and the docs section are what ``dbt parse`` says
    (``uv run cctns contract`` rewrites them)."""
    dbt = contract_from_manifest(prepare_manifest(Paths(tmp_path / "home")))
    assert len(dbt) >= 20 and "place_lat" in dbt["fct_firs"].column_names
    assert all(n.startswith(("dim_", "fct_", "mart_")) for n in dbt)
    assert all(c.description and c.data_type for m in dbt.values() for c in m.columns)
    assert mart_contract.load() == dbt, "core/mart_contract.json is stale: run `uv run cctns contract`"
    assert stale_files(dbt) == [], "run `uv run cctns contract`"
    docs = expected_files(dbt)[Path(mart_contract.CONTRACT_FILE).parents[1] / "docs" / "warehouse.md"]
    assert "| `place_lat` | `double` |" in docs


def test_contract_tables_and_columns_exist(dash_env: Paths) -> None:
    spec = mart_contract.load()
    con = db.get_connection(dash_env)
    try:
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'marts' ORDER BY table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    have: dict[str, list[tuple[str, str]]] = {}
    for t, c, d in rows:
        have.setdefault(t, []).append((c, d.lower()))
    want = {t: [(c.name, c.data_type.lower()) for c in m.columns] for t, m in spec.items()}
    assert {t: have.get(t) for t in want} == want
