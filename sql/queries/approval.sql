select unit_code, period_type, period_start, approved_by, approved_at
from approvals
where unit_code = :unit_code and period_type = :period_type and period_start = :period_start
