insert into unit_aliases (alias, unit_code, created_by)
values (:alias, :unit_code, :created_by)
on conflict (alias) do update set unit_code = excluded.unit_code, created_by = excluded.created_by,
    created_at = excluded.created_at
