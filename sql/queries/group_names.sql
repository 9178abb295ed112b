-- The groups a computation reports on (see indicator_values.sql), with their names and levels.
select
    u.code as unit_code,
    u.name as unit_name,
    u.level as unit_level
from units as u
where u.code in (
    select
        case :by
            when 'child' then c.ancestor_code
            when 'unit' then a.unit_code
            else a.ancestor_code
        end
    from unit_ancestors as a
    left join unit_ancestors as c
        on c.unit_code = a.unit_code and c.depth = a.depth - 1
    where a.ancestor_code = :root
)
