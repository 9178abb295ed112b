-- The units assigned to accounts.
select account_name, unit_code
from account_units
order by account_name, unit_code
