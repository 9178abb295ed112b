-- The KPI store: units, data elements, indicators, observations and where they came from.
-- Kept to SQL that both DuckDB and PostgreSQL accept.

create table settings (
    key text primary key,
    value text not null
);

-- Administrative units: province > district > commune, plus the district's agencies.
-- level is what indicators and rules talk about (province, district, commune, agency);
-- kind is the legal kind (tinh, huyen, xa, thi_tran, phuong, co_quan).
create table units (
    code text primary key,
    name text not null,
    level text not null,
    kind text not null,
    parent_code text,
    valid_from date,
    valid_to date,
    origin text not null
);

-- Every unit with each of its ancestors (and itself, at depth 0): sub-tree sums are joins.
create table unit_ancestors (
    unit_code text not null,
    ancestor_code text not null,
    depth integer not null,
    primary key (unit_code, ancestor_code)
);

create table elements (
    id text primary key,
    name_vi text not null,
    name_en text not null,
    unit_vi text not null,
    unit_en text not null,
    element_group text not null,
    reported_by text not null,
    frequency text not null,
    part_of text
);

create table indicators (
    id text primary key,
    name_vi text not null,
    name_en text not null,
    description_vi text not null,
    description_en text not null,
    numerator text not null,
    denominator text,
    unit text not null,
    higher_is_better boolean not null
);

-- Where values came from: the district's report, the illustrative demo set, an import.
create sequence source_id_seq start 1;
create table sources (
    id integer primary key default nextval('source_id_seq'),
    name text not null unique,
    kind text not null,
    is_demo boolean not null,
    created_at timestamp not null default current_timestamp,
    note text
);

-- One value for one unit, one period and one element. period_end is exclusive.
create table observations (
    unit_code text not null,
    element_id text not null,
    period_type text not null,
    period_start date not null,
    period_end date not null,
    value double precision not null,
    source_id integer not null,
    note text,
    primary key (unit_code, element_id, period_type, period_start)
);

create table indicator_targets (
    indicator_id text not null,
    year integer not null,
    target double precision not null,
    source_id integer not null,
    primary key (indicator_id, year)
);
