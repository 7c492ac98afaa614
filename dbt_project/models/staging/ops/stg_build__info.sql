-- This build: id, time and mode (one row).
select
    build_id,
    built_at,
    mode
from {{ source('lake_batch', 'build_info') }}
