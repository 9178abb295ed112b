-- A named source of values; the name is unique, so loading the same set twice reuses it.
insert into sources (name, kind, is_demo, note)
values (:name, :kind, :is_demo, :note)
on conflict (name) do nothing
