-- This build, and the date the data is as on (the latest extract loaded): every answer cites it.
select
    b.build_id,
    b.built_at,
    b.mode,
    (select max(l.extract_date) from {{ ref('int_loads_in_build') }} as l) as data_as_on,
    (select count(*) from {{ ref('int_loads_in_build') }}) as loads_in_build,
    (select count(*) from {{ ref('stg_lake__loads') }}) as loads_total
from {{ ref('stg_build__info') }} as b
