-- The approvals that touch a view: of its root, of a unit under it or of one above it (either
-- map), for a period that overlaps the months looked at.
select
    a.unit_code,
    u.name as unit_name,
    a.period_type,
    a.period_start,
    a.period_end,
    a.approved_by,
    a.approved_at
from approvals as a
left join units as u on u.code = a.unit_code
where
    a.period_start < :range_end
    and :range_start < a.period_end
    and (
        exists (select 1 from unit_ancestors as d where d.unit_code = a.unit_code and d.ancestor_code = :root)
        or exists (select 1 from unit_ancestors as d where d.unit_code = :root and d.ancestor_code = a.unit_code)
    )
order by a.period_start, a.unit_code
