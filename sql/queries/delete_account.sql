delete from accounts
where name = :name
