-- Imports of communes' files: the log, the values each one replaced (so that it can be
-- undone exactly), and the unit names analysts mapped by hand.
create sequence import_id_seq start 1;
create table imports (
    id integer primary key default nextval('import_id_seq'),
    source_id integer not null,
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

-- For every value an import wrote: what was there before (old_value null: nothing).
create table observation_history (
    import_id integer not null,
    unit_code text not null,
    element_id text not null,
    period_type text not null,
    period_start date not null,
    period_end date not null,
    old_value double precision,
    old_source_id integer,
    old_note text,
    old_reported_at date,
    new_value double precision not null,
    primary key (import_id, unit_code, element_id, period_type, period_start)
);

create table unit_aliases (
    alias text primary key,
    unit_code text not null,
    created_at timestamp not null default current_timestamp
);
