-- Stored values of some elements for every unit in the sub-tree of a root on a map, within a
-- range, one row per value (nothing summed): the report's figures a page lists as they are, each
-- with its unit, period, kind, whether it is illustrative, and the words it comes from. With
-- all_units false, only the values of the units under those in the list units (chosen communes);
-- with own true, only the root's own values (what a district reported for itself).
select
    o.unit_code,
    n.name as unit_name,
    o.element_id,
    o.period_type,
    o.period_start,
    o.period_end,
    o.value,
    coalesce(o.kind, 'reported') as kind,
    s.is_demo as illustrative,
    s.name as source_name,
    o.note
from observations as o
inner join unit_ancestors as a
    on a.map = :map and a.unit_code = o.unit_code and a.ancestor_code = :root
inner join units as n on n.code = o.unit_code
inner join sources as s on s.id = o.source_id
where o.element_id in :elements
    and o.period_start >= :start
    and o.period_end <= :end
    and (not :own or o.unit_code = :root)
    and (
        :all_units or exists (
            select 1
            from unit_ancestors as k
            where k.map = :map and k.unit_code = o.unit_code and k.ancestor_code in :units
        )
    )
order by o.period_start desc, a.depth, o.unit_code
