-- The loads whose data this warehouse holds (incremental: appended as builds take them in).
{{ config(materialized='incremental', unique_key='load_id') }}

select
    load_id,
    state_code,
    extract_date,
    (select i.build_id from {{ ref('stg_build__info') }} as i) as first_built_in
from {{ ref('stg_lake__loads') }}
where in_build
{% if is_incremental() %}
    and load_id not in (select load_id from {{ this }})
{% endif %}
