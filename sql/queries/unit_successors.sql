-- The conversion table of the units stored: old commune, new commune, merged only in part.
select unit_code, successor_code, partial
from unit_successors
order by unit_code, successor_code
