-- People per current FIR: counts only (no identity).
select
    p.fir_key,
    count(*) filter (where p.role = 'ACCUSED') as n_accused,
    count(*) filter (where p.role = 'VICTIM') as n_victims,
    count(*) filter (where p.role = 'VICTIM' and p.gender = 'F') as n_female_victims,
    count(*) filter (where p.role = 'VICTIM' and p.age < 18) as n_child_victims
from {{ ref('int_person_versions') }} as p
inner join {{ ref('int_firs_current') }} as f
    on p.fir_key = f.fir_key
        and p.record_version = f.record_version
group by p.fir_key
