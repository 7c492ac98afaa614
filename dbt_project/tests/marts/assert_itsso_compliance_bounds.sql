-- ITSSO: cases completed within the deadline never exceed the cases due, nor the due the registered.
select ps_key, month_start
from {{ ref('mart_itsso_compliance') }}
where completed_within > due
    or due > registered
    or completed_within + completed_beyond + overdue_open > registered
