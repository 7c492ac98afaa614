-- Rows affected per upload and rule (errors quarantine a row; warnings load it with a note).
select
    c.load_id,
    c.rule_code,
    c.severity,
    c.state_code,
    l.extract_date,
    c.rows
from {{ ref('int_upload_issue_counts') }} as c
left join {{ ref('stg_lake__loads') }} as l
    on c.load_id = l.load_id
