-- Every section of every counted FIR, with the harmonised crime head and the principal flag.
select
    o.fir_key,
    o.section_seq as seq,
    f.state_code,
    f.year,
    o.act,
    o.section,
    o.crime_head_code,
    o.legal_crime_head_code,
    o.severity_rank,
    o.is_addon,
    o.is_principal
from {{ ref('int_fir_offences') }} as o
inner join {{ ref('fct_firs') }} as f
    on o.fir_key = f.fir_key
