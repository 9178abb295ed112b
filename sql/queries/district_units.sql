-- Every unit under a root on either map, with its level, official code and lifetime.
select distinct u.code, u.official_code, u.name, u.level, u.valid_from, u.valid_to
from units as u
inner join unit_ancestors as a on a.unit_code = u.code
where a.ancestor_code = :root and a.depth > 0
