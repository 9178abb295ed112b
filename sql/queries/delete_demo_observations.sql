delete from observations
where source_id in (select id from sources where is_demo)
