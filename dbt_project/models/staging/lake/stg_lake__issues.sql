-- Row and upload issues (errors quarantine a row, warnings do not) of the loads new to this build.
with source as (
    select * from {{ source('lake_batch', 'issues') }}
),

renamed as (
    select
        load_id,
        state_code,
        entity,
        source_file,
        source_row,
        fir_key,
        register_key,
        rule_code,
        severity,
        field,
        message
    from source
)

select * from renamed
