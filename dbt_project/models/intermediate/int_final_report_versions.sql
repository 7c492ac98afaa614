-- Every applied version of every FIR's final reports.
-- Incremental: each build appends the versions of the loads new to it; history is kept.
{{ config(
    materialized='incremental',
    unique_key=['fir_key', 'record_version', 'report_seq'],
    on_schema_change='append_new_columns'
) }}

select *
from {{ ref('stg_lake__final_reports') }}
{% if is_incremental() %}
where load_id not in (select distinct load_id from {{ this }})
{% endif %}
