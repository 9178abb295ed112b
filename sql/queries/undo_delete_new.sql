-- Undo: remove the values an import added where there was none (staged_undo, old_value null).
delete from observations as o
where exists (
    select 1
    from staged_undo as u
    where u.old_value is null
        and u.unit_code = o.unit_code
        and u.element_id = o.element_id
        and u.period_type = o.period_type
        and cast(u.period_start as date) = o.period_start
)
