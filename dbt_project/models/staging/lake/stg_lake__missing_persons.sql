-- Missing person register versions: the attributes NCRB matches on (gender, age, height,
-- complexion, dates, place). Names stay in the lake: a missing person may be a victim.
with source as (
    select * from {{ source('lake_batch', 'missing_person') }}
),

renamed as (
    select
        register_key,
        state_code,
        district_code,
        ps_code,
        report_no,
        report_date,
        gender,
        age,
        height_cm,
        complexion,
        last_seen_on,
        status,
        record_version,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
