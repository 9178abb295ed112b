-- indicator_values.sql for one common case, in a third of its time: every query asks each unit
-- by month (a map on which no unit stands for another, and each level reporting an indicator
-- over one time span). A group is then one unit and a bucket one month, so a bucket holds at
-- most one cell of a unit: no cell can stand for another, a stock's last period is its only
-- one, and the sums of a group are those of its cell. What is left of the general rules is
-- which months a unit is expected in and whether its cell counts as reported. Same parameters,
-- staged frames and columns as indicator_values.sql; tests/test_engine_paths.py checks that
-- both give the same rows for any store.
-- Every unit under the root on the map (the root too), with its lifetime in month numbers.
with members as (
    select
        q.query_no,
        n.unit_no,
        u.level,
        u.valid_from,
        u.valid_to,
        q.first_month,
        coalesce(extract(year from u.valid_from) * 12 + extract(month from u.valid_from), 0) as from_month,
        coalesce(extract(year from u.valid_to) * 12 + extract(month from u.valid_to), 1000000) as to_month
    from unit_ancestors as a
    inner join units as u on u.code = a.unit_code
    inner join staged_units as n on n.unit_code = a.unit_code
    cross join staged_queries as q
    left join staged_query_units as k on k.query_no = q.query_no and k.unit_code = a.unit_code
    where a.map = :map
        and a.ancestor_code = :root
        and (q.all_units or k.unit_code is not null)
),

-- The monthly cells, each its unit's sums for its month. As in indicator_values.sql, a unit has
-- reported when its cells of the indicator's own period fill the months it lived (here: one
-- month, one cell) and its level reports the indicator then.
reported as (
    select
        m.query_no,
        i.indicator_no,
        m.unit_no as group_no,
        extract(year from c.period_start) * 12 + extract(month from c.period_start) - m.first_month as bucket,
        c.numerator,
        c.denominator,
        c.illustrative,
        c.num_kind,
        c.den_kind,
        cast(i.frequency_months = 1 as integer) = qi.periods_per_bucket * cast(
            extract(year from c.period_start) * 12 + extract(month from c.period_start) >= m.from_month
            and extract(year from c.period_start) * 12 + extract(month from c.period_start) < m.to_month
            as integer
        )
        and exists (
            select 1
            from staged_levels as l
            where l.indicator_no = i.indicator_no
                and l.level = m.level
                and l.level_from <= c.period_start
                and l.level_until >= c.period_end
        ) as has_reported
    from indicator_cells as c
    inner join staged_indicators as i on i.indicator_id = c.indicator_id
    inner join staged_units as n on n.unit_code = c.unit_code
    inner join members as m on m.unit_no = n.unit_no
    inner join staged_query_indicators as qi on qi.query_no = m.query_no and qi.indicator_no = i.indicator_no
    inner join staged_queries as q on q.query_no = m.query_no
    -- the list as well as the join: the scan then skips the other indicators' row groups
    where c.indicator_id in :indicators
        and c.period_start >= :start
        and c.period_end <= :end
        and c.period_start >= q.start_day
        and c.period_end <= q.end_day
        and c.period_end = c.period_start + interval '1 month'
),

-- Whether the unit's lifetime, the time its level reports the indicator and the month overlap,
-- kept as a column and filtered after: as a condition of the join it took three times longer.
spans as materialized (
    select
        g.query_no,
        l.indicator_no,
        g.unit_no as group_no,
        b.bucket,
        greatest(coalesce(g.valid_from, l.level_from), l.level_from, b.bucket_start)
        < least(coalesce(g.valid_to, l.level_until), l.level_until, b.bucket_end) as is_expected
    from members as g
    inner join staged_query_indicators as qi on qi.query_no = g.query_no
    inner join staged_levels as l on l.indicator_no = qi.indicator_no and l.level = g.level
    inner join staged_buckets as b on b.query_no = g.query_no
),

expected as (
    select
        query_no,
        indicator_no,
        group_no,
        bucket
    from spans
    where is_expected
)

select
    coalesce(e.query_no, t.query_no) as query_no,
    coalesce(e.indicator_no, t.indicator_no) as indicator_no,
    coalesce(e.group_no, t.group_no) as group_no,
    coalesce(e.bucket, t.bucket) as bucket,
    t.numerator,
    t.denominator,
    coalesce(t.illustrative, false) as illustrative,
    coalesce(t.num_kind, 0) as num_kind,
    coalesce(t.den_kind, 0) as den_kind,
    coalesce(cast(t.has_reported as integer), 0) as units_reported,
    case when e.group_no is null then 0 else 1 end as units_expected
from expected as e
full outer join reported as t
    on
        t.query_no = e.query_no
        and t.indicator_no = e.indicator_no
        and t.group_no = e.group_no
        and t.bucket = e.bucket
