-- ITSSO: cases completed within the deadline never exceed the cases due, and completed plus
-- overdue never exceed the registered. due <= registered is the mart suite's check
-- (mart.mart_itsso_compliance.due_le_registered).
select ps_key, month_start
from {{ ref('mart_itsso_compliance') }}
where completed_within > due
    or completed_within + completed_beyond + overdue_open > registered
