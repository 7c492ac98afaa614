-- Cases by State, month and crime head: trends that run unbroken across 1 July 2024.
select
    state_code,
    month_start,
    crime_head_code,
    any_value(year) as year,
    count(*) as cases
from {{ ref('fct_firs') }}
group by state_code, month_start, crime_head_code
