-- Every upload as the SCRB sent it: outcome, rows in / loaded / quarantined, errors, warnings,
-- and the quality gate's decision (NOT_CHECKED until the gate has run on it).
select
    l.load_id,
    l.upload_id,
    l.state_code,
    l.extract_date,
    l.sequence,
    l.format,
    l.outcome,
    l.reject_codes,
    l.rows_in,
    l.rows_loaded,
    l.rows_quarantined,
    l.fir_docs_in,
    l.fir_docs_applied,
    l.errors,
    l.warnings,
    l.seconds,
    l.in_build,
    case
        when l.outcome not in ('LOADED', 'LOADED_WITH_ERRORS') then 'NOT_APPLICABLE'
        else coalesce(g.gate_status, 'NOT_CHECKED')
    end as gate_status,
    g.gate_reason
from {{ ref('stg_lake__loads') }} as l
left join {{ ref('stg_quality__batch_status') }} as g
    on l.load_id = g.load_id
