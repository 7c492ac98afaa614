-- Totals by State and year: all cognizable crime, IPC/BNS, special and local laws, crimes against
-- women (rate on the female population) and against children, with crime rates per lakh.
with firs as (
    select * from {{ ref('fct_firs') }}
),

totals as (
    select state_code, year, 'TOTAL' as total_kind, count(*) as cases from firs
    group by all
    union all
    select state_code, year, law_type, count(*) from firs
    group by all
    union all
    select state_code, year, 'AGAINST_WOMEN', count(*) from firs
    where is_crime_against_women
    group by all
    union all
    select state_code, year, 'AGAINST_CHILDREN', count(*) from firs
    where is_crime_against_children or n_child_victims > 0
    group by all
)

select
    t.state_code,
    t.year,
    t.total_kind,
    t.cases,
    case when t.total_kind = 'AGAINST_WOMEN' then p.female_population else p.population end as population,
    {{ safe_rate('t.cases', 'case when t.total_kind = \'AGAINST_WOMEN\' then p.female_population else p.population end', 100000) }} as crime_rate
from totals as t
left join {{ ref('ref_state_population') }} as p
    on t.state_code = p.state_code
        and t.year = p.year
