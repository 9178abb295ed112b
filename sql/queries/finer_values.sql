-- Stored months and quarters of some units and elements within a range: the finer figures that
-- an imported quarter or year must agree with.
select unit_code, element_id, period_type, period_start, period_end, value
from observations
where unit_code in :units
    and element_id in :elements
    and period_type in ('month', 'quarter')
    and period_start >= :start
    and period_end <= :end
