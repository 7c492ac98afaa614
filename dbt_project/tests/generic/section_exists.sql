{#- Values of a section column that are not a section of the given act in `to` (ref_sections). -#}
{% test section_exists(model, column_name, act, to) %}
select child.{{ column_name }}
from {{ model }} as child
where child.{{ column_name }} is not null
    and not exists (
        select 1
        from {{ to }} as s
        where s.act = '{{ act }}'
            and s.section = child.{{ column_name }}
    )
{% endtest %}
