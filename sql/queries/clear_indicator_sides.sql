-- Before the definitions' sides are copied again (insert_indicator_sides.sql).
delete from indicator_sides
