insert into unit_aliases (alias, unit_code)
values (:alias, :unit_code)
on conflict (alias) do update set unit_code = excluded.unit_code
