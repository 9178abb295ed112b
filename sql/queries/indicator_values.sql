-- Numerator, denominator, value (unrounded) and reporting of indicators, per group of units and
-- time bucket, for several queries on the sub-tree of one root at once: the indicators' cells
-- (indicator_cells, each indicator's sides summed per unit and period by every write) are read
-- once, then each query groups them its own way.
-- When every query asks each unit by month, kpi/unit_months.py lays the cells on a grid instead:
-- a change of the rules here is a change there too (tests/test_engine_paths.py compares them).
--
-- Parameters (bound by kpi/computation.py):
--   root       the unit whose sub-tree is summed
--   map        the map ('legacy' or '2025') whose tree groups the units: on the current map an
--              old commune is part of the commune it was merged into, so that commune's past
--              is the ratio of the sums of the units it was made from
--   indicators every indicator asked
--   start, end the first day of the earliest bucket and the day after the latest, over all queries
-- Staged frames (kpi.store.db.staged); indicators are numbered across all the queries:
--   staged_units      unit_no, unit_code: the units under the root, numbered (the groups and
--                     units are joined and grouped by number, and come out as group_no)
--   staged_queries    query_no, by_mode, all_units, first_month, step, start_day, end_day
--                     by_mode: 'total' (the sub-tree is one group), 'child' (a group per unit
--                     directly under the root, the root's own values left out) or 'unit' (a group
--                     per unit); first_month: month number (year * 12 + month) of start_day, the
--                     first day of bucket 0 (the one before the range, for the change); step:
--                     months per bucket
--   staged_query_units       query_no, unit_code: the only groups kept when all_units is false
--   staged_query_indicators  query_no, indicator_no, periods_per_bucket: reports that fill a bucket
--   staged_indicators indicator_no, indicator_id, frequency_months (months per report), is_stock
--   staged_levels     indicator_no, level, level_from, level_until: the unit levels expected to
--                     report it, and when (the survey moved from the district's agencies to
--                     the communes on 1/7/2025)
--   staged_buckets    query_no, bucket, bucket_start, bucket_end
--
-- Rules: a side is the sum of its elements over every unit and period of the bucket (a rate
-- is a ratio of sums); a stock (members, computers: a count at the end of its period) counts
-- each unit's last period of the bucket only, so that a year is never twelve months added up.
-- A unit-period (a cell: a unit, a first day and the day after the last, so a period's kind is
-- its length in months) counts only when it has every element of the indicator: missing is not
-- zero. A complete cell of a whole unit or a longer period (the district's yearly report)
-- stands for the finer cells it covers, so an official total is never added to its own parts.
-- For speed, values are summed per cell when they are written (kpi/store/indicator_cells.py),
-- units are joined and grouped by number, and a bucket is found by arithmetic on month numbers.
-- A unit merged into a group only in part never adds its values there, but is expected there:
-- the group's history then shows as incomplete rather than silently smaller. Whether a cell
-- covers another is a fact about the units, whatever the map: both maps' trees are used.
-- Each result says whether any value summed into it is illustrative, and the least exact kind
-- of value on each side (kind_rank: 0 reported, 1 examples, 2 planned, 3 lower bound, 4 derived).
-- Each unit's ancestors that are children of the root on the map (an old commune merged in part
-- has several: it is partial in each).
with children as (
    select
        c.unit_code,
        c.ancestor_code,
        c.depth,
        c.partial
    from unit_ancestors as c
    inner join unit_ancestors as r
        on r.map = c.map and r.unit_code = c.ancestor_code and r.ancestor_code = :root and r.depth = 1
    where c.map = :map
),

scope as (
    select
        q.query_no,
        a.unit_code,
        n.unit_no,
        u.level,
        u.valid_from,
        u.valid_to,
        case q.by_mode
            when 'child' then c.ancestor_code
            when 'unit' then a.stands_for
            else a.ancestor_code
        end as group_code,
        case q.by_mode
            when 'child' then c.partial
            when 'unit' then false
            else a.partial
        end as partial
    from unit_ancestors as a
    inner join units as u on u.code = a.unit_code
    inner join staged_units as n on n.unit_code = a.unit_code
    left join children as c
        on c.unit_code = a.unit_code and c.depth = a.depth - 1
    cross join staged_queries as q
    where a.map = :map
        and a.ancestor_code = :root
        and (q.by_mode <> 'child' or a.depth > 0)
),

groups as materialized (
    select
        s.*,
        n.unit_no as group_no
    from scope as s
    inner join staged_units as n on n.unit_code = s.group_code  -- a unit without a group has none
    inner join staged_queries as q on q.query_no = s.query_no
    left join staged_query_units as k on k.query_no = s.query_no and k.unit_code = s.group_code
    where (q.all_units or k.unit_code is not null)
),

-- The complete cells (every element of the indicator present) of every indicator asked, kept
-- by every write in indicator_cells, with the month numbers (year * 12 + month) of their first
-- day and of the day after their last.
summed as materialized (
    select
        i.indicator_no,
        g.unit_no,
        c.period_start,
        c.period_end,
        extract(year from c.period_start) * 12 + extract(month from c.period_start) as start_month,
        extract(year from c.period_end) * 12 + extract(month from c.period_end) as end_month,
        c.numerator,
        c.denominator,
        c.illustrative,
        c.num_kind,
        c.den_kind
    from indicator_cells as c
    inner join staged_indicators as i on i.indicator_id = c.indicator_id
    inner join (select distinct unit_code, unit_no from groups) as g on g.unit_code = c.unit_code
    -- the list as well as the join: the scan then skips the other indicators' row groups
    where c.indicator_id in :indicators
        and c.period_start >= :start
        and c.period_end <= :end
),

plans as (
    select
        qi.query_no,
        qi.indicator_no,
        qi.periods_per_bucket,
        i.frequency_months,
        i.is_stock,
        q.first_month,
        q.step,
        q.start_day,
        q.end_day
    from staged_query_indicators as qi
    inner join staged_queries as q on q.query_no = qi.query_no
    inner join staged_indicators as i on i.indicator_no = qi.indicator_no
),

placed as (
    select
        q.query_no,
        c.indicator_no,
        g.group_no,
        c.unit_no,
        g.level,
        c.period_start,
        c.period_end,
        c.end_month - c.start_month as period_months,
        c.numerator,
        c.denominator,
        c.illustrative,
        c.num_kind,
        c.den_kind,
        c.end_month - q.first_month as end_offset,
        cast(floor((c.start_month - q.first_month) / q.step) as integer) as bucket,
        q.step,
        q.periods_per_bucket,
        q.frequency_months,
        q.is_stock,
        q.first_month,
        g.valid_from,
        g.valid_to
    from summed as c
    inner join plans as q on q.indicator_no = c.indicator_no
    inner join groups as g on g.query_no = q.query_no and g.unit_no = c.unit_no
    where c.period_start >= q.start_day and c.period_end <= q.end_day
        and not g.partial
),

-- lived_months: the months of the bucket in the unit's lifetime (a commune merged on 1/7/2025
-- has reported all of its year 2025 once it sent January to June).
cells as materialized (
    select
        *,
        greatest(
            0,
            least(
                coalesce(extract(year from valid_to) * 12 + extract(month from valid_to), 1000000),
                first_month + (bucket + 1) * step
            )
            - greatest(
                coalesce(extract(year from valid_from) * 12 + extract(month from valid_from), 0),
                first_month + bucket * step
            )
        ) as lived_months
    from placed
    where end_offset <= (bucket + 1) * step
),

