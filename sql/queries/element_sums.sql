-- The sum of each element per unit directly under a root on a map and per year, within a range:
-- survey answers by level for each agency, contest prizes by rank for each commune (on the
-- current map with the units it was made from). With all_units false, only the units named in
-- the list units. A unit merged in part is left out (its values are not its successor's).
select
    c.ancestor_code as unit_code,
    n.name as unit_name,
    n.level as unit_level,
    o.element_id,
    extract(year from o.period_start) as year,
    sum(o.value) as value
from observations as o
inner join unit_ancestors as a
    on a.map = :map and a.unit_code = o.unit_code and a.ancestor_code = :root and a.depth > 0
inner join unit_ancestors as c
    on c.map = :map and c.unit_code = o.unit_code and c.depth = a.depth - 1 and not c.partial
inner join unit_ancestors as r
    on r.map = :map and r.unit_code = c.ancestor_code and r.ancestor_code = :root and r.depth = 1
inner join units as n on n.code = c.ancestor_code
where o.element_id in :elements
    and (:all_units or c.ancestor_code in :units)
    and o.period_start >= :start
    and o.period_end <= :end
group by c.ancestor_code, n.name, n.level, o.element_id, extract(year from o.period_start)
order by c.ancestor_code, o.element_id, year
