"""Random valid and broken uploads in all three formats through a real ingest.

Properties (see :func:`tests.property.uploads.assert_ingest_properties`): ingest never raises
and one bad upload never stops the others; every upload ends loaded, partly quarantined or
rejected with a numbered rule of the catalogue; for every file, rows in = rows loaded + rows
quarantined; quarantined rows carry catalogue rule codes; loaded keys are present and unique.
Examples are derandomized (reproducible in CI); Hypothesis prints the failing example.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from core.settings import Paths
from ingestion.pipeline import ingest
from ingestion.upload import BY_NAME
from tests.property.uploads import (
    BASE_UPLOADS,
    DATA_MUTATIONS,
    HYPOTHESIS_SETTINGS,
    assert_ingest_properties,
    copy_upload,
    mutate_upload,
)

pytestmark = pytest.mark.integration  # each example ingests real uploads

PROPERTY_SETTINGS = settings(HYPOTHESIS_SETTINGS, max_examples=30)


def _ingest(root: Path, inbox: Path) -> tuple[Paths, list]:
    home = Paths(root / "home").ensure()
    return home, ingest([inbox], home, channel=BY_NAME)


@pytest.mark.parametrize("fmt", sorted(BASE_UPLOADS))
def test_clean_base_uploads_load_whole(tmp_path: Path, fmt: str) -> None:
    """The bases the mutations start from load with nothing quarantined (the checks are right)."""
    inbox = tmp_path / "inbox"
    up = copy_upload(BASE_UPLOADS[fmt], inbox)
    home, summaries = _ingest(tmp_path, inbox)
    assert [s.outcome for s in summaries] == ["LOADED"]
    assert summaries[0].ledger["rows_in"] == summaries[0].ledger["rows_loaded"] > 0
    assert_ingest_properties(home, summaries, [up])


@pytest.mark.parametrize("fmt", sorted(BASE_UPLOADS))
@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_upload_is_loaded_or_quarantined_or_rejected_by_rule(fmt: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="prop_ingest_") as tmp:
        root = Path(tmp)
        path, what = mutate_upload(data.draw, root / "inbox", BASE_UPLOADS[fmt])
        note(f"upload: {what}")
        home, summaries = _ingest(root, root / "inbox")
        note(f"outcomes: {[(s.outcome, s.ledger.get('reject_codes')) for s in summaries]}")
        assert_ingest_properties(home, summaries, [path], [what])


@settings(PROPERTY_SETTINGS, max_examples=6)
@given(data=st.data())
def test_one_bad_upload_never_stops_the_others(data: st.DataObject) -> None:
    """Three mutated uploads (one per format) and one clean upload in one inbox, one run."""
    with tempfile.TemporaryDirectory(prefix="prop_inbox_") as tmp:
        root = Path(tmp)
        inbox = root / "inbox"
        clean = copy_upload("35_20261101_01", inbox)
        paths, whats = [clean], [[]]
        for fmt in sorted(BASE_UPLOADS):
            path, what = mutate_upload(data.draw, inbox, BASE_UPLOADS[fmt])
            note(f"upload: {what}")
            paths.append(path)
            whats.append(what)
        home, summaries = _ingest(root, inbox)
        assert_ingest_properties(home, summaries, paths, whats)
        outcome = {s.ledger["source_name"]: s.outcome for s in summaries}
        assert outcome[clean.name] == "LOADED"


def test_every_mutation_is_drawn() -> None:
    """Guard: the strategy knows each mutation kind (a renamed one would silently vanish)."""
    assert len(DATA_MUTATIONS) >= 16
