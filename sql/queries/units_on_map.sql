-- The units under a root on a map (the root too), with their lifetimes and whether each stands
-- for another unit on the map (an old commune merged whole into a commune of the current map):
-- with none, each unit is a group of its own.
select
    u.code as unit_code,
    u.valid_from,
    u.valid_to,
    a.stands_for <> a.unit_code as stands_for_other
from unit_ancestors as a
inner join units as u on u.code = a.unit_code
where a.map = :map
    and a.ancestor_code = :root
