-- Police stations connected and using CCTNS, by State (the question Parliament asked in July 2024).
select
    state_code,
    count(*) as stations_total,
    count(*) filter (where is_connected) as stations_connected,
    count(*) filter (where is_using) as stations_using,
    count(*) filter (where is_silent) as stations_silent,
    any_value(as_of) as as_of
from {{ ref('mart_station_activity') }}
group by state_code
