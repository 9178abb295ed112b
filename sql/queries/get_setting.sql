select value
from settings
where key = :key
