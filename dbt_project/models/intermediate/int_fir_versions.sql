-- Every applied version of every FIR header.
-- Incremental: each build appends the versions of the loads new to it; history is kept.
{{ config(
    materialized='incremental',
    unique_key=['fir_key', 'record_version'],
    on_schema_change='append_new_columns'
) }}

select *
from {{ ref('stg_lake__firs') }}
{% if is_incremental() %}
where load_id not in (select distinct load_id from {{ this }})
{% endif %}
