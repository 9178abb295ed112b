-- Every yearly target, with whether it is illustrative.
select t.indicator_id, t.year, t.target, s.is_demo
from indicator_targets as t
inner join sources as s on s.id = t.source_id
order by t.indicator_id, t.year
