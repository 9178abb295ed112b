-- Every account, without its password hash.
select name, role, email, created_at
from accounts
order by name
