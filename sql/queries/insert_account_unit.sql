insert into account_units (account_name, unit_code)
values (:account_name, :unit_code)
