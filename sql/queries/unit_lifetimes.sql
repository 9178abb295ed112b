-- Every unit that had a code (its key or official code), oldest first.
select code, official_code, name, level, valid_from, valid_to
from units
where code = :code or official_code = :code
order by valid_from nulls first
