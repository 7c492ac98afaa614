-- Issues per load, rule and severity (incremental: the issues of new loads are counted once).
{{ config(materialized='incremental', unique_key=['load_id', 'rule_code', 'severity']) }}

select
    load_id,
    any_value(state_code) as state_code,
    rule_code,
    severity,
    count(*) as rows
from {{ ref('stg_lake__issues') }}
{% if is_incremental() %}
where load_id not in (select distinct load_id from {{ this }})
{% endif %}
group by load_id, rule_code, severity
