-- Privacy by construction: no name, alias, relative's name or address of anyone but an accused
-- reaches the warehouse (BNS s.72 / IPC s.228A, POCSO s.23), and no location of a sexual offence.
select fir_key, person_seq, role
from {{ ref('int_person_versions') }}
where role <> 'ACCUSED'
    and (
        name is not null or name_latin is not null or alias is not null or relative_name is not null
        or address is not null or identification_marks is not null
    )
union all
select fir_key, null, 'LOCATION'
from {{ ref('fct_firs') }}
where is_sexual_offence
    and (place_lat is not null or place_lon is not null)
