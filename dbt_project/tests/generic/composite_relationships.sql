{#- Child rows whose (columns) have no parent row with the same (to_columns) in `to`.
    Rows with a null in any child column are not checked, like dbt's relationships test. -#}
{% test composite_relationships(model, columns, to, to_columns) %}
select
    {% for c in columns %}child.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
from {{ model }} as child
left join {{ to }} as parent
    on {% for c in columns %}child.{{ c }} = parent.{{ to_columns[loop.index0] }}{% if not loop.last %}
    and {% endif %}{% endfor %}
where {% for c in columns %}child.{{ c }} is not null{% if not loop.last %}
    and {% endif %}{% endfor %}
    and parent.{{ to_columns[0] }} is null
{% endtest %}
