-- Every source there is (an undo may not bring back a value whose source was deleted).
select id
from sources
