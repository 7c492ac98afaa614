"""Feedback files locate a bad record by file and row, but never carry a person's identity."""

from __future__ import annotations

import polars as pl

from ingestion.store import IDENTITY_FIELDS, WITHHELD, redact_identity
from warehouse.settings import Paths


def test_identity_values_are_withheld_in_value_and_message() -> None:
    issues = pl.DataFrame(
        {
            "field": ["name", "address", "age", None],
            "value": ["Sita Devi", "12 MG Road", "200", None],
            "message": ["name 'Sita Devi' has invalid bytes", "address too long: 12 MG Road", "age 200", "x"],
        }
    )
    out = redact_identity(issues)
    assert out["value"].to_list() == [WITHHELD, WITHHELD, "200", None]
    assert "Sita Devi" not in out["message"][0] and WITHHELD in out["message"][0]
    assert "12 MG Road" not in out["message"][1]
    assert out["message"][2] == "age 200"


def test_sample_feedback_files_hold_no_identity_value(sample_lake: tuple[Paths, list]) -> None:
    home, _ = sample_lake
    files = sorted(home.outbox.glob("*/*.csv"))
    assert files
    fb = pl.concat(
        [pl.read_csv(f, infer_schema=False) for f in files if f.stat().st_size > 1], how="diagonal"
    )
    identity = fb.filter(pl.col("field").is_in(sorted(IDENTITY_FIELDS)) & pl.col("value").is_not_null())
    assert identity.height > 0  # the sample's defects do touch names
    assert set(identity["value"].to_list()) == {WITHHELD}
