-- The units directly under a unit.
select code, name, level
from units
where parent_code = :root
order by level desc, code
