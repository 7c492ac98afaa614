-- The all-India projection grows every year and hits NCRB 2022's denominator within 0.2%.
with india as (
    select year, sum(population) as population
    from {{ ref('ref_state_population') }}
    group by year
)

select year, population, 'not increasing' as problem
from (select year, population, lag(population) over (order by year) as previous from india) as y
where previous is not null and population <= previous
union all
select year, population, 'off the NCRB 2022 denominator'
from india
where year = 2022 and abs(population - 1379700000) > 0.002 * 1379700000
