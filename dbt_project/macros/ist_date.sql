{#- The calendar date in India (IST) of a TIMESTAMPTZ, independent of the session time zone. -#}
{% macro ist_date(ts) -%}
    cast(timezone('Asia/Kolkata', {{ ts }}) as date)
{%- endmacro %}

{#- x / y * scale, NULL when y is 0 or NULL (rates are undefined without a denominator). -#}
{% macro safe_rate(numerator, denominator, scale=100) -%}
    case when coalesce({{ denominator }}, 0) = 0 then null
         else round(({{ numerator }}) * {{ scale }}.0 / ({{ denominator }}), 1) end
{%- endmacro %}
