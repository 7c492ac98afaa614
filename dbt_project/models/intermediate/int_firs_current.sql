-- The current version of each FIR: the highest record_version; expunged FIRs (tombstones) removed.
-- Zero FIRs are counted once, at the police station with jurisdiction: a zero FIR that has been
-- transferred is not counted (the receiving station's own FIR is); one not yet transferred is.
with latest as (
    select *
    from {{ ref('int_fir_versions') }}
    qualify row_number() over (partition by fir_key order by record_version desc) = 1
)

select
    *,
    is_zero_fir and status = 'TRANSFERRED' as is_transferred_zero_fir,
    not (is_zero_fir and status = 'TRANSFERRED') as is_counted  -- noqa: LT01, LT06
from latest
where not is_tombstone
