"""SQL that fills every mart of the contract from a few source tables: a synthetic warehouse.

The marts are created empty, with the contract's columns and types, by
:func:`core.mart_contract.build_marts` (the contract is the dbt YAML of the marts), then filled
by the SELECTs of :func:`mart_fills`. Used by the test warehouse (``tests/dashboards/fake_warehouse.py``) and by the dashboard query
benchmark (``python -m bench.dashboards``, a synthetic national year). The source tables, which
the caller creates first: ``states_src``, ``pop_src``, ``dist_src``, ``ps_src``, ``heads_src``
(the reference seeds' columns), ``fir_src`` (the columns of ``fct_firs``), ``off_src`` (of
``fct_fir_offences``) and ``ndso_src`` (of ``mart_ndso_registry``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

from core import mart_contract


def mart_fills(as_on: dt.date, mo_classes: Sequence[str]) -> dict[str, str]:
    """Mart -> the SELECT that fills it (for :func:`core.mart_contract.build_marts`, in this order:
    later fills read marts filled before them)."""
    AS_ON = as_on
    MO_CLASSES = tuple(mo_classes)
    return {
        "dim_state": """
        SELECT state_code, state_name, state_type, region FROM states_src
""",
        "dim_district": """
        SELECT state_code || '-' || district_code AS district_key, state_code,
        district_code, district_name, is_big_city = 'Y' AS is_big_city FROM dist_src
""",
        "dim_police_station": """
        SELECT ps_key, state_code, district_code, ps_code, ps_name, ps_type,
        is_urban = 'Y' AS is_urban, lat, lon FROM ps_src
""",
        "dim_crime_head": """
        SELECT crime_head_code, crime_head_name, ncrb_category, law_type,
        is_crime_against_women = 'Y' AS is_crime_against_women,
        is_crime_against_children = 'Y' AS is_crime_against_children, display_order FROM heads_src
""",
        "dim_date": """
        SELECT CAST(d AS DATE) AS date_day, year(d) AS year, month(d) AS month,
        CAST(date_trunc('month', d) AS DATE) AS month_start, quarter(d) AS quarter, dayofweek(d) AS day_of_week
        FROM range(DATE '2023-01-01', DATE '2026-12-31', INTERVAL 1 DAY) t(d)
""",
        "dim_build": f"""
        SELECT 'fake-build' AS build_id, TIMESTAMP '2026-11-08 02:00:00' AS built_at,
        'full' AS mode, DATE '{AS_ON}' AS data_as_on, 35 AS loads_in_build, 35 AS loads_total
""",
        "fct_firs": """
        SELECT * FROM fir_src
""",
        "fct_fir_offences": """
        SELECT * FROM off_src
""",
        "mart_crime_state_year": """
        SELECT f.state_code, f.year, f.crime_head_code, COUNT(*) AS cases, SUM(n_victims) AS victims,
               p.population, p.female_population,
               COUNT(*) * 100000.0 / CASE WHEN h.is_crime_against_women = 'Y' THEN p.female_population
                                         ELSE p.population END AS crime_rate
        FROM fir_src f JOIN pop_src p ON p.state_code = f.state_code AND p.year = f.year
        JOIN heads_src h ON h.crime_head_code = f.crime_head_code
        GROUP BY f.state_code, f.year, f.crime_head_code, p.population, p.female_population,
                 h.is_crime_against_women
