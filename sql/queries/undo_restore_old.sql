-- Undo: put back the values an import replaced (staged_undo, old_value set).
update observations as o
set
    value = cast(u.old_value as double precision),
    source_id = cast(u.old_source_id as integer),
    note = cast(u.old_note as text),
    reported_at = cast(u.old_reported_at as date),
    kind = cast(u.old_kind as text)
from staged_undo as u
where u.old_value is not null
    and u.unit_code = o.unit_code
    and u.element_id = o.element_id
    and u.period_type = o.period_type
    and cast(u.period_start as date) = o.period_start
