-- The data elements as the store holds them.
select id, name_vi, name_en, unit_vi, unit_en, element_group, reported_by, frequency, part_of, measure
from elements
order by element_group, id
