-- Write the cells of the units and first days in staged_cell_keys (unit_code, period_start), or
-- of the whole store when everything is true, from the observations (009_indicator_cells.sql).
-- A side is the sum of its elements; a cell is kept only when it has every element of both
-- sides. An observation whose element is on both sides of an indicator counts on each.
insert into indicator_cells (
    indicator_id, unit_code, period_start, period_end, numerator, denominator, illustrative, num_kind, den_kind
)
select
    s.indicator_id,
    o.unit_code,
    o.period_start,
    o.period_end,
    sum(o.value) filter (where s.side = 'num') as numerator,
    sum(o.value) filter (where s.side = 'den') as denominator,
    bool_or(src.is_demo) as illustrative,
    max(case o.kind when 'examples' then 1 when 'planned' then 2 when 'lower_bound' then 3
        when 'derived' then 4 else 0 end) filter (where s.side = 'num') as num_kind,
    max(case o.kind when 'examples' then 1 when 'planned' then 2 when 'lower_bound' then 3
        when 'derived' then 4 else 0 end) filter (where s.side = 'den') as den_kind
from observations as o
inner join indicator_sides as s on s.element_id = o.element_id
inner join sources as src on src.id = o.source_id
where :everything
    or exists (
        select 1
        from staged_cell_keys as k
        where k.unit_code = o.unit_code and cast(k.period_start as date) = o.period_start
    )
group by s.indicator_id, o.unit_code, o.period_start, o.period_end
having count(*) filter (where s.side = 'num') = max(s.n_num)
    and count(*) filter (where s.side = 'den') = max(s.n_den)
-- Written in the order a computation reads them (an indicator, then its months): DuckDB then
-- skips the row groups of the other indicators and years.
order by s.indicator_id, o.period_start, o.unit_code
