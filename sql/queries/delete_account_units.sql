delete from account_units
where account_name = :name
