-- Add or update the conversion rows of the units stored, from staged_successors.
insert into unit_successors (unit_code, successor_code, partial)
select unit_code, successor_code, partial
from staged_successors
on conflict (unit_code, successor_code) do update set partial = excluded.partial
