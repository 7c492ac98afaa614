"""A small, internally consistent warehouse file with every mart of the contract (core.mart_contract).

The crime and disposal marts are derived with SQL from a generated ``fct_firs`` (two States,
two years, three crime heads), so every reconciliation holds; the other marts hold a few rows
with plausible values. Tests copy the file and seed one inconsistency at a time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import duckdb
import polars as pl

from core import mart_contract, reference

STATES = ("09", "29")
YEARS = (2025, 2026)
HEADS = ("MURDER", "THEFT", "NDPS")  # NDPS is a special and local law head


def _firs() -> pl.DataFrame:
    districts = reference.districts()
    stations = reference.police_stations()
    rows = []
    for i in range(240):
        state = STATES[i % 2]
        year = YEARS[(i // 2) % 2]
        head = HEADS[i % 3]
        ps = stations.filter(pl.col("state_code") == state).row(i % 5, named=True)
        assert districts.filter(pl.col("district_code") == ps["district_code"]).height
        reg = dt.date(year, 1 + i % 12, 1 + i % 28)
        rows.append(
            {
                "fir_key": f"{state}-{ps['district_code']}-{ps['ps_code']}-{year}-{i:04d}",
                "state_code": state,
                "district_code": ps["district_code"],
                "ps_code": ps["ps_code"],
                "ps_key": f"{state}-{ps['district_code']}-{ps['ps_code']}",
                "fir_year": year,
                "fir_no": f"{i:04d}",
                "registered_on": reg,
                "registered_at": dt.datetime(reg.year, reg.month, reg.day, 10, 0),
                "offence_date": reg,
                "law_code": "BNS" if year >= 2025 else "IPC",
                "year": year,
                "month_start": reg.replace(day=1),
                "crime_head_code": head,
                "principal_act": "NDPS" if head == "NDPS" else "BNS",
                "principal_section": {"MURDER": "103(1)", "THEFT": "303(2)", "NDPS": "20"}[head],
                "is_crime_against_women": False,
                "is_sexual_offence": False,
                "is_itsso": False,
                "n_sections": 1,
                "n_accused": 1 + i % 2,
                "n_victims": 1 + i % 3,
                "n_female_victims": i % 2,
                "n_child_victims": 0,
                "status": "UNDER_INVESTIGATION",
                "status_date": reg,
                "is_zero_fir": False,
                "place_lat": None,
                "place_lon": None,
                "record_version": 1,
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None)


#: Mart -> the SELECT that fills it (in order: later fills read marts filled before them). The
#: source frames ``_states``, ``_heads`` and ``_firs`` are registered by :func:`build_clean_warehouse`.
FILLS: Final[dict[str, str]] = {
    "dim_state": "select state_code, state_name, state_type, region from _states",
    "dim_crime_head": "select * from _heads",
    "fct_firs": "select * from _firs",
    "mart_crime_state_year": """
select f.state_code, f.year, f.crime_head_code, count(*)::bigint as cases, sum(n_victims)::bigint as victims,
       10000000::bigint as population, 4800000::bigint as female_population,
       count(*) * 100000.0 / 10000000 as crime_rate
from marts.fct_firs f group by all
""",
    "mart_crime_totals_state_year": """
with k as (select state_code, year, crime_head_code, cases,
                  case when crime_head_code = 'NDPS' then 'SLL' else 'IPC_BNS' end as law_type
           from marts.mart_crime_state_year),
t as (select state_code, year, 'TOTAL' as total_kind, sum(cases)::bigint as cases from k group by all
      union all select state_code, year, law_type, sum(cases)::bigint from k group by all
      union all select distinct state_code, year, 'AGAINST_WOMEN', 0::bigint from k
      union all select distinct state_code, year, 'AGAINST_CHILDREN', 0::bigint from k)
select *, 10000000::bigint as population, cases * 100000.0 / 10000000 as crime_rate from t
""",
    "mart_crime_district_month": """
select state_code, district_code, month_start, crime_head_code, year, count(*)::bigint as cases,
       sum(n_victims)::bigint as victims
from marts.fct_firs group by all
""",
    "mart_crime_state_month": """
select state_code, month_start, crime_head_code, year, count(*)::bigint as cases from marts.fct_firs group by all
""",
    "mart_police_disposal": """
