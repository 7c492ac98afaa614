-- Court disposal: each year's closing pending trial is the next year's opening pending trial (the
-- event stream's carry-over). The row identities (trials completed, disposed, pending at year end,
-- disposed <= total for trial) are the mart suite's checks (mart.mart_court_disposal.*).
with d as (
    select
        *,
        lead(pending_trial_from_previous_year) over (partition by state_code, crime_head_code order by year) as next_opening,
        lead(year) over (partition by state_code, crime_head_code order by year) as next_year
    from {{ ref('mart_court_disposal') }}
)

select state_code, year, crime_head_code
from d
where next_year = year + 1 and next_opening <> pending_trial_at_year_end
