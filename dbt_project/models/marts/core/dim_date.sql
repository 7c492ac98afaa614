-- Calendar days from the first year with an FIR (or 2015) to the end of the data's year.
with bounds as (
    select
        greatest(least(coalesce(min(registered_on), date '2015-01-01'), date '2015-01-01'), date '2000-01-01') as first_day,
        greatest(coalesce(max(registered_on), current_date), (select b.data_as_on from {{ ref('dim_build') }} as b)) as last_day
    from {{ ref('int_firs_current') }}
),

days as (
    select
        cast(unnest(generate_series(
            cast(date_trunc('year', first_day) as date),
            cast(date_trunc('year', last_day) + interval 1 year - interval 1 day as date),
            interval 1 day
        )) as date) as date_day
    from bounds
)

select
    date_day,
    year(date_day) as year,
    month(date_day) as month,
    cast(date_trunc('month', date_day) as date) as month_start,
    quarter(date_day) as quarter,
    dayname(date_day) as day_of_week
from days
