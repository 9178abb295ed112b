-- The stored values that staged_keys (unit, element, period) would touch, with their source.
select
    o.unit_code,
    o.element_id,
    o.period_type,
    o.period_start,
    o.value,
    o.source_id,
    o.note,
    o.reported_at,
    o.kind
from observations as o
inner join staged_keys as k
    on
        k.unit_code = o.unit_code
        and k.element_id = o.element_id
        and k.period_type = o.period_type
        and cast(k.period_start as date) = o.period_start
