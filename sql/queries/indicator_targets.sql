-- The yearly targets of the indicators asked, and whether each is illustrative.
select
    t.indicator_id,
    t.year,
    t.target,
    s.is_demo as illustrative
from indicator_targets as t
inner join sources as s on s.id = t.source_id
where t.indicator_id in :indicators
