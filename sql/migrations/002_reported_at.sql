-- When a unit sent a value (the day it reached the district), so that the dashboard can
-- tell reports that came late from those on time. Unknown (null) for older values.
alter table observations add column reported_at date;
