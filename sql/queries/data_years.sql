-- The years for which the sub-tree of a unit holds any value.
select distinct extract(year from o.period_start) as year
from observations as o
inner join unit_ancestors as a on a.unit_code = o.unit_code
where a.ancestor_code = :root
order by year
