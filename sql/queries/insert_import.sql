-- Log an import; returns its id.
insert into imports (
    source_id, file_name, sha256, user_name, shape, rows_read, rows_valid,
    values_new, values_changed, values_unchanged
)
values (
    :source_id, :file_name, :sha256, :user_name, :shape, :rows_read, :rows_valid,
    :values_new, :values_changed, :values_unchanged
)
returning id
