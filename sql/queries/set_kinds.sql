-- The kinds of a source's values (staged_kinds): the report's values stored before kinds were.
update observations as o
set kind = k.kind
from staged_kinds as k
where o.source_id = :source_id
    and o.unit_code = k.unit_code
    and o.element_id = k.element_id
    and o.period_type = k.period_type
    and o.period_start = cast(k.period_start as date)
    and o.kind is distinct from k.kind
