-- Every applied version of the people on every FIR (victim identity already removed in staging).
-- Incremental: each build appends the versions of the loads new to it; history is kept.
{{ config(
    materialized='incremental',
    unique_key=['fir_key', 'record_version', 'person_seq'],
    on_schema_change='append_new_columns'
) }}

select *
from {{ ref('stg_lake__persons') }}
{% if is_incremental() %}
where load_id not in (select distinct load_id from {{ this }})
{% endif %}
