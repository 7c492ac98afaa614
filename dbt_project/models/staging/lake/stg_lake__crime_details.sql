-- Crime details and MO points of each FIR version.
with source as (
    select * from {{ source('lake_batch', 'crime_details') }}
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
        place_type,
        mo_class,
        entry_method,
        tools_used,
        target,
        time_of_day,
        mo_text,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
