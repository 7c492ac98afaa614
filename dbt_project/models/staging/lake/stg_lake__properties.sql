-- Property stolen, recovered or seized (IIF-IV), with look-alike-normalised vehicle keys.
with source as (
    select * from {{ source('lake_batch', 'property') }}
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
        property_seq,
        nature,
        category,
        description,
        value_inr,
        vehicle_reg_no,
        chassis_no,
        engine_no,
        chassis_key,
        engine_key,
        make,
        event_date,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
