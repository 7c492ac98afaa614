-- Every IPC/BNS head has generator sections (gen_weight > 0) in both IPC and BNS, except the
-- heads new in BNS (BNS only); every SLL head has them in exactly one act.
with weighted as (
    select
        crime_head_code,
        count(distinct case when act = 'IPC' and gen_weight > 0 then section end) as n_ipc,
        count(distinct case when act = 'BNS' and gen_weight > 0 then section end) as n_bns,
        count(distinct case when act not in ('IPC', 'BNS') and gen_weight > 0 then act end) as n_sll_acts
    from {{ ref('ref_sections') }}
    group by crime_head_code
)

select h.crime_head_code, h.law_type, w.n_ipc, w.n_bns, w.n_sll_acts
from {{ ref('ref_crime_heads') }} as h
left join weighted as w using (crime_head_code)
where (h.law_type = 'IPC_BNS' and coalesce(w.n_bns, 0) = 0)
    or (
        h.law_type = 'IPC_BNS' and coalesce(w.n_ipc, 0) = 0
        and h.crime_head_code not in (
            'MOB_LYNCHING', 'ORGANISED_CRIME', 'TERRORIST_ACT',
            'DECEITFUL_SEXUAL_INTERCOURSE'
        )
    )
    or (h.law_type = 'SLL' and coalesce(w.n_sll_acts, 0) != 1)
