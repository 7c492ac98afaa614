-- Principal-offence rule: murder outranks every rape, gang rape and POCSO section
-- (a rape-and-murder FIR counts as murder), and death > life > terms.
select r.act, r.section, r.severity_rank
from {{ ref('ref_sections') }} as r
cross join (
    select min(severity_rank) as murder_rank
    from {{ ref('ref_sections') }}
    where crime_head_code = 'MURDER'
) as m
where r.crime_head_code in ('RAPE', 'GANG_RAPE', 'POCSO')
    and r.severity_rank >= m.murder_rank
