{#- Every (state_code, crime_head_code, year) from the pair's first event year to the latest
    event year in `events`: the rows a disposal table carries pending cases through, even in
    years with no event of their own. -#}
{% macro year_spine(events) -%}
    select
        s.state_code,
        s.crime_head_code,
        unnest(generate_series(s.first_year, (select max(event_year) from {{ events }}))) as year
    from (
        select state_code, crime_head_code, min(event_year) as first_year
        from {{ events }}
        group by all
    ) as s
{%- endmacro %}
