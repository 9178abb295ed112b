"""The rules every imported value obeys, defined once from the element definitions and checked
with pandera: whole, not negative, a part never above its whole; and the warning for a value
far outside a unit's own history. Each failure names the cell of the file it came from."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from sqlalchemy.engine import Engine

from kpi import catalog, config
from kpi.imports.problems import Problem
from kpi.periods import MONTHS
from kpi.store import db

CELL = ["unit_code", "period_type", "period_start"]


def schema() -> pa.DataFrameSchema:
    """The rules every value obeys, from the element definitions: one row per unit and period."""
    elements = catalog.elements().values()
    whole = pa.Check(lambda s: s.isna() | (s % 1 == 0), error="whole")
    columns = {
        e.id: pa.Column(
            float,
            [pa.Check.ge(0, error="not_negative"), *([whole] if e.whole else [])],
            nullable=True,
            required=False,
        )
        for e in elements
    }
    checks = [_part_check(e.id, e.part_of) for e in elements if e.part_of]
    return pa.DataFrameSchema(columns, checks=checks, strict=False)


def _part_check(part: str, whole: str) -> pa.Check:
    def fits(cells: pd.DataFrame) -> pd.Series:
        if part not in cells or whole not in cells:
            return pd.Series(True, index=cells.index)
        return cells[part].isna() | cells[whole].isna() | (cells[part] <= cells[whole])

    return pa.Check(fits, error=f"part:{part}:{whole}")


def check(values: pd.DataFrame) -> list[Problem]:
    """Check the values against the rules; each failure names the cell of the file."""
    found: list[Problem] = []
    if values.empty:
        return found
    # One row per unit and period, one column per element: the shape the schema checks.
    cells = values.pivot_table(index=CELL, columns="element_id", values="value", aggfunc="first")
    where = cells.index.to_frame(index=False)  # row i of the checked frame is this unit and period
    cells = cells.reset_index(drop=True).astype(float)
    index = values.set_index([*CELL, "element_id"])
    try:
        schema().validate(cells, lazy=True)
    except pa.errors.SchemaErrors as exc:
        names = catalog.elements()
        for failure in exc.failure_cases.itertuples():
            if failure.index is None or pd.isna(failure.index):
                continue
            key = where.iloc[int(failure.index)]
            element = failure.column
            record = index.loc[(key.unit_code, key.period_type, key.period_start, element)]
            key, values = _rule_message(str(failure.check), element, names)
            found.append(Problem("error", int(record.row), record.column, record.text, key, values))
    return found


def _rule_message(check: str, element: str, names: dict) -> tuple[str, dict]:
    """The label key and values of a failed rule."""
    if check == "not_negative" or check.startswith("greater_than_or_equal_to"):
        return "err_rule_negative", {}
    if check == "whole":
        return "err_rule_whole", {}
    _, part, whole = check.split(":")
    if element == whole:
        return "err_rule_whole_below_part", {"part": names[part]}
    return "err_rule_part_above_whole", {"whole": names[whole]}


def outliers(values: pd.DataFrame, root: str, engine: Engine) -> list[Problem]:
    """Warn about a value far outside the unit's own history at its grain (to be confirmed):
    above the factor times the unit's highest value of that kind of period, or times its
    highest month scaled to the period's length (a year is twelve months). A year of 99,999,999
    dossiers is caught as a month of it would be."""
    if values.empty:
        return []
    history = db.read_frame("queries/unit_history", engine, root=root)
    months = history[(history.period_type == "month") & (history.periods >= config.outlier_min_months())]
    scaled = values.merge(
        months[["unit_code", "element_id", "max_value"]], on=["unit_code", "element_id"], how="left"
    )
    same = history[history.period_type != "month"].rename(columns={"max_value": "same_grain"})
    joined = scaled.merge(same[["unit_code", "element_id", "period_type", "same_grain"]], how="left")
    length = joined.period_type.map(MONTHS).astype(float)
    highest = pd.concat([joined.max_value * length, joined.same_grain], axis=1).max(axis=1)
    factor = config.outlier_factor()
    far = joined[highest.notna() & (joined.value > factor * highest.clip(lower=10))]
    return [
        Problem(
            "warning",
            int(r.row),
            r.column,
            r.text,
            "warn_outlier",
            {"factor": float(factor), "highest": float(h), "period": r.period_type},
        )
        for r, h in zip(far.itertuples(), highest[far.index], strict=True)
    ]


def coarse_conflicts(values: pd.DataFrame, engine: Engine) -> list[Problem]:
    """A quarter or year that disagrees with the unit's months (or quarters) of it, stored or in
    the same file: with every finer period present they must add up to it, with some present
    they may not exceed it. Otherwise the coarser figure would silently stand for its parts."""
    coarse = values[values.period_type.isin(["quarter", "year"])]
    if coarse.empty:
        return []
    stored = db.read_frame(
        "queries/finer_values",
        engine,
        units=sorted(set(coarse.unit_code)),
        elements=sorted(set(coarse.element_id)),
        start=min(coarse.period_start),
        end=max(coarse.period_end),
    )
    for column in ("period_start", "period_end"):  # days, as the file's values hold them
        stored[column] = pd.to_datetime(stored[column]).dt.date
    key = ["unit_code", "element_id", "period_type", "period_start"]
    fine = pd.concat([values[values.period_type.isin(["month", "quarter"])], stored]).drop_duplicates(key)
    return [p for r in coarse.itertuples() if (p := _conflict(r, fine)) is not None]


def _conflict(row, fine: pd.DataFrame) -> Problem | None:
    inside = fine[
        (fine.unit_code == row.unit_code)
        & (fine.element_id == row.element_id)
        & (fine.period_start >= row.period_start)
        & (fine.period_end <= row.period_end)
        & (fine.period_type != row.period_type)
    ]
    grain = "month" if (inside.period_type == "month").any() else "quarter"
    parts = inside[inside.period_type == grain]
    if parts.empty:
        return None
    total, whole = float(parts.value.sum()), MONTHS[row.period_type] // MONTHS[grain]
    if (len(parts) == whole and total == row.value) or (len(parts) < whole and total <= row.value):
        return None
    values = {"value": float(row.value), "total": total, "n": len(parts), "of": whole}
    return Problem("error", int(row.row), row.column, row.text, f"err_coarse_disagrees_{grain}", values)
