-- The master holds exactly 17,074 police stations (CCTNS, 1 July 2024), at least 3 per district.
select 'total' as what, count(*) as n
from {{ ref('ref_police_stations') }}
having count(*) != 17074
union all
select d.district_code, count(p.ps_code)
from {{ ref('ref_districts') }} as d
left join {{ ref('ref_police_stations') }} as p on p.district_code = d.district_code
group by d.district_code
having count(p.ps_code) < 3
