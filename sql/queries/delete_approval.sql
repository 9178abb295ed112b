delete from approvals
where unit_code = :unit_code and period_type = :period_type and period_start = :period_start
