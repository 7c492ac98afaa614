-- How each MO class spread across States: the date it was first seen in each State, the order
-- in which States adopted it, and how many States had it by then.
with firsts as (
    select
        d.mo_class,
        f.state_code,
        min(f.registered_on) as first_seen_on,
        count(*) as cases
    from {{ ref('fct_firs') }} as f
    inner join {{ ref('int_crime_details_versions') }} as d
        on f.fir_key = d.fir_key
            and f.record_version = d.record_version
    where d.mo_class is not null
    group by all
)

select
    mo_class,
    state_code,
    first_seen_on,
    cast(date_trunc('month', first_seen_on) as date) as first_seen_month,
    cases,
    row_number() over (partition by mo_class order by first_seen_on, state_code) as adoption_order,
    count(*) over (partition by mo_class order by first_seen_on range between unbounded preceding and current row) as states_by_then
from firsts
