insert into approvals (unit_code, period_type, period_start, period_end, approved_by)
values (:unit_code, :period_type, :period_start, :period_end, :approved_by)
