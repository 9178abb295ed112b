-- Who may see, import, undo and approve (issue 10), and the trail of every write.
-- An account's role is one of viewer, analyst, approver, admin (kpi/access/roles.py); its
-- units are where it may act: each unit with everything below it, on either map.
create table accounts (
    name text primary key,
    role text not null,
    password_hash text,
    email text unique,
    created_at timestamp not null default current_timestamp,
    failed_logins integer not null default 0,
    locked_until timestamp
);

create table account_units (
    account_name text not null,
    unit_code text not null,
    primary key (account_name, unit_code)
);

-- A unit's period, approved: values of the unit (and of the units below it) in that period
-- can be changed by no import or undo until it is unapproved.
create table approvals (
    unit_code text not null,
    period_type text not null,
    period_start date not null,
    period_end date not null,
    approved_by text not null,
    approved_at timestamp not null default current_timestamp,
    primary key (unit_code, period_type, period_start)
);

-- Every write, with the account that made it. The product only ever inserts here.
create sequence audit_id_seq start 1;
create table audit_log (
    id integer primary key default nextval('audit_id_seq'),
    happened_at timestamp not null default current_timestamp,
    account text not null,
    action text not null,
    target text not null,
    detail text not null
);

alter table imports add column undone_by text;
alter table unit_aliases add column created_by text;
