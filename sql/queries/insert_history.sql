-- What an import replaced, from the staged frame staged_history. The casts give a column
-- that is empty in the frame its type on every database.
insert into observation_history (
    import_id, unit_code, element_id, period_type, period_start, period_end,
    old_value, old_source_id, old_note, old_reported_at, old_kind, new_value
)
select
    :import_id,
    unit_code,
    element_id,
    period_type,
    cast(period_start as date),
    cast(period_end as date),
    cast(old_value as double precision),
    cast(old_source_id as integer),
    cast(old_note as text),
    cast(old_reported_at as date),
    cast(old_kind as text),
    new_value
from staged_history
