-- Units with a lifetime: the map since 1 July 2025 beside the map before it.
-- units.code stays the key every value points at (old units keep their code, so nothing stored
-- changes); a commune of the current map is keyed code@2025, and official_code holds the code
-- both maps print. unit_successors is the official conversion table for the units stored.
alter table units add column official_code text;
update units set official_code = code;

create table unit_successors (
    unit_code text not null,
    successor_code text not null,
    partial boolean not null,
    primary key (unit_code, successor_code)
);

-- The closure, now per map: on the current map an old commune sits under the commune it was
-- merged into. partial: reached through a merger in part (its values never count there).
-- stands_for: the unit of that map whose values a unit's own values are.
drop table unit_ancestors;
create table unit_ancestors (
    map text not null,
    unit_code text not null,
    ancestor_code text not null,
    depth integer not null,
    partial boolean not null,
    stands_for text not null,
    primary key (map, unit_code, ancestor_code)
);

-- Until `init` rebuilds both maps, the map before 2025 from the parents stored.
insert into unit_ancestors (map, unit_code, ancestor_code, depth, partial, stands_for)
with recursive chain (unit_code, ancestor_code, depth) as (
    select code, code, 0
    from units
    union all
    select chain.unit_code, units.parent_code, chain.depth + 1
    from chain
    inner join units on units.code = chain.ancestor_code
    where units.parent_code is not null
)
select 'legacy', unit_code, ancestor_code, depth, false, unit_code
from chain;
