-- The import log, newest first.
select
    i.id,
    i.imported_at,
    i.user_name,
    i.file_name,
    i.sha256,
    i.shape,
    i.rows_read,
    i.rows_valid,
    i.values_new,
    i.values_changed,
    i.values_unchanged,
    i.undone_at,
    i.undone_by,
    i.source_id
from imports as i
order by i.id desc
