-- Every police station's use of CCTNS as on the data date: its last FIR, its last upload, FIRs in
-- the last 30 days. Connected = the station appears in an accepted upload; using = it registered
-- an FIR in the 30 days to the data date; silent = connected but not using.
with as_of as (
    select data_as_on as as_of from {{ ref('dim_build') }}
),

firs as (
    select
        state_code || '-' || district_code || '-' || ps_code as ps_key,
        max(registered_on) as last_fir_registered_on,
        count(*) as firs_total,
        count(*) filter (where registered_on > (select a.as_of from as_of as a) - {{ var('silent_after_days') }}) as firs_last_30_days
    from {{ ref('int_firs_current') }}
    group by all
),

uploads as (
    select
        v.state_code || '-' || v.district_code || '-' || v.ps_code as ps_key,
        max(l.extract_date) as last_upload_on
    from {{ ref('int_fir_versions') }} as v
    inner join {{ ref('int_loads_in_build') }} as l
        on v.load_id = l.load_id
    group by all
)

select
    s.ps_key,
    s.state_code,
    s.district_code,
    s.ps_code,
    s.ps_name,
    s.ps_type,
    f.last_fir_registered_on,
    u.last_upload_on,
    coalesce(f.firs_last_30_days, 0) as firs_last_30_days,
    coalesce(f.firs_total, 0) as firs_total,
    u.last_upload_on is not null as is_connected,
    coalesce(f.firs_last_30_days, 0) > 0 as is_using,
    u.last_upload_on is not null and coalesce(f.firs_last_30_days, 0) = 0 as is_silent,
    a.as_of
from {{ ref('dim_police_station') }} as s
cross join as_of as a
left join firs as f
    on s.ps_key = f.ps_key
left join uploads as u
    on s.ps_key = u.ps_key
