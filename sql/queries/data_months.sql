-- The first and last month for which the sub-tree of a unit holds any value.
select
    min(o.period_start) as first_start,
    max(o.period_end) as last_end
from observations as o
inner join unit_ancestors as a on a.unit_code = o.unit_code
where a.ancestor_code = :root
