-- States and Union Territories.
select
    state_code,
    state_name,
    state_type,
    region,
    (lat_min + lat_max) / 2 as centroid_lat,
    (lon_min + lon_max) / 2 as centroid_lon
from {{ ref('ref_states') }}
