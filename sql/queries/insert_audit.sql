insert into audit_log (account, action, target, detail)
values (:account, :action, :target, :detail)
