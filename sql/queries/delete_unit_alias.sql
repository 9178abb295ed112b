delete from unit_aliases
where alias = :alias
