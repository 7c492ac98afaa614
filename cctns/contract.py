"""Regenerate the mart contract's derived copies from the dbt manifest: ``uv run cctns contract``.

The dbt YAML of the marts is the one source of the contract (see :mod:`core.mart_contract`).
This writes, from the manifest that ``dbt parse`` produces (the deployment step,
:func:`cctns.dbt_manifest.prepare_manifest`):

* ``core/mart_contract.json``: what the quality suites, test fixtures and benchmarks read;
* the generated section of ``docs/warehouse.md`` (between the ``mart-contract`` markers).

``--check`` writes nothing and fails when either is out of date (``tests/dashboards/test_contract.py``
runs the same comparison)::

    uv run cctns contract            # after changing dbt_project/models/marts/*.yml
    uv run cctns contract --check
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from cctns.dbt_manifest import prepare_manifest
from core import mart_contract
from core.fs import atomic_write
from core.settings import REPO_ROOT, Paths

DOCS_FILE: Final = REPO_ROOT / "docs" / "warehouse.md"


def contract_from_manifest(manifest: Path) -> mart_contract.Contract:
    return mart_contract.from_manifest(json.loads(manifest.read_text(encoding="utf-8")))


def expected_files(contract: mart_contract.Contract) -> dict[Path, str]:
    """Path -> the content it must have for ``contract``."""
    docs = DOCS_FILE.read_text(encoding="utf-8")
    return {
        mart_contract.CONTRACT_FILE: mart_contract.to_json(contract),
        DOCS_FILE: mart_contract.replace_docs_section(docs, mart_contract.render_markdown(contract)),
    }


def _stale(expected: dict[Path, str]) -> dict[Path, str]:
    return {
        p: text for p, text in expected.items() if not p.is_file() or p.read_text(encoding="utf-8") != text
    }


def stale_files(contract: mart_contract.Contract) -> list[Path]:
    """The derived files that differ from what ``contract`` says."""
    return list(_stale(expected_files(contract)))


def regenerate(paths: Paths, *, check: bool = False) -> list[Path]:
    """Parse the dbt project (unless its manifest is current), then write the derived files
    (``check``: only report them). Returns the files that were (or would be) rewritten."""
    stale = _stale(expected_files(contract_from_manifest(prepare_manifest(paths))))
    if not check:
        for p, text in stale.items():
            atomic_write(p, text)
    return list(stale)
