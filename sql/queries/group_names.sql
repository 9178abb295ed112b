-- The root and every unit under it on either map, with names and levels: the groups a
-- computation reports on.
select distinct
    u.code as unit_code,
    u.name as unit_name,
    u.level as unit_level
from unit_ancestors as a
inner join units as u on u.code = a.unit_code
where a.ancestor_code = :root
