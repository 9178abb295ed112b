-- Every unit at or below the given units, on either map.
select distinct unit_code
from unit_ancestors
where ancestor_code in :units
