-- The median and the largest monthly value of each unit and element in the sub-tree, to
-- warn about a value far outside a unit's own history.
select
    o.unit_code,
    o.element_id,
    percentile_cont(0.5) within group (order by o.value) as median_value,
    max(o.value) as max_value,
    count(*) as months
from observations as o
where o.period_type = 'month'
    and o.unit_code in (select a.unit_code from unit_ancestors as a where a.ancestor_code = :root)
group by o.unit_code, o.element_id
