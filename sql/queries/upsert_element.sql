-- Copy one element definition from kpi/definitions/elements.toml into the store.
insert into elements (id, name_vi, name_en, unit_vi, unit_en, element_group, reported_by, frequency, part_of, measure)
values (:id, :name_vi, :name_en, :unit_vi, :unit_en, :element_group, :reported_by, :frequency, :part_of, :measure)
on conflict (id) do update set
    name_vi = excluded.name_vi,
    name_en = excluded.name_en,
    unit_vi = excluded.unit_vi,
    unit_en = excluded.unit_en,
    element_group = excluded.element_group,
    reported_by = excluded.reported_by,
    frequency = excluded.frequency,
    part_of = excluded.part_of,
    measure = excluded.measure
