-- The elements of each side of each indicator, from the definitions (staged_sides).
insert into indicator_sides (indicator_id, element_id, side, n_num, n_den)
select indicator_id, element_id, side, n_num, n_den
from staged_sides
