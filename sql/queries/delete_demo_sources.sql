-- The demo set's sources once nothing points at them (its values go in an earlier
-- transaction: DuckDB checks a reference against the state before the transaction).
delete from sources
where is_demo
    and id not in (select source_id from observations)
    and id not in (select source_id from indicator_targets)
    and id not in (select source_id from imports)
