-- How an element adds up (issue 11): 'flow' (summed over periods and units), 'stock' (a count at
-- the end of its period: the last one of a time bucket counts, never a sum over months) or
-- 'level' (a share or a price of the unit itself: listed, never summed).
alter table elements add column measure text not null default 'flow';
