-- For every unit under a root on a map that is expected to report, and every month of a range:
-- whether it existed that month, how many of the elements it sent and the day the last of them
-- arrived. On the current map the old communes come with the new ones, so each month shows the
-- units in force then. With all_units false, only the units named in the list units (and, for a
-- new commune, the units it was made from).
with months as (
    select cast(g.m as date) as month_start
    from generate_series(cast(:start as timestamp), cast(:last as timestamp), interval '1 month') as g (m)
),

expected as (
    select
        u.code,
        u.name,
        u.level,
        u.valid_from,
        u.valid_to,
        a.stands_for,
        m.month_start,
        (u.valid_from is null or u.valid_from <= m.month_start)
        and (u.valid_to is null or u.valid_to > m.month_start) as valid
    from units as u
    inner join unit_ancestors as a on a.unit_code = u.code
    cross join months as m
    where a.map = :map and a.ancestor_code = :root and a.depth > 0 and u.level in :levels
        and (:all_units or a.stands_for in :units)
),

sent as (
    select
        o.unit_code,
        o.period_start,
        count(*) as elements_sent,
        max(o.reported_at) as reported_at
    from observations as o
    where o.period_type = 'month'
        and o.unit_code in (select e.code from expected as e)
        and o.element_id in :elements
        and o.period_start >= :start
        and o.period_end <= :end
    group by o.unit_code, o.period_start
)

select
    e.code as unit_code,
    e.name as unit_name,
    e.level as unit_level,
    e.valid_from,
    e.valid_to,
    e.month_start,
    e.valid,
    coalesce(s.elements_sent, 0) as elements_sent,
    s.reported_at
from expected as e
left join sent as s on s.unit_code = e.code and s.period_start = e.month_start
-- each new commune followed by the units it was made from
order by e.level desc, e.stands_for, e.valid_from is null, e.code, e.month_start
