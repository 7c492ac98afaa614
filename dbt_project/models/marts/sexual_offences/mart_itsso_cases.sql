-- ITSSO case list: investigation of rape must be completed within two months of the FIR
-- (CrPC 173(1A) / BNSS 193(2)). Status as on the data date:
--   WITHIN_TWO_MONTHS  completed in at most deadline_days
--   BEYOND_TWO_MONTHS  completed later
--   OVERDUE_OPEN       not completed and the deadline has passed
--   OPEN_NOT_DUE       not completed, still within the deadline
-- Case keys, places and dates only: no victim field of any kind.
with as_of as (
    select data_as_on as as_of from {{ ref('dim_build') }}
)

select
    c.fir_key,
    c.state_code,
    c.district_code,
    c.ps_code,
    c.ps_key,
    cast(date_trunc('month', c.registered_on) as date) as month_start,
    c.registered_on,
    c.act,
    c.section,
    c.deadline_rule,
    c.deadline_days,
    c.registered_on + c.deadline_days as due_on,
    c.completed_on,
    c.completed_on - c.registered_on as days_taken,
    case
        when c.completed_on is not null and c.completed_on - c.registered_on <= c.deadline_days then 'WITHIN_TWO_MONTHS'
        when c.completed_on is not null then 'BEYOND_TWO_MONTHS'
        when a.as_of > c.registered_on + c.deadline_days then 'OVERDUE_OPEN'
        else 'OPEN_NOT_DUE'
    end as itsso_status,
    case
        when c.completed_on is null and a.as_of > c.registered_on + c.deadline_days
            then a.as_of - (c.registered_on + c.deadline_days)
    end as days_overdue,
    a.as_of <= c.registered_on + c.deadline_days and c.completed_on is null as is_open_not_due,
    a.as_of >= c.registered_on + c.deadline_days as is_due,
    a.as_of
from {{ ref('int_itsso_cases') }} as c
cross join as_of as a
