-- People on each FIR version. Privacy by construction: name, alias, relative's name, address and identification marks are kept for accused persons only; victims and complainants keep role, gender and age (BNS s.72 / IPC s.228A, POCSO s.23).
with source as (
    select * from {{ source('lake_batch', 'person') }}
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
        role,
        role = 'ACCUSED' as is_accused,
        case when role = 'ACCUSED' then name end as name,
        case when role = 'ACCUSED' then name_latin end as name_latin,
        case when role = 'ACCUSED' then name_key end as name_key,
        case when role = 'ACCUSED' then nullif(alias, '') end as alias,
        case when role = 'ACCUSED' then relative_name end as relative_name,
        case when role = 'ACCUSED' then address end as address,
        case when role = 'ACCUSED' then address_district_code end as address_district_code,
        case when role = 'ACCUSED' then identification_marks end as identification_marks,
        gender,
        birth_year,
        age,
        nationality,
        case when role = 'ACCUSED' then height_cm end as height_cm,
        case when role = 'ACCUSED' then occupation end as occupation,
        load_id,
        upload_id,
        source_file,
        source_row
    from source
)

select * from renamed
