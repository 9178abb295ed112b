-- The values one import wrote, what they replaced, and what the store holds now.
select
    h.unit_code,
    h.element_id,
    h.period_type,
    h.period_start,
    h.period_end,
    h.old_value,
    h.old_source_id,
    h.old_note,
    h.old_reported_at,
    h.old_kind,
    h.new_value,
    o.value as current_value,
    o.source_id as current_source_id
from observation_history as h
left join observations as o
    on
        o.unit_code = h.unit_code
        and o.element_id = h.element_id
        and o.period_type = h.period_type
        and o.period_start = h.period_start
where h.import_id = :import_id
