-- The load ledger: one row per committed upload, whatever its outcome.
with source as (
    select * from {{ source('lake_batch', 'load_ledger') }}
),

renamed as (
    select
        load_id,
        upload_id,
        source_name,
        state_code,
        cast(extract_date as date) as extract_date,
        sequence,
        format,
        source_system,
        outcome,
        nullif(reject_codes, '') as reject_codes,
        nullif(reject_message, '') as reject_message,
        rows_in,
        rows_loaded,
        rows_quarantined,
        fir_docs_in,
        fir_docs_applied,
        fir_docs_unchanged,
        fir_docs_quarantined,
        fir_docs_stale,
        tombstones,
        register_rows_applied,
        errors,
        warnings,
        try_cast(started_at as timestamptz) as started_at,
        seconds,
        in_build
    from source
)

select * from renamed
