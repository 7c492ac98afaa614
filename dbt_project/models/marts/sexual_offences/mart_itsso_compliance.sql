-- ITSSO compliance by police station and month of registration:
--   compliance % = cases completed within two months / cases registered at least two months
--                  before the data date (due) x 100
-- Sum the counts to aggregate to district, State or a range of months; never average percentages.
select
    ps_key,
    month_start,
    any_value(state_code) as state_code,
    any_value(district_code) as district_code,
    any_value(ps_code) as ps_code,
    count(*) as registered,
    count(*) filter (where is_due) as due,
    count(*) filter (where is_due and itsso_status = 'WITHIN_TWO_MONTHS') as completed_within,
    count(*) filter (where itsso_status = 'BEYOND_TWO_MONTHS') as completed_beyond,
    count(*) filter (where itsso_status = 'OVERDUE_OPEN') as overdue_open,
    {{ safe_rate("count(*) filter (where is_due and itsso_status = 'WITHIN_TWO_MONTHS')", "count(*) filter (where is_due)") }} as compliance_pct
from {{ ref('mart_itsso_cases') }}
group by ps_key, month_start
