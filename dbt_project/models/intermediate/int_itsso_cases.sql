-- FIRs under a section ITSSO tracks (rape under IPC 376 family / BNS 64-71, POCSO 4, 6, 8, 10),
-- registered on or after the section's tracking start, with the date the investigation was first
-- completed (a final report or charge-sheet).
with itsso_sections as (
    select
        o.fir_key,
        o.act,
        o.section,
        i.deadline_rule,
        i.deadline_days,
        i.applies_from,
        row_number() over (partition by o.fir_key order by i.deadline_days, o.section_seq) as rn
    from {{ ref('int_fir_offences') }} as o
    inner join {{ ref('ref_itsso_sections') }} as i
        on o.act = i.act
            and o.section = i.section
),

completion as (
    select fir_key, min(event_date) as completed_on
    from {{ ref('int_investigation_events') }}
    where event_type = 'DISPOSED'
    group by fir_key
)

select
    f.fir_key,
    f.state_code,
    f.district_code,
    f.ps_code,
    f.ps_key,
    f.registered_on,
    s.act,
    s.section,
    s.deadline_rule,
    s.deadline_days,
    c.completed_on
from {{ ref('int_firs_enriched') }} as f
inner join itsso_sections as s
    on f.fir_key = s.fir_key
        and s.rn = 1
left join completion as c
    on f.fir_key = c.fir_key
where f.is_counted
    and f.registered_on >= s.applies_from
