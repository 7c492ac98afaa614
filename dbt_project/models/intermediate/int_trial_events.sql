-- Trials as events, one stream per counted FIR sent for trial, from which NCRB's court disposal
-- table is a running balance: SENT_FOR_TRIAL (+1, the first charge-sheet, else the committal),
-- COURT_DISPOSED (-1, the first court result other than PENDING), QUASHED (-1, a quash while
-- the trial is pending).
with firs as (
    select fir_key, record_version, state_code, crime_head_code, status, status_date
    from {{ ref('int_firs_enriched') }}
    where is_counted
),

first_chargesheet as (
    select fir_key, min(event_date) as sent_on
    from {{ ref('int_investigation_events') }}
    where event_type = 'DISPOSED'
        and report_type = 'CHARGESHEET'
    group by fir_key
),

court as (
    select
        c.fir_key,
        min(c.committed_on) as committed_on,
        arg_min(c.result, c.disposal_date) filter (
            where c.result is not null and c.result <> 'PENDING' and c.disposal_date is not null
        ) as result,
        min(c.disposal_date) filter (
            where c.result is not null and c.result <> 'PENDING' and c.disposal_date is not null
        ) as disposed_on
    from {{ ref('int_court_case_versions') }} as c
    inner join firs as f
        on c.fir_key = f.fir_key
            and c.record_version = f.record_version
    group by c.fir_key
),

trials as (
    select
        f.fir_key,
        f.state_code,
        f.crime_head_code,
        f.status,
        f.status_date,
        coalesce(cs.sent_on, c.committed_on, c.disposed_on) as sent_on,
        c.result,
        c.disposed_on
    from firs as f
    left join first_chargesheet as cs
        on f.fir_key = cs.fir_key
    left join court as c
        on f.fir_key = c.fir_key
    where cs.sent_on is not null
        or c.committed_on is not null
        or c.disposed_on is not null
),

events as (
    select
        fir_key, state_code, crime_head_code, sent_on as event_date, 'SENT_FOR_TRIAL' as event_type,
        1 as delta, null as result
    from trials
    union all
    select fir_key, state_code, crime_head_code, greatest(disposed_on, sent_on), 'COURT_DISPOSED', -1, result
    from trials
    where disposed_on is not null
    union all
    select fir_key, state_code, crime_head_code, status_date, 'QUASHED', -1, null
    from trials
    where status = 'QUASHED'
        and status_date >= sent_on
        and (disposed_on is null or status_date < disposed_on)
)

select
    *,
    year(event_date) as event_year
from events