""",
        "mart_crime_totals_state_year": """
        WITH k AS (
            SELECT f.state_code, f.year, 'TOTAL' AS total_kind, f.crime_head_code FROM fir_src f
            UNION ALL SELECT f.state_code, f.year, h.law_type, f.crime_head_code
                FROM fir_src f JOIN heads_src h USING (crime_head_code)
            UNION ALL SELECT f.state_code, f.year, 'AGAINST_WOMEN', f.crime_head_code
                FROM fir_src f JOIN heads_src h USING (crime_head_code) WHERE h.is_crime_against_women = 'Y'
            UNION ALL SELECT f.state_code, f.year, 'AGAINST_CHILDREN', f.crime_head_code
                FROM fir_src f JOIN heads_src h USING (crime_head_code) WHERE h.is_crime_against_children = 'Y'
        )
        SELECT k.state_code, k.year, CASE WHEN k.total_kind = 'IPC_BNS' THEN 'IPC_BNS' ELSE k.total_kind END
               AS total_kind, COUNT(*) AS cases,
               ANY_VALUE(CASE WHEN k.total_kind = 'AGAINST_WOMEN' THEN p.female_population ELSE p.population END)
               AS population,
               COUNT(*) * 100000.0 / ANY_VALUE(CASE WHEN k.total_kind = 'AGAINST_WOMEN' THEN p.female_population
                                               ELSE p.population END) AS crime_rate
        FROM k JOIN pop_src p ON p.state_code = k.state_code AND p.year = k.year
        GROUP BY k.state_code, k.year, k.total_kind
""",
        "mart_crime_district_month": """
        SELECT state_code, district_code, month_start, crime_head_code, year, COUNT(*) AS cases,
               SUM(n_victims) AS victims FROM fir_src GROUP BY ALL
""",
        "mart_crime_state_month": """
        SELECT state_code, month_start, crime_head_code, year, COUNT(*) AS cases FROM fir_src GROUP BY ALL
""",
        "mart_police_disposal": """
        WITH b AS (
            SELECT state_code, year, crime_head_code, COUNT(*) AS registered,
                   COUNT(*) FILTER (WHERE status = 'CHARGESHEETED') AS chargesheeted,
                   COUNT(*) FILTER (WHERE status = 'FINAL_REPORT') AS fr,
                   COUNT(*) FILTER (WHERE status = 'UNDER_INVESTIGATION') AS pending
            FROM fir_src GROUP BY ALL)
        SELECT state_code, year, crime_head_code, 0 AS pending_from_previous_year, registered, 0 AS reopened,
               registered AS total_for_investigation, 0 AS quashed, chargesheeted,
               0 AS not_chargesheeted, fr AS fr_undetected_untraced, 0 AS fr_abated, 0 AS fr_false_mistake,
               0 AS fr_non_cognizable_civil, chargesheeted + fr AS disposed, pending AS pending_at_year_end,
               CASE WHEN chargesheeted + fr > 0 THEN chargesheeted * 100.0 / (chargesheeted + fr) END
               AS chargesheeting_rate, pending * 100.0 / registered AS police_pendency_pct
        FROM b
