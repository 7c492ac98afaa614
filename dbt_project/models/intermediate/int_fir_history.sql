-- Every version of every FIR header with the extract date it became known and the one it was
-- superseded: the "as of" history (the FIR as the warehouse knew it on any date).
with versions as (
    select
        v.*,
        l.extract_date as known_from
    from {{ ref('int_fir_versions') }} as v
    left join {{ ref('int_loads_in_build') }} as l
        on v.load_id = l.load_id
)

select
    *,
    lead(known_from) over (partition by fir_key order by record_version) as known_until,
    record_version = max(record_version) over (partition by fir_key) as is_current_version
from versions
