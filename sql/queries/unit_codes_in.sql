-- Which of the given codes are stored units.
select code
from units
where code in :codes
