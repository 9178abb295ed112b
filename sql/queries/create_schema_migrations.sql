-- The list of schema versions applied to this database (see kpi/migrate.py).
create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamp not null default current_timestamp
)
