-- Police disposal of IPC/BNS and SLL cases by State, year and crime head, as NCRB's "Crime in
-- India" defines it:
--   total for investigation = pending from previous year + registered + reopened
--   pending at year end     = total for investigation - disposed - quashed
--   charge-sheeting rate    = charge-sheeted / disposed by police x 100
--   police pendency %       = pending at year end / total for investigation x 100
-- Rows run from a head's first event year to the latest year in the data (pending cases carry over).
with events as (
    select * from {{ ref('int_investigation_events') }}
),

yearly as (
    select
        state_code,
        crime_head_code,
        event_year as year,
        count(*) filter (where event_type = 'REGISTERED') as registered,
        count(*) filter (where event_type = 'REOPENED') as reopened,
        count(*) filter (where event_type = 'QUASHED') as quashed,
        count(*) filter (where event_type = 'DISPOSED' and report_type = 'CHARGESHEET') as chargesheeted,
        count(*) filter (where event_type = 'DISPOSED' and report_type = 'NOT_CHARGESHEETED') as not_chargesheeted,
        count(*) filter (where event_type = 'DISPOSED' and report_type in ('FR_UNDETECTED', 'FR_UNTRACED')) as fr_undetected_untraced,
        count(*) filter (where event_type = 'DISPOSED' and report_type = 'FR_ABATED') as fr_abated,
        count(*) filter (where event_type = 'DISPOSED' and report_type in ('FR_FALSE', 'FR_MISTAKE_OF_FACT', 'FR_MISTAKE_OF_LAW')) as fr_false_mistake,
        count(*) filter (where event_type = 'DISPOSED' and report_type in ('FR_NON_COGNIZABLE', 'FR_CIVIL')) as fr_non_cognizable_civil,
        count(*) filter (where event_type = 'DISPOSED') as disposed,
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
        coalesce(y.registered, 0) as registered,
        coalesce(y.reopened, 0) as reopened,
        coalesce(y.quashed, 0) as quashed,
        coalesce(y.chargesheeted, 0) as chargesheeted,
        coalesce(y.not_chargesheeted, 0) as not_chargesheeted,
        coalesce(y.fr_undetected_untraced, 0) as fr_undetected_untraced,
        coalesce(y.fr_abated, 0) as fr_abated,
        coalesce(y.fr_false_mistake, 0) as fr_false_mistake,
        coalesce(y.fr_non_cognizable_civil, 0) as fr_non_cognizable_civil,
        coalesce(y.disposed, 0) as disposed,
        sum(coalesce(y.net, 0)) over (
            partition by sp.state_code, sp.crime_head_code order by sp.year
            rows between unbounded preceding and current row
        ) as pending_at_year_end,
        coalesce(y.net, 0) as net
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
        pending_at_year_end - net as pending_from_previous_year,
        registered,
        reopened,
        pending_at_year_end - net + registered + reopened as total_for_investigation,
        quashed,
        chargesheeted,
        not_chargesheeted,
        fr_undetected_untraced,
        fr_abated,
        fr_false_mistake,
        fr_non_cognizable_civil,
        disposed,
        pending_at_year_end
    from filled
)

select
    *,
    {{ safe_rate('chargesheeted', 'disposed') }} as chargesheeting_rate,
    {{ safe_rate('pending_at_year_end', 'total_for_investigation') }} as police_pendency_pct
from final
where total_for_investigation > 0 or disposed > 0 or quashed > 0
