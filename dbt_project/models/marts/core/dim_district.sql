-- Districts (warehouse codes within each State).
select
    state_code || '-' || district_code as district_key,
    state_code,
    district_code,
    district_name,
    is_big_city = 'Y' as is_big_city,
    hq_lat,
    hq_lon
from {{ ref('ref_districts') }}
