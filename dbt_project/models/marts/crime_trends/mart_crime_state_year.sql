-- Cases and victims by State, year and crime head, with the crime rate: cases per lakh of the
-- mid-year projected population (the female population for crimes against women).
with cases as (
    select
        state_code,
        year,
        crime_head_code,
        any_value(is_crime_against_women) as is_crime_against_women,
        count(*) as cases,
        sum(n_victims) as victims
    from {{ ref('fct_firs') }}
    group by state_code, year, crime_head_code
)

select
    c.state_code,
    c.year,
    c.crime_head_code,
    c.cases,
    c.victims,
    p.population,
    p.female_population,
    {{ safe_rate('c.cases', 'case when c.is_crime_against_women then p.female_population else p.population end', 100000) }} as crime_rate
from cases as c
left join {{ ref('ref_state_population') }} as p
    on c.state_code = p.state_code
        and c.year = p.year
