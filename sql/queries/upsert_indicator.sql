-- Copy one indicator definition from kpi/definitions/indicators.toml into the store.
insert into indicators (
    id, name_vi, name_en, description_vi, description_en, numerator, denominator, unit, higher_is_better
)
values (
    :id, :name_vi, :name_en, :description_vi, :description_en, :numerator, :denominator, :unit, :higher_is_better
)
on conflict (id) do update set
    name_vi = excluded.name_vi,
    name_en = excluded.name_en,
    description_vi = excluded.description_vi,
    description_en = excluded.description_en,
    numerator = excluded.numerator,
    denominator = excluded.denominator,
    unit = excluded.unit,
    higher_is_better = excluded.higher_is_better
