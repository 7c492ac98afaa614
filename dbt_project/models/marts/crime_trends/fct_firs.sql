-- One row per FIR as NCRB counts it: the current version, expunged FIRs removed, transferred
-- zero FIRs left to the station with jurisdiction, under its principal offence (harmonised head).
-- FIR locations are withheld for sexual offences (a location can identify the victim).
select
    f.fir_key,
    f.state_code,
    f.district_code,
    f.ps_code,
    f.ps_key,
    f.fir_year,
    f.fir_no,
    f.registered_on,
    f.registered_at,
    f.offence_date,
    f.law_code,
    year(f.registered_on) as year,
    cast(date_trunc('month', f.registered_on) as date) as month_start,
    f.crime_head_code,
    f.legal_crime_head_code,
    f.principal_act,
    f.principal_section,
    coalesce(h.is_crime_against_women, false) as is_crime_against_women,
    coalesce(h.is_crime_against_children, false) as is_crime_against_children,
    coalesce(h.law_type, 'IPC_BNS') as law_type,
    f.is_sexual_offence,
    f.has_itsso_section as is_itsso,
    f.n_sections,
    f.n_accused,
    f.n_victims,
    f.n_female_victims,
    f.n_child_victims,
    f.status,
    f.status_date,
    f.is_zero_fir,
    case when f.is_sexual_offence then null else f.place_lat end as place_lat,
    case when f.is_sexual_offence then null else f.place_lon end as place_lon,
    f.record_version
from {{ ref('int_firs_enriched') }} as f
left join {{ ref('dim_crime_head') }} as h
    on f.crime_head_code = h.crime_head_code
where f.is_counted
