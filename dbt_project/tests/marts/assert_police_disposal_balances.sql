-- Police disposal: disposed never exceeds cases for investigation, the year balances
-- (total - disposed - quashed = pending at year end), and each year's closing pending is the
-- next year's opening pending.
with d as (
    select
        *,
        lead(pending_from_previous_year) over (partition by state_code, crime_head_code order by year) as next_opening,
        lead(year) over (partition by state_code, crime_head_code order by year) as next_year
    from {{ ref('mart_police_disposal') }}
)

select state_code, year, crime_head_code
from d
where disposed + quashed > total_for_investigation
    or total_for_investigation - disposed - quashed <> pending_at_year_end
    or (next_year = year + 1 and next_opening <> pending_at_year_end)
    or chargesheeted + not_chargesheeted + fr_undetected_untraced + fr_abated + fr_false_mistake
    + fr_non_cognizable_civil <> disposed
