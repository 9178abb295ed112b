-- The newest schema version applied to this database.
select coalesce(max(version), 0) as version
from schema_migrations
