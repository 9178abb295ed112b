-- One account by name.
select name, role, password_hash, email, failed_logins, locked_until
from accounts
where name = :name
