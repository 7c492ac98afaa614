-- Every State and UT is in the usage table (a State with no FIRs shows zeros). That dim_state holds
-- exactly the States of the reference data is the mart suite's check (mart.dim_state.all_states).
select s.state_code
from {{ ref('ref_states') }} as s
left join {{ ref('mart_state_cctns_usage') }} as u
    on s.state_code = u.state_code
where u.state_code is null
