-- The monthly cells of the asked indicators under a root, numbered as the computation knows its
-- indicators and units (staged_indicators, staged_units), for a computation of every unit by
-- month: kpi/unit_months.py lays them on the grid of units and months each query expects. A
-- cell is a unit's sums for the month, so nothing is summed here.
select
    i.indicator_no,
    n.unit_no,
    cast(extract(year from c.period_start) * 12 + extract(month from c.period_start) as integer) as month_no,
    c.numerator,
    c.denominator,
    c.illustrative,
    coalesce(c.num_kind, 0) as num_kind,
    coalesce(c.den_kind, 0) as den_kind
from indicator_cells as c
inner join staged_indicators as i on i.indicator_id = c.indicator_id
inner join staged_units as n on n.unit_code = c.unit_code
-- the list as well as the join: the scan then skips the other indicators' row groups
where c.indicator_id in :indicators
    and c.period_start >= :start
    and c.period_end <= :end
    and c.period_end = c.period_start + interval '1 month'
