select id
from sources
where name = :name
