-- One unit by code, with how many units lie directly under it.
select
    u.code,
    u.name,
    u.level,
    u.parent_code,
    (select count(*) from units as c where c.parent_code = u.code) as children
from units as u
where u.code = :code
