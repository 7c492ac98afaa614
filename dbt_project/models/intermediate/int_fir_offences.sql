-- The sections of each current FIR, harmonised to one crime head across the IPC → BNS switch,
-- and the principal offence. NCRB counts an FIR once, under its most serious offence: the
-- section with the highest maximum punishment (ref_sections.max_punishment / max_years, read
-- from the statutes, see docs/reference_data.md): death > life > the longer maximum term >
-- the shorter > fine only. Equal maxima go to the existing severity order (severity_rank, which
-- carries the head's tie-break: murder before rape, POCSO before rape, cheating before forgery),
-- then the head's tie-break, then section order, then act and section.
-- An add-on (a section with no punishment of its own: IPC 34, 107, 109, 141, 149; BNS 3(5), 45,
-- 49, 189, 190; NDPS 8(c)) has max_punishment 'as_principal' and so ranks below every offence;
-- it is principal only when the FIR has nothing else (then the best of them by the same order).
-- A section missing from ref_sections ranks like a section without a punishment (after every
-- known one) but before the add-ons. The punishment is read from ref_sections as it is now, not
-- from the severity_rank stamped at ingestion, so a corrected maximum applies on the next full
-- build without re-ingesting.
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
        r.max_punishment,
        r.max_years,
        case r.max_punishment
            when 'death' then 4
            when 'life' then 3
            when 'years' then 2
            when 'fine_only' then 1
            else 0
        end as punishment_class_rank,
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
    max_punishment,
    max_years,
    row_number() over (
        partition by fir_key
        order by
            punishment_class_rank desc,
            coalesce(max_years, 0) desc,
            is_addon,
            severity_rank desc,
            severity_tiebreak desc,
            section_seq asc,
            act asc,
            section asc
    ) = 1 as is_principal
from classified
