-- The units and first days that hold illustrative values: their indicators' cells change when
-- the demo set is removed.
select distinct
    o.unit_code,
    o.period_start
from observations as o
inner join sources as s on s.id = o.source_id
where s.is_demo