covering as materialized (
    select *
    from cells
    where period_months <> 1 or level not in ('commune', 'agency')
),

covered as (
    select distinct
        c.query_no,
        c.indicator_no,
        c.unit_no,
        c.period_start,
        c.period_end
    from covering as k
    inner join staged_units as ku on ku.unit_no = k.unit_no
    inner join unit_ancestors as a on a.ancestor_code = ku.unit_code and not a.partial
    inner join staged_units as cu on cu.unit_code = a.unit_code
    inner join cells as c
        on
            c.unit_no = cu.unit_no
            and c.query_no = k.query_no
            and c.indicator_no = k.indicator_no
            and c.group_no = k.group_no
            and c.bucket = k.bucket
    where k.period_start <= c.period_start
        and k.period_end >= c.period_end
        and (a.depth > 0 or k.period_end - k.period_start > c.period_end - c.period_start)
),

-- The last period of each unit's stock in a bucket (empty when no stock is asked).
latest as (
    select
        query_no,
        indicator_no,
        group_no,
        bucket,
        unit_no,
        max(period_end) as period_end
    from cells
    where is_stock
    group by query_no, indicator_no, group_no, bucket, unit_no
),

-- counts: the cell is summed (not stood for by a covering cell, and a stock's last period).
counted as (
    select
        c.*,
        v.unit_no is null and coalesce(t.period_end = c.period_end, true) as counts
    from cells as c
    left join covered as v
        on
            v.query_no = c.query_no
            and v.indicator_no = c.indicator_no
            and v.unit_no = c.unit_no
            and v.period_start = c.period_start
            and v.period_end = c.period_end
    left join latest as t
        on
            t.query_no = c.query_no
            and t.indicator_no = c.indicator_no
            and t.group_no = c.group_no
            and t.bucket = c.bucket
            and t.unit_no = c.unit_no
),

per_unit as (
    select
        c.query_no,
        c.indicator_no,
        c.group_no,
        c.bucket,
        c.unit_no,
        sum(c.numerator) filter (where c.counts) as numerator,
        sum(c.denominator) filter (where c.counts) as denominator,
        bool_or(c.illustrative) filter (where c.counts) as illustrative,
        max(c.num_kind) filter (where c.counts) as num_kind,
        max(c.den_kind) filter (where c.counts) as den_kind,
        count(*) filter (where c.period_months = c.frequency_months) * max(c.step)
        = max(c.periods_per_bucket) * max(c.lived_months)
        and max(l.level) is not null as has_reported
    from counted as c
    left join staged_levels as l
        on
            l.indicator_no = c.indicator_no
            and l.level = c.level
            and l.level_from <= c.period_start
            and l.level_until >= c.period_end
    group by c.query_no, c.indicator_no, c.group_no, c.bucket, c.unit_no
),

totals as (
    select
        query_no,
        indicator_no,
        group_no,
        bucket,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        bool_or(illustrative) as illustrative,
        max(num_kind) as num_kind,
        max(den_kind) as den_kind,
        count(*) filter (where has_reported) as units_reported
    from per_unit
    group by query_no, indicator_no, group_no, bucket
),

expected as (
    select
        g.query_no,
        l.indicator_no,
        g.group_no,
        b.bucket,
        count(*) as units_expected
    from groups as g
    inner join staged_query_indicators as qi on qi.query_no = g.query_no
    inner join staged_levels as l on l.indicator_no = qi.indicator_no and l.level = g.level
    inner join staged_buckets as b on b.query_no = g.query_no
    -- the unit's lifetime, the time its level reports the indicator and the bucket overlap
    where greatest(coalesce(g.valid_from, l.level_from), l.level_from, b.bucket_start)
        < least(coalesce(g.valid_to, l.level_until), l.level_until, b.bucket_end)
    group by g.query_no, l.indicator_no, g.group_no, b.bucket
)

-- Bucket 0 (the one before the range) comes too: the caller takes the change from it. The
-- caller also divides and sorts (in memory, on numbers: sorting here would sort strings), and
-- names the groups from group_names.sql: carrying names on every row costs more than the sums.
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
    coalesce(t.units_reported, 0) as units_reported,
    coalesce(e.units_expected, 0) as units_expected
from expected as e
full outer join totals as t
    on
        t.query_no = e.query_no
        and t.indicator_no = e.indicator_no
        and t.group_no = e.group_no
        and t.bucket = e.bucket
