-- Every counted FIR with sections has exactly one principal offence, and fct_firs carries its head.
select f.fir_key
from {{ ref('fct_firs') }} as f
left join {{ ref('fct_fir_offences') }} as o
    on f.fir_key = o.fir_key
        and o.is_principal
where f.n_sections > 0
group by f.fir_key, f.crime_head_code
having count(o.fir_key) <> 1
    or any_value(o.crime_head_code) <> f.crime_head_code
