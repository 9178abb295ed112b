-- The root and every unit under it on either map, with names and levels: the groups a
-- computation reports on.
select
    code as unit_code,
    name as unit_name,
    level as unit_level
from units
where code in (select unit_code from unit_ancestors where ancestor_code = :root)
