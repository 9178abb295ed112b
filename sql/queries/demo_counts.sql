-- How much illustrative (demo) data the store holds.
select
    (select count(*) from observations where source_id in (select id from sources where is_demo)) as observations,
    (select count(*) from indicator_targets where source_id in (select id from sources where is_demo)) as targets
