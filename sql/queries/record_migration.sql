-- Remember that a migration was applied, in the same transaction as the migration itself.
insert into schema_migrations (version, name)
values (:version, :name)
