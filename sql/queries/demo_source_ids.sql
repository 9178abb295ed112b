-- The sources of illustrative values.
select id
from sources
where is_demo
