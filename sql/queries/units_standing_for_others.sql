-- How many units under a root stand, on a map, for another unit (an old commune merged whole
-- into a commune of the current map): with none, each unit is a group of its own.
select count(*) as standing_for_others
from unit_ancestors
where map = :map
    and ancestor_code = :root
    and stands_for <> unit_code
