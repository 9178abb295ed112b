-- Every unit; kpi/reads.py puts them in tree order.
select code, name, level, kind, parent_code, valid_from, valid_to, origin
from units
order by code
