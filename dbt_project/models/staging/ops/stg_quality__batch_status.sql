-- The quality gate's decision for each checked load.
with source as (
    select * from {{ source('lake_batch', 'batch_status') }}
),

renamed as (
    select
        load_id,
        state_code,
        status as gate_status,
        reason as gate_reason,
        decided_at,
        decided_by
    from source
)

select * from renamed
