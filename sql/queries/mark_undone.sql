update imports
set undone_at = current_timestamp
where id = :import_id
