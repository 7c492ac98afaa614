-- Police disposal: each year's closing pending is the next year's opening pending (the event
-- stream's carry-over), and the kinds of disposal (charge-sheeted, not charge-sheeted, the four
-- final report types) add up to disposed. The balance of the year (total - disposed - quashed =
-- pending at year end, disposed <= total) is the mart suite's check (mart.mart_police_disposal.*).
with d as (
    select
        *,
        lead(pending_from_previous_year) over (partition by state_code, crime_head_code order by year) as next_opening,
        lead(year) over (partition by state_code, crime_head_code order by year) as next_year
    from {{ ref('mart_police_disposal') }}
)

select state_code, year, crime_head_code
from d
where (next_year = year + 1 and next_opening <> pending_at_year_end)
    or chargesheeted + not_chargesheeted + fr_undetected_untraced + fr_abated + fr_false_mistake
    + fr_non_cognizable_civil <> disposed
