-- Add staged values where the store has none yet: built-in data never overwrites a value.
insert into observations (
    unit_code, element_id, period_type, period_start, period_end, value, source_id, note, reported_at, kind
)
select
    unit_code,
    element_id,
    period_type,
    cast(period_start as date),
    cast(period_end as date),
    value,
    :source_id,
    cast(note as text),
    cast(reported_at as date),
    cast(kind as text)
from staged_observations
on conflict (unit_code, element_id, period_type, period_start) do nothing
