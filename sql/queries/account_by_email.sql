-- The account that a single sign-on e-mail address maps to.
select name
from accounts
where lower(email) = :email
