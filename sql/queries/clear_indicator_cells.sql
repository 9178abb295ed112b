-- Delete the cells of the units and first days in staged_cell_keys (unit_code, period_start),
-- or every cell when everything is true, before fill_indicator_cells.sql writes them again.
delete from indicator_cells as c
where :everything
    or exists (
        select 1
        from staged_cell_keys as k
        where k.unit_code = c.unit_code and cast(k.period_start as date) = c.period_start
    )
