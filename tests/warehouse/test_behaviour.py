"""Behaviour is unchanged by refactoring: the committed sample, ingested, gated, built and
published, gives the same ledger, quarantine, feedback, lake row counts and, for every published
table, the same row count and column sums as ``tests/reference/sample_fingerprint.json``.

That file was written from the code before the restructuring of issue 13. A change that is
*meant* to change behaviour rewrites it deliberately and says so in its commit::

    uv run python -m tests.support.fingerprint --out tests/reference/sample_fingerprint.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.settings import Paths
from tests.support.fingerprint import fingerprint

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "sample_fingerprint.json"


def _differences(want: Any, got: Any, where: str = "") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        out = [f"{where}/{k}: missing" for k in want if k not in got]
        out += [f"{where}/{k}: new" for k in got if k not in want]
        for k in want.keys() & got.keys():
            out += _differences(want[k], got[k], f"{where}/{k}")
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        return [
            d
            for i, (a, b) in enumerate(zip(want, got, strict=True))
            for d in _differences(a, b, f"{where}[{i}]")
        ]
    return [] if want == got else [f"{where}: {want!r} -> {got!r}"]


def test_sample_fingerprint_unchanged(sample_warehouse: Paths) -> None:
    want = json.loads(REFERENCE.read_text())
    got = json.loads(json.dumps(fingerprint(sample_warehouse.home), sort_keys=True, default=str))
    diffs = sorted(_differences(want, got))
    assert not diffs, f"{len(diffs)} differences from {REFERENCE.name}:\n" + "\n".join(diffs[:60])
