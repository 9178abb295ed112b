-- Store an import's values (staged_import), replacing what was there: its history is kept.
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
    null,
    :reported_at,
    null
from staged_import
on conflict (unit_code, element_id, period_type, period_start) do update set
    value = excluded.value,
    period_end = excluded.period_end,
    source_id = excluded.source_id,
    note = excluded.note,
    reported_at = excluded.reported_at,
    kind = excluded.kind