""",
        "mart_court_disposal": """
        SELECT state_code, year, crime_head_code, 0 AS pending_trial_from_previous_year,
               chargesheeted AS sent_for_trial, chargesheeted AS total_for_trial,
               chargesheeted // 2 AS convicted, chargesheeted // 4 AS acquitted, 0 AS discharged,
               chargesheeted // 2 + chargesheeted // 4 AS trials_completed, 0 AS compounded_withdrawn,
               0 AS abated, 0 AS quashed, chargesheeted // 2 + chargesheeted // 4 AS disposed,
               chargesheeted - chargesheeted // 2 - chargesheeted // 4 AS pending_trial_at_year_end,
               CASE WHEN chargesheeted // 2 + chargesheeted // 4 > 0
                    THEN (chargesheeted // 2) * 100.0 / (chargesheeted // 2 + chargesheeted // 4) END
               AS conviction_rate,
               CASE WHEN chargesheeted > 0
                    THEN (chargesheeted - chargesheeted // 2 - chargesheeted // 4) * 100.0 / chargesheeted END
               AS court_pendency_pct
        FROM marts.mart_police_disposal
""",
        "mart_itsso_cases": f"""
        WITH c AS (
            SELECT fir_key, state_code, district_code, ps_code, ps_key, registered_on, principal_act AS act,
                   principal_section AS section,
                   CASE WHEN law_code = 'BNS' THEN 'BNSS 193(2)' ELSE 'CrPC 173(1A)' END AS deadline_rule,
                   60 AS deadline_days, registered_on + 60 AS due_on,
                   CASE WHEN status = 'UNDER_INVESTIGATION' THEN NULL
                        ELSE registered_on + CAST(hash(fir_key) % 110 AS INTEGER) END AS completed_on
            FROM fir_src WHERE is_itsso)
        SELECT *, CASE WHEN completed_on IS NOT NULL THEN completed_on - registered_on END AS days_taken,
               CASE WHEN completed_on IS NOT NULL AND completed_on <= due_on THEN 'WITHIN_TWO_MONTHS'
                    WHEN completed_on IS NOT NULL THEN 'BEYOND_TWO_MONTHS'
                    WHEN due_on < DATE '{AS_ON}' THEN 'OVERDUE_OPEN' ELSE 'OPEN_NOT_DUE' END AS itsso_status,
               CASE WHEN completed_on IS NULL AND due_on < DATE '{AS_ON}' THEN DATE '{AS_ON}' - due_on END
               AS days_overdue,
               DATE '{AS_ON}' AS as_of
        FROM c
""",
        "mart_itsso_compliance": f"""
        SELECT ps_key, CAST(date_trunc('month', registered_on) AS DATE) AS month_start, state_code,
               district_code, ps_code, COUNT(*) AS registered,
               COUNT(*) FILTER (WHERE due_on < DATE '{AS_ON}') AS due,
               COUNT(*) FILTER (WHERE itsso_status = 'WITHIN_TWO_MONTHS') AS completed_within,
               COUNT(*) FILTER (WHERE itsso_status = 'BEYOND_TWO_MONTHS') AS completed_beyond,
               COUNT(*) FILTER (WHERE itsso_status = 'OVERDUE_OPEN') AS overdue_open,
               CASE WHEN COUNT(*) FILTER (WHERE due_on < DATE '{AS_ON}') > 0 THEN
                 COUNT(*) FILTER (WHERE itsso_status = 'WITHIN_TWO_MONTHS') * 100.0
                 / COUNT(*) FILTER (WHERE due_on < DATE '{AS_ON}') END AS compliance_pct
        FROM marts.mart_itsso_cases GROUP BY ALL
""",
        "mart_ndso_registry": """
        SELECT offender_key, registry_status, is_convicted, name,
        name_latin, name_key, CAST(aliases AS VARCHAR[]) AS aliases, gender, birth_year, address,
        address_district_code, state_code, district_code, CAST(offence_groups AS VARCHAR[]) AS offence_groups,
        CAST(fir_keys AS VARCHAR[]) AS fir_keys, n_cases, CAST(first_fir_on AS DATE) AS first_fir_on,
        CAST(latest_fir_on AS DATE) AS latest_fir_on, CAST(convicted_on AS DATE) AS convicted_on FROM ndso_src
""",
        "mart_mo_state_month": f"""
        SELECT state_code, month_start, crime_head_code,
               list_extract({list(MO_CLASSES)}, CAST(hash(fir_key) % {len(MO_CLASSES)} AS INTEGER) + 1) AS mo_class,
               COUNT(*) AS cases
        FROM fir_src WHERE crime_head_code IN ('THEFT', 'ROBBERY', 'CHEATING') GROUP BY ALL
""",
        "mart_mo_top": """
        SELECT crime_head_code, mo_class, 'FORCED_DOOR' AS entry_method, 'TOOLS' AS tools_used,
               'VALUABLES' AS target, SUM(cases) AS cases,
               row_number() OVER (PARTITION BY crime_head_code ORDER BY SUM(cases) DESC) AS rank_in_head
        FROM marts.mart_mo_state_month GROUP BY crime_head_code, mo_class
""",
        "mart_mo_spread": """
        WITH f AS (SELECT mo_class, state_code, MIN(month_start) AS first_seen_month, SUM(cases) AS cases
                   FROM marts.mart_mo_state_month GROUP BY ALL)
        SELECT mo_class, state_code, first_seen_month AS first_seen_on, first_seen_month, cases,
               row_number() OVER (PARTITION BY mo_class ORDER BY first_seen_month, state_code) AS adoption_order,
               row_number() OVER (PARTITION BY mo_class ORDER BY first_seen_month, state_code) AS states_by_then
        FROM f
""",
        "mart_station_activity": f"""
        SELECT p.ps_key, p.state_code, p.district_code, p.ps_code, p.ps_name, p.ps_type,
               MAX(f.registered_on) AS last_fir_registered_on, DATE '{AS_ON}' AS last_upload_on,
               COUNT(f.fir_key) FILTER (WHERE f.registered_on > DATE '{AS_ON}' - 30) AS firs_last_30_days,
               COUNT(f.fir_key) AS firs_total, TRUE AS is_connected,
               COUNT(f.fir_key) FILTER (WHERE f.registered_on > DATE '{AS_ON}' - 30) > 0 AS is_using,
               COUNT(f.fir_key) FILTER (WHERE f.registered_on > DATE '{AS_ON}' - 30) = 0 AS is_silent,
               DATE '{AS_ON}' AS as_of
        FROM ps_src p LEFT JOIN fir_src f ON f.ps_key = p.ps_key GROUP BY ALL
""",
        "mart_state_cctns_usage": f"""
        SELECT state_code, COUNT(*) AS stations_total, COUNT(*) FILTER (WHERE is_connected) AS stations_connected,
               COUNT(*) FILTER (WHERE is_using) AS stations_using, COUNT(*) FILTER (WHERE is_silent)
               AS stations_silent, DATE '{AS_ON}' AS as_of
        FROM marts.mart_station_activity GROUP BY state_code
""",
        "mart_upload_health": """
        SELECT s.state_code || '_' || strftime(d, '%Y%m%d') || '_01-abc' AS load_id,
               s.state_code || '_' || strftime(d, '%Y%m%d') || '_01' AS upload_id, s.state_code,
               CAST(d AS DATE) AS extract_date, 1 AS sequence, 'cas_csv' AS format,
               CASE WHEN day(d) = 3 THEN 'LOADED_WITH_ERRORS' ELSE 'LOADED' END AS outcome,
               CAST([] AS VARCHAR[]) AS reject_codes, 100 AS rows_in,
               CASE WHEN day(d) = 3 THEN 97 ELSE 100 END AS rows_loaded,
               CASE WHEN day(d) = 3 THEN 3 ELSE 0 END AS rows_quarantined, 40 AS fir_docs_in,
               40 AS fir_docs_applied, CASE WHEN day(d) = 3 THEN 3 ELSE 0 END AS errors, 1 AS warnings,
               0.4 AS seconds,
               CASE WHEN s.state_code = '30' AND day(d) = 7 THEN 'HELD' ELSE 'PASSED' END AS gate_status,
               CASE WHEN s.state_code = '30' AND day(d) = 7 THEN 'volume 80% below the recent nights' END
               AS gate_reason
        FROM states_src s, range(DATE '2026-11-01', DATE '2026-11-08', INTERVAL 1 DAY) t(d)
""",
        "mart_upload_rule_counts": """
        SELECT load_id, '111' AS rule_code, 'error' AS severity, state_code, extract_date, 3 AS rows
        FROM marts.mart_upload_health WHERE rows_quarantined > 0
        UNION ALL
        SELECT load_id, '205' AS rule_code, 'warning' AS severity, state_code, extract_date, 1 AS rows
        FROM marts.mart_upload_health
""",
    }


def build(con: duckdb.DuckDBPyConnection, as_on: dt.date, mo_classes: Sequence[str]) -> None:
    """Create every mart of the contract (empty, with its types) and fill it from the source tables."""
    mart_contract.build_marts(con, mart_fills(as_on, mo_classes))
