-- Nothing may point at a missing source: a value whose source row is gone would show as real
-- data (it happened when an undo brought back values of the removed demo set). The database
-- now refuses it. Neither DuckDB nor PostgreSQL-in-common adds a foreign key to a table in
-- place, so both tables are rebuilt under their own names (DuckDB keeps a renamed child
-- table's old name in the parent's reference, hence the old table is the one renamed).
alter table observations rename to observations_before_005;
create table observations (
    unit_code text not null,
    element_id text not null,
    period_type text not null,
    period_start date not null,
    period_end date not null,
    value double precision not null,
    source_id integer not null references sources (id),
    note text,
    reported_at date,
    primary key (unit_code, element_id, period_type, period_start)
);
insert into observations
select unit_code, element_id, period_type, period_start, period_end, value, source_id, note, reported_at
from observations_before_005;
drop table observations_before_005;

alter table indicator_targets rename to indicator_targets_before_005;
create table indicator_targets (
    indicator_id text not null,
    year integer not null,
    target double precision not null,
    source_id integer not null references sources (id),
    primary key (indicator_id, year)
);
insert into indicator_targets
select indicator_id, year, target, source_id
from indicator_targets_before_005;
drop table indicator_targets_before_005;

alter table imports rename to imports_before_005;
create table imports (
    id integer primary key default nextval('import_id_seq'),
    source_id integer not null references sources (id),
    file_name text not null,
    sha256 text not null,
    user_name text not null,
    imported_at timestamp not null default current_timestamp,
    shape text not null,
    rows_read integer not null,
    rows_valid integer not null,
    values_new integer not null,
    values_changed integer not null,
    values_unchanged integer not null,
    undone_at timestamp
);
insert into imports
select id, source_id, file_name, sha256, user_name, imported_at, shape, rows_read, rows_valid,
       values_new, values_changed, values_unchanged, undone_at
from imports_before_005;
drop table imports_before_005;
