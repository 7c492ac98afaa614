-- 36 States/UTs; every one has districts, a women's (MAHILA) and a CYBER police station.
with ps_types as (
    select 'MAHILA' as ps_type
    union all
    select 'CYBER'
)

select 'state count' as problem, null as state_code
from {{ ref('ref_states') }}
having count(*) != 36
union all
select 'no districts', s.state_code
from {{ ref('ref_states') }} as s
where not exists (
        select 1 from {{ ref('ref_districts') }} as d
        where d.state_code = s.state_code
    )
union all
select 'no ' || t.ps_type || ' station', s.state_code
from {{ ref('ref_states') }} as s
cross join ps_types as t
where not exists (
        select 1 from {{ ref('ref_police_stations') }} as p
        where p.state_code = s.state_code and p.ps_type = t.ps_type
    )
