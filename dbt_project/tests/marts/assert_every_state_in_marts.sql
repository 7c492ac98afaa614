-- Every State and UT is in the dimensions and the usage table (a State with no FIRs shows zeros).
select s.state_code
from {{ ref('ref_states') }} as s
left join {{ ref('dim_state') }} as d
    on s.state_code = d.state_code
left join {{ ref('mart_state_cctns_usage') }} as u
    on s.state_code = u.state_code
where d.state_code is null
    or u.state_code is null
