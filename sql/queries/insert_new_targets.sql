-- Add staged yearly targets where the store has none yet.
insert into indicator_targets (indicator_id, year, target, source_id)
select indicator_id, year, target, :source_id
from staged_targets
on conflict (indicator_id, year) do nothing
