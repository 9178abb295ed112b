select count(*) from approvals
