-- The staged values (unit_code, period_start, period_end) that an approval covers: one of the
-- unit or of a unit above it (either map), for a period that overlaps the value's.
select distinct
    s.unit_code,
    s.period_start,
    s.period_end,
    a.unit_code as approved_unit,
    a.period_type as approved_type,
    a.period_start as approved_start,
    a.approved_by,
    a.approved_at
from staged_locks as s
inner join unit_ancestors as ua on ua.unit_code = s.unit_code
inner join approvals as a on a.unit_code = ua.ancestor_code
where s.period_start < a.period_end and a.period_start < s.period_end
order by s.unit_code, s.period_start, a.period_start
