-- What a value is (issue 11): null or 'reported' as sent; 'derived' computed from reported
-- figures (the report's denominators, from a count and its rate); 'lower_bound' ("hơn 445");
-- 'examples' (a count of the examples a text names, not the total); 'planned' (agreed in
-- principle, not spent). Illustrative is the source's mark (sources.is_demo), not a kind.
alter table observations add column kind text;
alter table observation_history add column old_kind text;
