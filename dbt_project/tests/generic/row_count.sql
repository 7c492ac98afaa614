{#- The model must have exactly `expected` rows. -#}
{% test exact_row_count(model, expected) %}
select count(*) as n_rows
from {{ model }}
having count(*) <> {{ expected }}
{% endtest %}
