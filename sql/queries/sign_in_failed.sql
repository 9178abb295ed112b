-- Failed sign-ins in a row, and until when the account waits (reset on success).
update accounts
set failed_logins = :failures, locked_until = :until
where name = :name
