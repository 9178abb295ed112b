-- Every unit under a root (the district), with its level.
select u.code, u.name, u.level, u.valid_from, u.valid_to
from units as u
inner join unit_ancestors as a on a.unit_code = u.code
where a.ancestor_code = :root and a.depth > 0
