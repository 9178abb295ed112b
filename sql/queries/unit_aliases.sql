-- Unit names that analysts mapped to a unit by hand (alias is folded: no case, no diacritics).
select a.alias, a.unit_code, u.name as unit_name, a.created_by, a.created_at
from unit_aliases as a
left join units as u on u.code = a.unit_code
order by a.alias
