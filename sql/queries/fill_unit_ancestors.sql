-- Every unit with each of its ancestors and itself (depth 0), from units.parent_code.
insert into unit_ancestors (unit_code, ancestor_code, depth)
with recursive chain (unit_code, ancestor_code, depth) as (
    select code, code, 0
    from units
    union all
    select chain.unit_code, units.parent_code, chain.depth + 1
    from chain
    join units on units.code = chain.ancestor_code
    where units.parent_code is not null
)
select unit_code, ancestor_code, depth
from chain
