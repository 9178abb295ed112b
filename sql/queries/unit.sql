-- One unit by key, with how many units lie directly under it on either map.
select
    u.code,
    u.official_code,
    u.name,
    u.level,
    u.parent_code,
    u.valid_from,
    u.valid_to,
    (select count(distinct c.unit_code) from unit_ancestors as c where c.ancestor_code = u.code and c.depth = 1)
        as children
from units as u
where u.code = :code
