-- Unidentified dead body register versions.
with source as (
    select * from {{ source('lake_batch', 'unidentified_body') }}
),

renamed as (
    select
        register_key,
        state_code,
        district_code,
        ps_code,
        ud_case_no,
        found_on,
        gender,
        age_low,
        age_high,
        height_cm,
        complexion,
        found_place,
        place_lat,
        place_lon,
        record_version,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
