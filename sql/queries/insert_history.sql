-- What an import replaced, from the staged frame staged_history.
insert into observation_history (
    import_id, unit_code, element_id, period_type, period_start, period_end,
    old_value, old_source_id, old_note, old_reported_at, new_value
)
select
    :import_id, unit_code, element_id, period_type, period_start, period_end,
    old_value, old_source_id, old_note, old_reported_at, new_value
from staged_history
