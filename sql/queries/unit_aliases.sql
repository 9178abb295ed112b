-- Unit names that analysts mapped to a unit by hand (alias is folded: no case, no diacritics).
select alias, unit_code
from unit_aliases
