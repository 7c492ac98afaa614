-- The sections of each current FIR, harmonised to one crime head across the IPC → BNS switch,
-- and the principal offence: NCRB counts an FIR once, under its most serious offence (highest
-- punishment: severity_rank), never under an add-on section (common intention, conspiracy
-- abetment) unless it has nothing else; ties go to the head's tiebreak, then section order.
with sections as (
    select s.*
    from {{ ref('int_act_section_versions') }} as s
    inner join {{ ref('int_firs_current') }} as f
        on s.fir_key = f.fir_key
        and s.record_version = f.record_version
),

classified as (
    select
        s.fir_key,
        s.record_version,
        s.section_seq,
        s.act,
        s.section,
        s.crime_head_code as legal_crime_head_code,
        coalesce(h.ipc_era_head, s.crime_head_code) as crime_head_code,
        coalesce(s.severity_rank, 0) as severity_rank,
        coalesce(r.is_addon = 'Y', false) as is_addon,
        coalesce(h.severity_tiebreak, 0) as severity_tiebreak
    from sections as s
    left join {{ ref('ref_sections') }} as r
        on s.act = r.act
        and s.section = r.section
    left join {{ ref('ref_crime_heads') }} as h
        on s.crime_head_code = h.crime_head_code
)

select
    fir_key,
    record_version,
    section_seq,
    act,
    section,
    legal_crime_head_code,
    crime_head_code,
    severity_rank,
    is_addon,
    row_number() over (
        partition by fir_key
        order by is_addon, severity_rank desc, severity_tiebreak desc, section_seq
    ) = 1 as is_principal
from classified
