-- The largest value and how many periods of it each unit of the sub-tree has, per element and
-- kind of period, to warn about a value far outside a unit's own history at any grain.
select
    o.unit_code,
    o.element_id,
    o.period_type,
    max(o.value) as max_value,
    count(*) as periods
from observations as o
where o.unit_code in (select a.unit_code from unit_ancestors as a where a.ancestor_code = :root)
group by o.unit_code, o.element_id, o.period_type
