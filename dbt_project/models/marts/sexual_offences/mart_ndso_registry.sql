-- The National Database of Sexual Offenders view: adults accused in FIRs under a covered section
-- (rape, gang rape, POCSO, stalking / eve-teasing) who were convicted, and, kept apart and
-- flagged, those only charge-sheeted (whether NDSO holds them is unverified). One row per
-- offender, identified across FIRs and States by the folded name key, birth year and gender.
-- Law-enforcement only; accused persons only: no victim field of any kind.
with covered as (
    select
        f.fir_key,
        f.state_code,
        f.district_code,
        f.registered_on,
        list_distinct(list(n.offence_group)) as offence_groups
    from {{ ref('int_firs_enriched') }} as f
    inner join {{ ref('int_fir_offences') }} as o
        on f.fir_key = o.fir_key
    inner join {{ ref('ref_ndso_sections') }} as n
        on o.act = n.act
            and o.section = n.section
    where f.is_counted
    group by all
),

outcome as (
    select
        c.fir_key,
        bool_or(t.event_type = 'COURT_DISPOSED' and t.result = 'CONVICTED') as convicted,
        min(t.event_date) filter (where t.event_type = 'COURT_DISPOSED' and t.result = 'CONVICTED') as convicted_on,
        bool_or(t.event_type = 'SENT_FOR_TRIAL') as chargesheeted,
        bool_or(t.event_type = 'COURT_DISPOSED' and t.result in ('ACQUITTED', 'DISCHARGED')) as acquitted
    from covered as c
    inner join {{ ref('int_trial_events') }} as t
        on c.fir_key = t.fir_key
    group by c.fir_key
),

accused as (
    select
        p.fir_key,
        p.name,
        p.name_latin,
        p.name_key,
        p.alias,
        p.gender,
        coalesce(p.birth_year, year(c.registered_on) - p.age) as birth_year,
        p.address,
        p.address_district_code,
        c.state_code,
        c.district_code,
        c.registered_on,
        c.offence_groups,
        o.convicted,
        o.convicted_on
    from {{ ref('int_person_versions') }} as p
    inner join {{ ref('int_firs_current') }} as f
        on p.fir_key = f.fir_key
            and p.record_version = f.record_version
    inner join covered as c
        on p.fir_key = c.fir_key
    inner join outcome as o
        on p.fir_key = o.fir_key
    where p.is_accused
        and p.name_key is not null
        and (o.convicted or (o.chargesheeted and not o.acquitted))
        and coalesce(p.age, year(c.registered_on) - p.birth_year) >= 18
),

offenders as (
    select
        md5(name_key || '|' || coalesce(cast(birth_year as varchar), '?') || '|' || coalesce(gender, 'U')) as offender_key,
        *
    from accused
)

select
    offender_key,
    case when bool_or(convicted) then 'CONVICTED' else 'CHARGESHEETED_ONLY' end as registry_status,
    bool_or(convicted) as is_convicted,
    arg_max(name, registered_on) as name,
    arg_max(name_latin, registered_on) as name_latin,
    any_value(name_key) as name_key,
    list_distinct(list(alias) filter (where alias is not null)) as aliases,
    any_value(gender) as gender,
    any_value(birth_year) as birth_year,
    arg_max(address, registered_on) as address,
    arg_max(address_district_code, registered_on) as address_district_code,
    arg_max(state_code, registered_on) as state_code,
    arg_max(district_code, registered_on) as district_code,
    list_distinct(flatten(list(offence_groups))) as offence_groups,
    list_distinct(list(fir_key)) as fir_keys,
    count(distinct fir_key) as n_cases,
    min(registered_on) as first_fir_on,
    max(registered_on) as latest_fir_on,
    min(convicted_on) as convicted_on
from offenders
group by offender_key
