-- The audit trail, newest first.
select id, happened_at, account, action, target, detail
from audit_log
order by id desc
