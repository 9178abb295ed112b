-- The units directly under a unit on a map, with their lifetimes.
select u.code, u.name, u.level, u.valid_from, u.valid_to
from unit_ancestors as a
inner join units as u on u.code = a.unit_code
where a.map = :map and a.ancestor_code = :root and a.depth = 1
order by u.level desc, u.code
