-- The median and the largest monthly value of each unit and element in the sub-tree, to
-- warn about a value far outside a unit's own history.
select
    o.unit_code,
    o.element_id,
    percentile_cont(0.5) within group (order by o.value) as median_value,
    max(o.value) as max_value,
    count(*) as months
from observations as o
inner join unit_ancestors as a on a.unit_code = o.unit_code
where a.ancestor_code = :root and o.period_type = 'month'
group by o.unit_code, o.element_id
