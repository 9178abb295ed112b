-- Issue 7: the complete cells of every indicator, kept up to date by every write
-- (kpi/store/indicator_cells.py), so that a computation starts from one row per indicator, unit
-- and period instead of summing the observations of every element again.
--
-- indicator_sides: the elements of each side of each indicator, copied from the definitions;
-- n_num and n_den say how many elements each side has.
create table indicator_sides (
    indicator_id text not null,
    element_id text not null,
    side text not null,
    n_num integer not null,
    n_den integer not null
);

-- A cell: an indicator's sums for one unit and one period, present only when the unit sent
-- every element of the indicator for that period (missing is not zero). illustrative: a value
-- of it comes from the demo set; num_kind, den_kind: the least exact kind of value on each side
-- (0 reported, 1 examples, 2 planned, 3 lower bound, 4 derived). No key: the cells of a unit
-- and day are deleted and written again in the transaction that changes their values.
create table indicator_cells (
    indicator_id text not null,
    unit_code text not null,
    period_start date not null,
    period_end date not null,
    numerator double precision,
    denominator double precision,
    illustrative boolean not null,
    num_kind integer,
    den_kind integer
);
