-- The closure table is derived from units.parent_code; it is rebuilt whole.
delete from unit_ancestors
