-- Sections of each FIR version with the crime head and severity ingestion assigned.
with source as (
    select * from {{ source('lake_batch', 'act_section') }}
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
        seq as section_seq,
        act,
        section,
        section_raw,
        crime_head_code,
        severity_rank,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
