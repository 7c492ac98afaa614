-- District headquarters and police stations lie inside their State's bounding box.
with places as (
    select state_code, district_code as code, hq_lat as lat, hq_lon as lon
    from {{ ref('ref_districts') }}
    union all
    select state_code, ps_code, lat, lon
    from {{ ref('ref_police_stations') }}
)
select p.*
from places as p
inner join {{ ref('ref_states') }} as s using (state_code)
where p.lat not between s.lat_min and s.lat_max
    or p.lon not between s.lon_min and s.lon_max
