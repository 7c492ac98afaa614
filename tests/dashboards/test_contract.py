"""The mart contract has one source, the dbt YAML of the marts; its copies are current, and the
warehouse the dashboards read has exactly its tables, columns and types."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from cctns.contract import contract_from_manifest, expected_files, stale_files
from cctns.dbt_manifest import prepare_manifest
from core import mart_contract
from core.settings import REPO_ROOT, Paths
from dashboards import db


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dbt manifest of the project as it is (``dbt parse``, once for this module)."""
    return prepare_manifest(Paths(tmp_path_factory.mktemp("contract") / "home"))


def test_contract_copies_match_the_dbt_manifest(manifest: Path) -> None:
    """``core/mart_contract.json`` and the docs section are what ``dbt parse`` says
    (``uv run cctns contract`` rewrites them)."""
    dbt = contract_from_manifest(manifest)
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


def _definitions(path: Path) -> dict[str, str]:
    """Top-level functions and constants of a module -> their source."""
    src = path.read_text(encoding="utf-8")
    out = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = ast.get_source_segment(src, node) or ""
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                out[target.id] = ast.get_source_segment(src, node) or ""
    return out


def _marts_read(page: Path) -> set[str]:
    """Marts named in the SQL a page runs: the query functions it calls (``ui.run(scope, "name")``,
    ``queries.name``, ``parliament.name``, ``ui.annexure``), followed through the functions and
    constants of dashboards/queries.py and dashboards/parliament.py they use; every page shows the
    build caption (``dim_build``)."""
    marts = set(mart_contract.load())
    modules = {m: _definitions(REPO_ROOT / "dashboards" / f"{m}.py") for m in ("queries", "parliament")}
    alias = {"q": "queries", "queries": "queries", "parliament": "parliament"}

    def follow(module: str, name: str, seen: set[tuple[str, str]]) -> set[str]:
        if (module, name) in seen or name not in modules[module]:
            return set()
        seen.add((module, name))
        src = modules[module][name]
        out = {m for m in re.findall(r"\b(?:dim|fct|mart)_\w+", src) if m in marts}
        for other in modules[module]:
            if other != name and re.search(rf"(?<![\w.]){re.escape(other)}\b", src):
                out |= follow(module, other, seen)
        for prefix, other in re.findall(r"\b(q|queries|parliament)\.(\w+)", src):
            out |= follow(alias[prefix], other, seen)
        return out

    src = page.read_text(encoding="utf-8")
    calls = [("queries", n) for n in re.findall(r'ui\.run\(\s*scope,\s*"(\w+)"', src)]
    calls += [(alias[p], n) for p, n in re.findall(r"\b(queries|parliament)\.(\w+)", src)]
    if "ui.annexure(" in src:
        calls.append(("parliament", "build_annexure"))
    if "ui.build_caption(" in src:
        calls.append(("queries", "build_info"))
    seen: set[tuple[str, str]] = set()
    return set().union(*(follow(m, n, seen) for m, n in calls))


def test_exposures_cover_every_page_and_the_marts_it_reads(manifest: Path) -> None:
    nodes = json.loads(manifest.read_text(encoding="utf-8"))
    exposures = {e["name"]: e for e in nodes["exposures"].values()}
    by_file = {e["config"]["meta"]["file"]: e for e in exposures.values() if e["type"] == "dashboard"}
    pages = sorted((REPO_ROOT / "dashboards" / "pages").glob("[!_]*.py"))
    assert sorted(by_file) == [f"dashboards/pages/{p.name}" for p in pages]
    for page in pages:
        exposure = by_file[f"dashboards/pages/{page.name}"]
        reads = {n.rsplit(".", 1)[1] for n in exposure["depends_on"]["nodes"]}
        assert reads == _marts_read(page), page.name

    def reads(name: str) -> set[str]:
        return {n.rsplit(".", 1)[1] for n in exposures[name]["depends_on"]["nodes"]}

    for ext in ("csv", "xlsx", "docx"):  # an export reads what the page that offers it reads
        assert reads(f"export_annexure_{ext}") == reads("page_parliament")
    assert reads("export_rti_response") == reads("page_rti")
    assert reads("export_feedback_files") == set()  # ingestion's outbox files, no mart
    for e in exposures.values():
        assert e["owner"]["name"] and e["description"] and e["url"]
        assert {n.rsplit(".", 1)[1] for n in e["depends_on"]["nodes"]} <= set(mart_contract.load())
