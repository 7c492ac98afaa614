{#- Schemas are named exactly as configured (reference, staging, intermediate, marts), not
    prefixed with the target schema: dashboards and the quality suites query marts.<table>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
