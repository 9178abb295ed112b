update imports
set undone_at = current_timestamp, undone_by = :undone_by
where id = :import_id
