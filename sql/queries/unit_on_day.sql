-- The unit a code names on a day: its key, its official code or an area's id, in force that
-- day; with how many units lie directly under it on that day's map.
select
    u.code,
    u.official_code,
    u.name,
    u.level,
    u.parent_code,
    u.valid_from,
    u.valid_to,
    (
        select count(*)
        from unit_ancestors as c
        where c.map = :map
            and c.ancestor_code = u.code and c.depth = 1
    ) as children
from units as u
where (u.code = :code or u.official_code = :code)
    and (u.valid_from is null or u.valid_from <= :day)
    and (u.valid_to is null or u.valid_to > :day)
order by u.code = :code desc
limit 1
