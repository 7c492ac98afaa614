"""The benchmark's yardsticks are fair: the pandas peer loads what our ingestion loads, and the
dashboards' DuckDB SQL reaches PostgreSQL intact. (Timings are never asserted.)"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from bench.pandas_peer import PandasIngest, canonical_section, discover
from bench.postgres import translate
from core.settings import SAMPLE_DIR, Paths
from core.text import section_canonical
from ingestion.pipeline import ingest
from ingestion.upload import BY_NAME

#: Uttar Pradesh in the committed sample: cas_csv; its first six uploads hold record defects, an
#: upload rejected at the manifest and its resend.
STATE = "09"


def test_pandas_peer_loads_and_quarantines_the_same_rows_as_our_ingestion(tmp_path: Path) -> None:
    uploads = sorted(p for p in SAMPLE_DIR.glob(f"{STATE}_*") if p.is_dir())[:6]  # to the resend
    summaries = ingest(uploads, Paths(tmp_path / "home").ensure(), channel=BY_NAME)
    peer = PandasIngest(tmp_path / "peer").run(discover(uploads))

    ours = {s.ledger["upload_id"]: s.ledger for s in summaries}
    assert set(peer.per_upload) == set(ours)
    keys = ("rows_in", "rows_loaded", "rows_quarantined", "fir_docs_in", "fir_docs_applied")
    for upload_id, counts in peer.per_upload.items():
        assert {k: counts[k] for k in keys} == {k: ours[upload_id][k] for k in keys}, upload_id
    # Not a vacuous match: rows were quarantined and an upload rejected, by both.
    assert peer.rows_quarantined > 0 and peer.rejected == 1
    assert sum(led["outcome"] == "REJECTED" for led in ours.values()) == 1
    # The peer wrote what it loaded.
    fir = pl.read_parquet(sorted((tmp_path / "peer").glob("state_code=*/load_id=*/fir.parquet")))
    assert fir.height == peer.fir_docs_applied


def test_peer_sections_are_canonical_like_ours() -> None:
    for raw in ("u/s 303 (2)", "376 da", "Sec. 3(1)(R)", " 64(2) ", "S.420"):
        assert canonical_section(raw) == section_canonical(raw), raw


def test_dashboard_sql_is_translated_for_postgresql() -> None:
    sql = "SELECT * FROM (SELECT 1 AS score WHERE x = ? AND y LIKE '5%') WHERE score >= ? LIMIT ?"
    assert translate(sql) == (
        "SELECT * FROM (SELECT 1 AS score WHERE x = %s AND y LIKE '5%%') AS scored WHERE score >= %s LIMIT %s"
    )
