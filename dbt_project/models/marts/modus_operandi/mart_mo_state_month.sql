-- Cases by MO class, crime head, State and month (the Modus Operandi Bureau's table).
select
    f.state_code,
    f.month_start,
    f.crime_head_code,
    coalesce(d.mo_class, 'NOT_RECORDED') as mo_class,
    count(*) as cases
from {{ ref('fct_firs') }} as f
left join {{ ref('int_crime_details_versions') }} as d
    on f.fir_key = d.fir_key
        and f.record_version = d.record_version
group by all
