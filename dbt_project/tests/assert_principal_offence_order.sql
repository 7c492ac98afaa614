-- Principal-offence rule (int_fir_offences ranks by maximum punishment, then severity_rank):
-- 1. murder outranks every rape, gang rape and POCSO section (a rape-and-murder FIR counts as
--    murder): every murder section carries death and the highest severity_rank;
-- 2. severity_rank agrees with the punishment order (death > life > longer term > shorter term)
--    wherever the two sections' maxima differ in years, so the tie-break never overturns it;
-- 3. an add-on is exactly a section with no punishment of its own (as_principal), and a term is
--    given exactly for 'years';
-- 4. real offences often charged alongside another are never add-ons.
with s as (
    select
        r.*,
        case r.max_punishment
            when 'death' then 4 when 'life' then 3 when 'years' then 2 when 'fine_only' then 1 else 0
        end as class_rank
    from {{ ref('ref_sections') }} as r
),

murder as (
    select min(severity_rank) as murder_rank, bool_and(max_punishment = 'death') as all_death
    from s
    where crime_head_code = 'MURDER'
)

select s.act, s.section, 'rape/POCSO section outranks murder' as problem
from s
cross join murder as m
where s.crime_head_code in ('RAPE', 'GANG_RAPE', 'POCSO')
    and s.severity_rank >= m.murder_rank

union all

select 'MURDER', '*', 'a murder section is not punishable with death'
from murder
where not all_death

union all

select a.act, a.section, 'severity_rank disagrees with the punishment order against ' || b.act || ' ' || b.section
from s as a
inner join s as b
    on a.class_rank >= b.class_rank
        and (a.class_rank > b.class_rank or coalesce(a.max_years, 0) > coalesce(b.max_years, 0))
        and a.max_punishment_years > b.max_punishment_years
        and a.severity_rank <= b.severity_rank

union all

select act, section, 'is_addon disagrees with max_punishment = as_principal'
from s
where (is_addon = 'Y') <> (max_punishment = 'as_principal')

union all

select act, section, 'max_years given exactly when max_punishment = years'
from s
where (max_years is not null) <> (max_punishment = 'years')

union all

select act, section, 'a real offence is marked as an add-on'
from s
where is_addon = 'Y'
    and (act, section) in (
        ('IPC', '323'), ('IPC', '324'), ('IPC', '353'), ('IPC', '411'), ('IPC', '419'), ('IPC', '468'),
        ('IPC', '471'), ('IPC', '504'), ('IPC', '506'), ('IPC', '120B'), ('BNS', '71'), ('BNS', '115(2)'),
        ('BNS', '118(1)'), ('BNS', '61(2)'), ('BNS', '351(2)'), ('BNS', '317(2)')
    )
