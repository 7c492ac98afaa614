-- FIR header versions (IIF-I), typed: registration date in IST, flags as booleans.
with source as (
    select * from {{ source('lake_batch', 'fir') }}
),

renamed as (
    select
        fir_key,
        state_code,
        district_code,
        ps_code,
        fir_year,
        fir_no,
        record_version,
        registered_at,
        {{ ist_date('registered_at') }} as registered_on,
        occurred_from,
        occurred_to,
        info_received_at,
        offence_date,
        law_code,
        info_type,
        gd_entry_no,
        beat_no,
        place_lat,
        place_lon,
        coalesce(is_zero_fir, false) as is_zero_fir,
        nullif(transferred_to_ps, '') as transferred_to_ps,
        io_rank,
        status,
        status_date,
        last_modified,
        coalesce(is_tombstone, false) as is_tombstone,
        content_hash,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
