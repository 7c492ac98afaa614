-- Court cases (IIF-VI): committal and disposal.
with source as (
    select * from {{ source('lake_batch', 'court_case') }}
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
        court_name,
        committed_on,
        disposal_date,
        result,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
