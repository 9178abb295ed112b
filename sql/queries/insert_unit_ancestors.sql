-- The closure of both maps, built by kpi/store/units.py (ancestry) and staged as staged_ancestors.
insert into unit_ancestors (map, unit_code, ancestor_code, depth, partial, stands_for)
select map, unit_code, ancestor_code, depth, partial, stands_for
from staged_ancestors
