"""Mart suites on a small warehouse file built to the contract: clean passes, each seeded inconsistency is caught."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from core.settings import Paths
from quality.marts import MartReport, run_mart_suites
from quality.store import read_results
from quality.suites import marts as ms
from tests.quality.mart_fixture import build_clean_warehouse


@pytest.fixture(scope="module")
def clean_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_clean_warehouse(tmp_path_factory.mktemp("marts") / "clean.duckdb")


def _seeded(clean: Path, dest: Path, statements: list[str]) -> Path:
    shutil.copy(clean, dest)
    con = duckdb.connect(str(dest))
    try:
        for sql in statements:
            con.execute(sql)
        con.execute("checkpoint")
    finally:
        con.close()
    return dest


def _caught(report: MartReport, check_id: str, key: dict[str, Any] | None) -> bool:
    """The check failed, and (when ``key`` is given) one of its examples is the seeded row."""
    for f in report.failures:
        if f.check_id == check_id:
            return key is None or any(
                all(str(ex.get(k)) == str(v) for k, v in key.items()) for ex in f.examples
            )
    return False


def test_clean_warehouse_passes_and_results_are_stored(clean_file: Path, tmp_path: Path) -> None:
    home = Paths(tmp_path / "home").ensure()
    report = run_mart_suites(clean_file, home)
    assert report.ok, str(report)
    assert report.failures == []
    suites = set(report.results["suite"])
    assert {"mart.contract", "mart.dim_state", "mart.reconcile", "mart.mart_police_disposal"} <= suites
    defined = (
        len(ms.contract_checks())
        + len(ms.dim_state_checks([]))
        + len(ms.reconcile_checks())
        + len(ms.states_checks([]))
        + sum(len(ms.table_checks(t, rules)) for t, rules in ms.TABLES.items())
    )
    assert report.results.height == defined  # every check of every suite ran
    stored = read_results(home)
    assert stored.height == report.results.height and stored["load_id"].is_null().all()
    assert (home.quality / "data_docs" / "marts" / "index.html").is_file()
    duckdb.connect(str(clean_file)).close()  # the suites closed the file: a writer can open it


# (statements seeding the problems, [(check that must catch it, key of the seeded row)])
SCENARIOS: dict[str, tuple[list[str], list[tuple[str, dict[str, Any] | None]]]] = {
    "rows, contract and dimensions": (
        [
            "drop table marts.mart_ndso_registry",
            "alter table marts.mart_mo_top drop column rank_in_head",
            "delete from marts.dim_state where state_code = '35'",
            "update marts.mart_mo_state_month set cases = -3 where state_code = '29' and month_start = "
            "(select min(month_start) from marts.mart_mo_state_month where state_code = '29')",
            "update marts.mart_police_disposal set police_pendency_pct = 120 "
            "where state_code = '29' and year = 2025 and crime_head_code = 'THEFT'",
            "update marts.mart_crime_totals_state_year set crime_rate = -1 "
            "where state_code = '09' and year = 2026 and total_kind = 'TOTAL'",
            "update marts.mart_police_disposal set disposed = total_for_investigation + 5 "
            "where state_code = '09' and year = 2026 and crime_head_code = 'MURDER'",
            "update marts.mart_court_disposal set trials_completed = trials_completed + 1 "
            "where state_code = '29' and year = 2026 and crime_head_code = 'NDPS'",
            "insert into marts.mart_mo_spread values ('HOUSEBREAK_NIGHT', '99', date '2025-03-01', "
            "date '2025-03-01', 5, 3, 3)",
        ],
        [
            ("mart.mart_mo_state_month.non_negative", {"state_code": "29", "_negative_columns": "cases"}),
            (
                "mart.mart_police_disposal.percent_range",
                {"state_code": "29", "year": 2025, "_percent_columns": "police_pendency_pct"},
            ),
            (
                "mart.mart_crime_totals_state_year.non_negative",
                {"state_code": "09", "total_kind": "TOTAL", "_negative_columns": "crime_rate"},
            ),
            (
                "mart.mart_police_disposal.disposed_le_total_for_investigation",
                {"state_code": "09", "year": 2026, "crime_head_code": "MURDER"},
            ),
            (
                "mart.mart_court_disposal.trials_completed.identity",
                {"state_code": "29", "year": 2026, "crime_head_code": "NDPS"},
            ),
            ("mart.states.in_dim_state", {"table_name": "mart_mo_spread", "state_code": "99"}),
            ("mart.contract.tables", {"table_name": "mart_ndso_registry"}),
            ("mart.contract.columns", {"table_name": "mart_mo_top"}),
            ("mart.dim_state.all_states", None),
        ],
    ),
    "reconciliation and coverage": (
        [
            "update marts.mart_crime_state_year set cases = cases + 1 "
            "where state_code = '09' and year = 2025 and crime_head_code = 'THEFT'",
            "update marts.mart_police_disposal set registered = registered + 2, "
            "total_for_investigation = total_for_investigation + 2 "
            "where state_code = '29' and year = 2026 and crime_head_code = 'MURDER'",
            "delete from marts.mart_crime_totals_state_year where state_code = '29' and year = 2025",
            "update marts.mart_crime_totals_state_year set cases = cases + 1 "
            "where state_code = '09' and year = 2026 and total_kind = 'SLL'",
            "delete from marts.mart_crime_district_month where state_code = '09' and year = 2026 "
            "and crime_head_code = 'NDPS'",
        ],
        [
            ("mart.reconcile.crime_state_year_cases", {"state_code": "09", "year": 2025}),
            ("mart.reconcile.police_registered", {"state_code": "29", "year": 2026}),
            ("mart.reconcile.rows_in_crime_totals", {"state_code": "29", "year": 2025}),
            ("mart.reconcile.totals_parts", {"state_code": "09", "year": 2026}),
            ("mart.reconcile.crime_district_month_cases", {"state_code": "09", "year": 2026}),
        ],
    ),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_each_seeded_inconsistency_is_caught(clean_file: Path, tmp_path: Path, scenario: str) -> None:
    statements, expected = SCENARIOS[scenario]
    dirty = _seeded(clean_file, tmp_path / "dirty.duckdb", statements)
    report = run_mart_suites(dirty, Paths(tmp_path / "home").ensure(), data_docs=False)
    assert not report.ok
    for check_id, key in expected:
        assert _caught(report, check_id, key), f"{check_id} missed {key}:\n{report}"
    assert all(f.severity == "critical" for f in report.failures if f.check_id in dict(expected))


def test_a_warning_is_reported_but_does_not_block(clean_file: Path, tmp_path: Path) -> None:
    dirty = _seeded(
        clean_file,
        tmp_path / "warn.duckdb",
        [
            "update marts.mart_police_disposal set chargesheeting_rate = chargesheeting_rate + 5 "
            "where state_code = '09' and year = 2025 and crime_head_code = 'THEFT'"
        ],
    )
    home = Paths(tmp_path / "home").ensure()
    report = run_mart_suites(dirty, home, data_docs=False)
    assert report.ok
    assert [(f.check_id, f.severity) for f in report.failures] == [
        ("mart.mart_police_disposal.chargesheeting_rate.formula", "warning")
    ]
    stored = read_results(home).filter(~pl.col("success"))
    assert stored["check_id"].to_list() == ["mart.mart_police_disposal.chargesheeting_rate.formula"]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no warehouse file"):
        run_mart_suites(tmp_path / "nope.duckdb", Paths(tmp_path / "home").ensure())
