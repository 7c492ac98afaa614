-- Court disposal by State, year and crime head, as NCRB defines it:
--   total for trial         = pending trial from previous year + sent for trial
--   trials completed        = convicted + acquitted + discharged
--   disposed                = trials completed + compounded/withdrawn + abated + quashed
--   pending at year end     = total for trial - disposed
--   conviction rate         = convicted / trials completed x 100
--   court pendency %        = pending at year end / total for trial x 100
with events as (
    select * from {{ ref('int_trial_events') }}
),

yearly as (
    select
        state_code,
        crime_head_code,
        event_year as year,
        count(*) filter (where event_type = 'SENT_FOR_TRIAL') as sent_for_trial,
        count(*) filter (where event_type = 'COURT_DISPOSED' and result = 'CONVICTED') as convicted,
        count(*) filter (where event_type = 'COURT_DISPOSED' and result = 'ACQUITTED') as acquitted,
        count(*) filter (where event_type = 'COURT_DISPOSED' and result = 'DISCHARGED') as discharged,
        count(*) filter (where event_type = 'COURT_DISPOSED' and result in ('COMPOUNDED', 'WITHDRAWN')) as compounded_withdrawn,
        count(*) filter (where event_type = 'COURT_DISPOSED' and result = 'ABATED') as abated,
        count(*) filter (where event_type = 'QUASHED') as quashed,
        count(*) filter (where delta < 0) as disposed,
        sum(delta) as net
    from events
    group by all
),

spine as (
    {{ year_spine('events') }}
),

filled as (
    select
        sp.state_code,
        sp.year,
        sp.crime_head_code,
        coalesce(y.sent_for_trial, 0) as sent_for_trial,
        coalesce(y.convicted, 0) as convicted,
        coalesce(y.acquitted, 0) as acquitted,
        coalesce(y.discharged, 0) as discharged,
        coalesce(y.compounded_withdrawn, 0) as compounded_withdrawn,
        coalesce(y.abated, 0) as abated,
        coalesce(y.quashed, 0) as quashed,
        coalesce(y.disposed, 0) as disposed,
        coalesce(y.net, 0) as net,
        sum(coalesce(y.net, 0)) over (
            partition by sp.state_code, sp.crime_head_code order by sp.year
            rows between unbounded preceding and current row
        ) as pending_trial_at_year_end
    from spine as sp
    left join yearly as y
        on sp.state_code = y.state_code
            and sp.crime_head_code = y.crime_head_code
            and sp.year = y.year
),

final as (
    select
        state_code,
        year,
        crime_head_code,
        pending_trial_at_year_end - net as pending_trial_from_previous_year,
        sent_for_trial,
        pending_trial_at_year_end - net + sent_for_trial as total_for_trial,
        convicted,
        acquitted,
        discharged,
        convicted + acquitted + discharged as trials_completed,
        compounded_withdrawn,
        abated,
        quashed,
        disposed,
        pending_trial_at_year_end
    from filled
)

select
    *,
    {{ safe_rate('convicted', 'trials_completed') }} as conviction_rate,
    {{ safe_rate('pending_trial_at_year_end', 'total_for_trial') }} as court_pendency_pct
from final
where total_for_trial > 0 or disposed > 0
