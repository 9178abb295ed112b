-- The yearly targets of one indicator.
select year, target
from indicator_targets
where indicator_id = :indicator
order by year
