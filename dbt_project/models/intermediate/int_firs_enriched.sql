-- Current FIRs with their principal offence, people counts and sexual-offence flags.
with principal as (
    select *
    from {{ ref('int_fir_offences') }}
    where is_principal
),

section_flags as (
    select
        o.fir_key,
        count(*) as n_sections,
        bool_or(n.section is not null) as has_ndso_section,
        bool_or(i.section is not null) as has_itsso_section,
        bool_or(o.crime_head_code in (
            'RAPE', 'GANG_RAPE', 'POCSO', 'ASSAULT_OUTRAGE_MODESTY',
            'SEXUAL_HARASSMENT', 'STALKING', 'INSULT_MODESTY', 'HUMAN_TRAFFICKING'
        )
        or n.section is not null or i.section is not null) as is_sexual_offence
    from {{ ref('int_fir_offences') }} as o
    left join {{ ref('ref_ndso_sections') }} as n
        on o.act = n.act
            and o.section = n.section
    left join {{ ref('ref_itsso_sections') }} as i
        on o.act = i.act
            and o.section = i.section
    group by o.fir_key
)

select
    f.fir_key,
    f.state_code,
    f.district_code,
    f.ps_code,
    f.state_code || '-' || f.district_code || '-' || f.ps_code as ps_key,
    f.fir_year,
    f.fir_no,
    f.record_version,
    f.registered_at,
    f.registered_on,
    f.offence_date,
    f.law_code,
    coalesce(p.crime_head_code, 'OTHER_IPC_BNS') as crime_head_code,
    coalesce(p.legal_crime_head_code, 'OTHER_IPC_BNS') as legal_crime_head_code,
    p.act as principal_act,
    p.section as principal_section,
    coalesce(s.n_sections, 0) as n_sections,
    coalesce(s.is_sexual_offence, false) as is_sexual_offence,
    coalesce(s.has_itsso_section, false) as has_itsso_section,
    coalesce(s.has_ndso_section, false) as has_ndso_section,
    coalesce(pp.n_accused, 0) as n_accused,
    coalesce(pp.n_victims, 0) as n_victims,
    coalesce(pp.n_female_victims, 0) as n_female_victims,
    coalesce(pp.n_child_victims, 0) as n_child_victims,
    f.status,
    f.status_date,
    f.is_zero_fir,
    f.is_transferred_zero_fir,
    f.is_counted,
    f.place_lat,
    f.place_lon,
    f.load_id
from {{ ref('int_firs_current') }} as f
left join principal as p
    on f.fir_key = p.fir_key
left join section_flags as s
    on f.fir_key = s.fir_key
left join {{ ref('int_fir_people') }} as pp
    on f.fir_key = pp.fir_key