with r as (select state_code, year, crime_head_code, count(*)::bigint as registered from marts.fct_firs group by all),
t as (select *, 2::bigint as pending_from_previous_year, 0::bigint as reopened,
             2 + registered as total_for_investigation, registered // 2 as chargesheeted from r)
select state_code, year, crime_head_code, pending_from_previous_year, registered, reopened, total_for_investigation,
       0::bigint as quashed, chargesheeted, 1::bigint as not_chargesheeted,
       0::bigint as fr_undetected_untraced, 0::bigint as fr_abated, 0::bigint as fr_false_mistake,
       0::bigint as fr_non_cognizable_civil, chargesheeted + 1 as disposed,
       total_for_investigation - chargesheeted - 1 as pending_at_year_end,
       100.0 * chargesheeted / (chargesheeted + 1) as chargesheeting_rate,
       100.0 * (total_for_investigation - chargesheeted - 1) / total_for_investigation as police_pendency_pct
from t
""",
    "mart_court_disposal": """
with p as (select state_code, year, crime_head_code, chargesheeted from marts.mart_police_disposal),
c as (select *, 1::bigint as pending_trial_from_previous_year, chargesheeted as sent_for_trial,
             1 + chargesheeted as total_for_trial, chargesheeted // 3 as convicted,
             least(chargesheeted - chargesheeted // 3, 2)::bigint as acquitted, 0::bigint as discharged from p)
select state_code, year, crime_head_code, pending_trial_from_previous_year, sent_for_trial, total_for_trial,
       convicted, acquitted, discharged, convicted + acquitted + discharged as trials_completed,
       0::bigint as compounded_withdrawn, 0::bigint as abated, 0::bigint as quashed,
       convicted + acquitted + discharged as disposed,
       total_for_trial - (convicted + acquitted + discharged) as pending_trial_at_year_end,
       case when convicted + acquitted + discharged > 0
            then 100.0 * convicted / (convicted + acquitted + discharged) end as conviction_rate,
       100.0 * (total_for_trial - (convicted + acquitted + discharged)) / total_for_trial as court_pendency_pct
from c
""",
    "fct_fir_offences": """
select fir_key, 1 as seq, principal_act as act, principal_section as section, crime_head_code,
       100 as severity_rank, true as is_principal
from marts.fct_firs
""",
    "mart_mo_state_month": """
select state_code, month_start, crime_head_code, 'HOUSEBREAK_NIGHT' as mo_class, count(*)::bigint as cases
from marts.fct_firs group by all
""",
    "dim_police_station": """
select distinct ps_key, state_code, district_code, ps_code, 'PS ' || ps_code as ps_name, 'URBAN' as ps_type,
       true as is_urban, 26.8 as lat, 80.9 as lon
from marts.fct_firs
""",
    "dim_district": """
select distinct state_code || '-' || district_code as district_key, state_code, district_code,
       'District ' || district_code as district_name, false as is_big_city
from marts.fct_firs
""",
    "dim_date": """
select d::date as date_day, year(d) as year, month(d) as month, date_trunc('month', d)::date as month_start,
       quarter(d) as quarter, dayofweek(d) as day_of_week
from range(date '2025-01-01', date '2027-01-01', interval 1 day) t(d)
""",
    "dim_build": """
select 'b1' as build_id, timestamptz '2026-12-31 00:00:00+00' as built_at, 'full' as mode,
       date '2026-12-31' as data_as_on, 2 as loads_in_build, 2 as loads_total
""",
    "mart_itsso_cases": """
select '09-001-00001-2026-0001' as fir_key, '09' as state_code, '001' as district_code, '00001' as ps_code,
       '09-001-00001' as ps_key, date '2026-01-05' as registered_on, 'BNS' as act, '64' as section,
       'BNSS 193(2)' as deadline_rule, 60 as deadline_days, date '2026-03-06' as due_on,
       date '2026-02-10' as completed_on, 36 as days_taken, 'WITHIN_TWO_MONTHS' as itsso_status,
       0 as days_overdue, date '2026-12-31' as as_of
""",
    "mart_itsso_compliance": """
select '09-001-00001' as ps_key, date '2026-01-01' as month_start, '09' as state_code, '001' as district_code,
       '00001' as ps_code, 3::bigint as registered, 2::bigint as due, 1::bigint as completed_within,
       1::bigint as completed_beyond, 0::bigint as overdue_open, 50.0 as compliance_pct
""",
    "mart_ndso_registry": """
select 'off-1' as offender_key, 'CONVICTED' as registry_status, true as is_convicted, 'Test Person' as name,
       'Test Person' as name_latin, 'test person' as name_key, [] :: varchar[] as aliases, 'M' as gender,
       1980 as birth_year, 'Test address' as address, '001' as address_district_code, '09' as state_code,
       '001' as district_code, ['RAPE'] as offence_groups, ['09-001-00001-2026-0001'] as fir_keys,
       1::bigint as n_cases, date '2026-01-05' as first_fir_on, date '2026-01-05' as latest_fir_on,
       date '2026-11-01' as convicted_on
""",
    "mart_mo_top": """
select 'THEFT' as crime_head_code, 'HOUSEBREAK_NIGHT' as mo_class, 'DOOR_LOCK_BROKEN' as entry_method,
       'CROWBAR' as tools_used, 'JEWELLERY' as target, 12::bigint as cases, 1 as rank_in_head
""",
    "mart_mo_spread": """
select * from (values ('HOUSEBREAK_NIGHT', '09', date '2025-01-03', date '2025-01-01', 40::bigint, 1, 1),
                      ('HOUSEBREAK_NIGHT', '29', date '2025-02-07', date '2025-02-01', 20::bigint, 2, 2))
    t(mo_class, state_code, first_seen_on, first_seen_month, cases, adoption_order, states_by_then)
""",
    "mart_station_activity": """
select ps_key, state_code, district_code, ps_code, ps_name, ps_type, date '2026-12-20' as last_fir_registered_on,
       date '2026-12-31' as last_upload_on, 3::bigint as firs_last_30_days, 24::bigint as firs_total,
       true as is_connected, true as is_using, false as is_silent, date '2026-12-31' as as_of
from marts.dim_police_station
""",
    "mart_state_cctns_usage": """
select state_code, 100::bigint as stations_total, count(*)::bigint as stations_connected,
       count(*)::bigint as stations_using, 0::bigint as stations_silent, date '2026-12-31' as as_of
from marts.dim_police_station group by all
""",
    "mart_upload_health": """
select * from (values
    ('09_20261231_01-a', '09_20261231_01', '09', date '2026-12-31', 1, 'cas_csv', 'LOADED', null, 100::bigint,
     100::bigint, 0::bigint, 20::bigint, 20::bigint, 0::bigint, 1::bigint, 0.3, 'PASSED', null),
    ('29_20261231_01-b', '29_20261231_01', '29', date '2026-12-31', 1, 'jsonl', 'LOADED_WITH_ERRORS', null,
     50::bigint, 48::bigint, 2::bigint, 10::bigint, 9::bigint, 2::bigint, 0::bigint, 0.2, 'WARNED', 'x'))
    t(load_id, upload_id, state_code, extract_date, sequence, format, outcome, reject_codes, rows_in, rows_loaded,
      rows_quarantined, fir_docs_in, fir_docs_applied, errors, warnings, seconds, gate_status, gate_reason)
""",
    "mart_upload_rule_counts": """
select '29_20261231_01-b' as load_id, '203' as rule_code, 'warning' as severity, '29' as state_code,
       date '2026-12-31' as extract_date, 2::bigint as rows
""",
}


def build_clean_warehouse(path: Path) -> Path:
    """Write the clean warehouse file at ``path`` (schema ``marts``, every table of the contract,
    created empty with the contract's types by :func:`core.mart_contract.build_marts`, then filled)."""
    states = reference.states().select("state_code", "state_name", "state_type", "region")
    heads = reference.crime_heads().select(
        "crime_head_code",
        "crime_head_name",
        "ncrb_category",
        "law_type",
        "display_order",
        pl.col("is_crime_against_women") == "Y",
        pl.col("is_crime_against_children") == "Y",
    )
    con = duckdb.connect(str(path))
    try:
        for name, df in (("_states", states), ("_heads", heads), ("_firs", _firs())):
            con.register(name, df.to_arrow())
        mart_contract.build_marts(con, FILLS)
        con.execute("checkpoint")
    finally:
        con.close()
    return path
