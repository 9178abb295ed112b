-- Every unit; kpi/store/reads.py puts them in tree order.
select code, official_code, name, level, kind, parent_code, valid_from, valid_to, origin
from units
order by code
