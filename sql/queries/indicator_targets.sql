-- The yearly targets of the indicators asked.
select
    indicator_id,
    year,
    target
from indicator_targets
where indicator_id in :indicators
