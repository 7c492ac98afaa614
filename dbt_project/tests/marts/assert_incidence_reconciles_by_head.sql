-- Incidence reconciles per crime head: cases by State/year/head = FIRs counted, and the police
-- disposal table's "registered" equals the same incidence. The mart suite's `mart.reconcile`
-- reconciles five marts per State and year; this adds the crime-head grain, which only these two
-- marts carry (a head-level mismatch that nets to zero within a State and year).
with firs as (
    select state_code, year, crime_head_code, count(*) as n
    from {{ ref('fct_firs') }}
    group by all
),

crime as (
    select state_code, year, crime_head_code, cases as n
    from {{ ref('mart_crime_state_year') }}
),

police as (
    select state_code, year, crime_head_code, registered as n
    from {{ ref('mart_police_disposal') }}
    where registered > 0
)

select coalesce(f.state_code, c.state_code, p.state_code) as state_code, f.n as firs, c.n as crime, p.n as police
from firs as f
full join crime as c using (state_code, year, crime_head_code)
full join police as p using (state_code, year, crime_head_code)
where f.n is distinct from c.n
    or f.n is distinct from p.n
