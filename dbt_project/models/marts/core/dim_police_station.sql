-- The 17,074 police stations.
select
    state_code || '-' || district_code || '-' || ps_code as ps_key,
    state_code,
    district_code,
    ps_code,
    ps_name,
    ps_type,
    is_urban = 'Y' as is_urban,
    lat,
    lon
from {{ ref('ref_police_stations') }}
