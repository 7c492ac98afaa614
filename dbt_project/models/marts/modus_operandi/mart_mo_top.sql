-- The most common MO signatures (class, entry, means, object) within each crime head.
with signatures as (
    select
        f.crime_head_code,
        d.mo_class,
        coalesce(d.entry_method, 'NOT_RECORDED') as entry_method,
        coalesce(d.tools_used, 'NOT_RECORDED') as tools_used,
        coalesce(d.target, 'NOT_RECORDED') as target,
        count(*) as cases
    from {{ ref('fct_firs') }} as f
    inner join {{ ref('int_crime_details_versions') }} as d
        on f.fir_key = d.fir_key
            and f.record_version = d.record_version
    where d.mo_class is not null
    group by all
)

select
    *,
    row_number() over (partition by crime_head_code order by cases desc, mo_class asc, entry_method asc, tools_used asc, target asc) as rank_in_head
from signatures
