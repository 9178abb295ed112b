-- The closure table is derived from units, unit_successors and the areas; it is rebuilt whole.
delete from unit_ancestors
