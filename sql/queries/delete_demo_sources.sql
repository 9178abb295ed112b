delete from sources
where is_demo
