-- Court disposal: trials completed = convicted + acquitted + discharged; disposed never exceeds
-- the cases for trial; the year balances; closing pending carries to the next year.
with d as (
    select
        *,
        lead(pending_trial_from_previous_year) over (partition by state_code, crime_head_code order by year) as next_opening,
        lead(year) over (partition by state_code, crime_head_code order by year) as next_year
    from {{ ref('mart_court_disposal') }}
)

select state_code, year, crime_head_code
from d
where trials_completed <> convicted + acquitted + discharged
    or disposed <> trials_completed + compounded_withdrawn + abated + quashed
    or disposed > total_for_trial
    or total_for_trial - disposed <> pending_trial_at_year_end
    or (next_year = year + 1 and next_opening <> pending_trial_at_year_end)
