-- Every approval, with the unit's name, newest first.
select
    a.unit_code,
    u.name as unit_name,
    a.period_type,
    a.period_start,
    a.period_end,
    a.approved_by,
    a.approved_at
from approvals as a
left join units as u on u.code = a.unit_code
order by a.approved_at desc, a.unit_code
