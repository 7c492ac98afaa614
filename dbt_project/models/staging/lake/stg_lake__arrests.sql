-- Arrests and surrenders of accused persons (IIF-III).
with source as (
    select * from {{ source('lake_batch', 'arrest') }}
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
        person_seq,
        arrested_on,
        arrest_status,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
