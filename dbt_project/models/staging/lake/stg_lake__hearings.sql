-- Court hearings, with adjournments and who sought them.
with source as (
    select * from {{ source('lake_batch', 'hearing') }}
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
        court_case_no,
        hearing_date,
        coalesce(adjourned, false) as adjourned,
        sought_by,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
