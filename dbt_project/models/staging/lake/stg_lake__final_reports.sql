-- Final reports and charge-sheets (IIF-V) of each FIR version.
with source as (
    select * from {{ source('lake_batch', 'final_report') }}
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
        report_seq,
        report_date,
        report_type,
        coalesce(is_supplementary, false) as is_supplementary,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
