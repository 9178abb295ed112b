-- Numerator, denominator and reporting of one indicator, per group of units and time bucket.
--
-- Parameters (bound by kpi/engine.py):
--   root       the unit whose sub-tree is summed
--   by         'total' (the whole sub-tree is one group), 'child' (a group per unit directly
--              under the root, the root's own values left out) or 'unit' (a group per unit)
--   start, end, last   first day, day after the last, first day of the last bucket
--   grain, step        'month', 'quarter', 'year' or 'total' (the whole range), and its interval
--   elements, num, den, n_num, n_den   element ids of the indicator and how many per side
--   levels     unit levels expected to report these elements
--   frequency, periods_per_bucket   how often they report, and how many reports fill a bucket:
--              a unit has reported when it sent all of them
--
-- Rules: a side is the sum of its elements over every unit and period of the bucket (a rate
-- is a ratio of sums). A unit-period (a cell) counts only when it has every element of the
-- indicator (the primary key allows one value per element and cell): missing is not zero. A complete cell of a whole unit or a longer period (the
-- district's yearly report) stands for the finer cells it covers, so an official total is
-- never added to its own parts.
with scope as (
    select
        a.unit_code,
        case :by
            when 'child' then c.ancestor_code
            when 'unit' then a.unit_code
            else a.ancestor_code
        end as group_code
    from unit_ancestors as a
    left join unit_ancestors as c
        on c.unit_code = a.unit_code and c.depth = a.depth - 1
    where a.ancestor_code = :root
        and (:by <> 'child' or a.depth > 0)
),

buckets as (
    select
        cast(g.b as date) as bucket_start,
        cast(case when :grain = 'total' then cast(:end as timestamp) else g.b + cast(:step as interval) end as date)
            as bucket_end
    from generate_series(cast(:start as timestamp), cast(:last as timestamp), cast(:step as interval)) as g (b)
),

fitted as (
    select
        o.unit_code,
        s.group_code,
        o.element_id,
        o.value,
        o.period_type,
        o.period_start,
        o.period_end,
        b.bucket_start
    from observations as o
    inner join scope as s on s.unit_code = o.unit_code
    inner join buckets as b on o.period_start >= b.bucket_start and o.period_end <= b.bucket_end
    where o.element_id in :elements
        and o.period_start >= :start
        and o.period_end <= :end
),

cells as (
    select
        group_code,
        bucket_start,
        unit_code,
        period_type,
        period_start,
        period_end,
        sum(value) filter (where element_id in :num) as numerator,
        sum(value) filter (where element_id in :den) as denominator,
        count(*) filter (where element_id in :num) = :n_num
        and count(*) filter (where element_id in :den) = :n_den as complete
    from fitted
    group by group_code, bucket_start, unit_code, period_type, period_start, period_end
),

covering as materialized (
    select c.*
    from cells as c
    inner join units as u on u.code = c.unit_code
    where c.complete and (c.period_type <> 'month' or u.level not in ('commune', 'agency'))
),

covered as (
    select distinct
        c.group_code,
        c.bucket_start,
        c.unit_code,
        c.period_start,
        c.period_end
    from covering as k
    inner join unit_ancestors as a on a.ancestor_code = k.unit_code
    inner join cells as c
        on
            c.unit_code = a.unit_code
            and c.group_code = k.group_code
            and c.bucket_start = k.bucket_start
    where c.complete
        and k.period_start <= c.period_start
        and k.period_end >= c.period_end
        and (a.depth > 0 or k.period_end - k.period_start > c.period_end - c.period_start)
),

counted as (
    select c.*
    from cells as c
    left join covered as v
        on
            v.group_code = c.group_code
            and v.bucket_start = c.bucket_start
            and v.unit_code = c.unit_code
            and v.period_start = c.period_start
            and v.period_end = c.period_end
    where c.complete and v.unit_code is null
),

totals as (
    select
        group_code,
        bucket_start,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from counted
    group by group_code, bucket_start
),

complete_units as (
    select
        group_code,
        bucket_start,
        unit_code
    from cells
    where complete and period_type = :frequency
    group by group_code, bucket_start, unit_code
    having count(*) = :periods_per_bucket
),

reported as (
    select
        c.group_code,
        c.bucket_start,
        count(*) as units_reported
    from complete_units as c
    inner join units as u on u.code = c.unit_code
    where u.level in :levels
    group by c.group_code, c.bucket_start
),

expected as (
    select
        s.group_code,
        b.bucket_start,
        count(*) as units_expected
    from scope as s
    inner join units as u on u.code = s.unit_code
    cross join buckets as b
    where s.group_code is not null
        and u.level in :levels
        and (u.valid_from is null or u.valid_from < b.bucket_end)
        and (u.valid_to is null or u.valid_to > b.bucket_start)
    group by s.group_code, b.bucket_start
),

combined as (
    select
        coalesce(e.group_code, t.group_code) as group_code,
        coalesce(e.bucket_start, t.bucket_start) as bucket_start,
        t.numerator,
        t.denominator,
        coalesce(e.units_expected, 0) as units_expected
    from expected as e
    full outer join totals as t
        on t.group_code = e.group_code and t.bucket_start = e.bucket_start
)

select
    m.group_code as unit_code,
    n.name as unit_name,
    n.level as unit_level,
    m.bucket_start,
    b.bucket_end,
    m.numerator,
    m.denominator,
    coalesce(r.units_reported, 0) as units_reported,
    m.units_expected
from combined as m
inner join units as n on n.code = m.group_code
inner join buckets as b on b.bucket_start = m.bucket_start
left join reported as r
    on r.group_code = m.group_code and r.bucket_start = m.bucket_start
order by m.group_code, m.bucket_start
