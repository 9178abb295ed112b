-- Undo: put back the values an import replaced (staged_undo, old_value set).
update observations as o
set
    value = u.old_value,
    source_id = u.old_source_id,
    note = u.old_note,
    reported_at = u.old_reported_at
from staged_undo as u
where u.old_value is not null
    and u.unit_code = o.unit_code
    and u.element_id = o.element_id
    and u.period_type = o.period_type
    and u.period_start = o.period_start
