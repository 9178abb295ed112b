-- The administrative units in force on a day, with their parent's official code.
select
    u.code,
    u.official_code,
    u.name,
    u.level,
    u.kind,
    u.parent_code,
    p.official_code as parent_official_code,
    u.valid_from,
    u.valid_to
from units as u
left join units as p on p.code = u.parent_code
where u.level <> 'area'
    and (u.valid_from is null or u.valid_from <= :day)
    and (u.valid_to is null or u.valid_to > :day)
order by u.code
