-- NCRB crime heads. Marts use the harmonised head (ipc_era_head), so series run unbroken across
-- 1 July 2024; heads that exist only in the BNS map to the head they were counted under before.
select
    crime_head_code,
    crime_head_name,
    ncrb_category,
    law_type,
    is_crime_against_women = 'Y' as is_crime_against_women,
    is_crime_against_children = 'Y' as is_crime_against_children,
    display_order,
    ipc_era_head as harmonised_crime_head_code
from {{ ref('ref_crime_heads') }}
