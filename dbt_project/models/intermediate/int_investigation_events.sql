-- Police investigation as events, one stream per counted FIR, from which NCRB's police disposal
-- table is a running balance: REGISTERED (+1), REOPENED (+1), DISPOSED (-1, by final report
-- type), QUASHED (-1, only while under investigation). Disposals are the non-supplementary final
-- reports (a supplementary charge-sheet does not dispose a case again). A case reopened after a
-- final report takes the date a version first showed it back under investigation, else the date
-- of its next report.
with firs as (
    select fir_key, record_version, state_code, crime_head_code, registered_on, status, status_date
    from {{ ref('int_firs_enriched') }}
    where is_counted
),

reports as (
    select
        r.fir_key,
        r.report_date,
        r.report_type,
        row_number() over (partition by r.fir_key order by r.report_date, r.report_seq) as n
    from {{ ref('int_final_report_versions') }} as r
    inner join firs as f
        on r.fir_key = f.fir_key
            and r.record_version = f.record_version
    where not r.is_supplementary
        and r.report_date is not null
),

back_under_investigation as (
    select distinct fir_key, status_date
    from {{ ref('int_fir_versions') }}
    where status = 'UNDER_INVESTIGATION'
        and status_date is not null
),

reopened_before_report as (
    select
        cur.fir_key,
        coalesce(min(u.status_date), cur.report_date) as event_date
    from reports as cur
    inner join reports as prev
        on cur.fir_key = prev.fir_key
            and prev.n = cur.n - 1
    left join back_under_investigation as u
        on cur.fir_key = u.fir_key
            and u.status_date > prev.report_date
            and u.status_date <= cur.report_date
    group by cur.fir_key, cur.n, cur.report_date
),

last_report as (
    select fir_key, max(report_date) as report_date
    from reports
    group by fir_key
),

reopened_now as (
    select f.fir_key, f.status_date as event_date
    from firs as f
    inner join last_report as l
        on f.fir_key = l.fir_key
    where f.status = 'UNDER_INVESTIGATION'
        and f.status_date > l.report_date
),

balance_events as (
    select fir_key, registered_on as event_date, 'REGISTERED' as event_type, 1 as delta, null as report_type
    from firs
    union all
    select fir_key, event_date, 'REOPENED', 1, null from reopened_before_report
    union all
    select fir_key, event_date, 'REOPENED', 1, null from reopened_now
    union all
    select fir_key, report_date, 'DISPOSED', -1, report_type from reports
),

quashed as (
    -- Quashed while under investigation: the balance just before the quash date is positive.
    select f.fir_key, f.status_date as event_date, 'QUASHED' as event_type, -1 as delta, null as report_type
    from firs as f
    inner join balance_events as e
        on f.fir_key = e.fir_key
            and e.event_date <= f.status_date
    where f.status = 'QUASHED'
        and f.status_date is not null
    group by f.fir_key, f.status_date
    having sum(e.delta) > 0
),

all_events as (
    select * from balance_events
    union all
    select * from quashed
)

select
    e.fir_key,
    f.state_code,
    f.crime_head_code,
    e.event_type,
    e.event_date,
    year(e.event_date) as event_year,
    e.delta,
    e.report_type
from all_events as e
inner join firs as f
    on e.fir_key = f.fir_key
