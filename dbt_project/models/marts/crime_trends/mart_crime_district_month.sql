-- Cases and victims by district, month and crime head (the drill-down and the heatmap).
select
    state_code,
    district_code,
    month_start,
    crime_head_code,
    any_value(year) as year,
    count(*) as cases,
    sum(n_victims) as victims
from {{ ref('fct_firs') }}
group by state_code, district_code, month_start, crime_head_code
