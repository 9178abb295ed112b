-- Add or update units from the staged frame staged_units (kpi/store/writes.py).
insert into units (code, official_code, name, level, kind, parent_code, valid_from, valid_to, origin)
select
    code, official_code, name, level, kind, parent_code, cast(valid_from as date), cast(valid_to as date), origin
from staged_units
on conflict (code) do update set
    official_code = excluded.official_code,
    name = excluded.name,
    level = excluded.level,
    kind = excluded.kind,
    parent_code = excluded.parent_code,
    valid_from = excluded.valid_from,
    valid_to = excluded.valid_to,
    origin = excluded.origin
