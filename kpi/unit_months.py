"""Every unit by month: the cells laid on a grid of units and months, with nothing to sum.

When every query of a computation asks each unit by month, on a map where each unit is a group
of its own and each level reports an indicator over one span of time (kpi.computation decides),
a bucket holds at most one cell of a unit: no cell stands for another, a stock's last month is
its only one, and a group's sums are its cell's. What is left of the general rules
(sql/queries/indicator_values.sql) is which months a unit is expected in, and whether its cell
counts as reported. The database gives the cells (sql/queries/indicator_cells_by_unit_month.sql);
here each indicator of each query is a grid of its units by its months, filled from them, in
the order the computation sorts its rows. For the country's communes by month the general SQL
spent two thirds of its time on that grid and the join of cells to it; numpy lays it in a few
array passes. The frame has the general SQL's rows and columns: tests/test_engine_paths.py
checks that both give the same rows for any store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from kpi.periods import month_number

COLUMNS = (
    "query_no",
    "indicator_no",
    "group_no",
    "bucket",
    "numerator",
    "denominator",
    "illustrative",
    "num_kind",
    "den_kind",
    "units_reported",
    "units_expected",
)


@dataclass(frozen=True)
class Units:
    """The units a computation knows, by their number (their row in its tree), as a grid needs
    them: level (levels[level_no]: a number per unit, found once rather than by name at every
    indicator), whether each is under the root on the computation's map, and its lifetime
    (NaT where open), as days and as month numbers (kpi.periods.month_number): born, its
    first month, and ended, the first month after it (0 and 1,000,000 where open, as the
    general SQL numbers them)."""

    levels: tuple[str, ...]
    level_no: np.ndarray
    on_map: np.ndarray
    valid_from: np.ndarray
    valid_to: np.ndarray
    born: np.ndarray
    ended: np.ndarray

    @classmethod
    def of(cls, level: pd.Series, on_map: np.ndarray, valid_from: pd.Series, valid_to: pd.Series) -> Units:
        start, end = (pd.to_datetime(d).to_numpy().astype("datetime64[D]") for d in (valid_from, valid_to))
        born, ended = _month_numbers(start, 0), _month_numbers(end, 1_000_000)
        level_no, levels = pd.factorize(level)
        return cls(tuple(levels), level_no, on_map, start, end, born, ended)


@dataclass(frozen=True)
class Grid:
    """One indicator of one query: its numbers, whether the indicator is monthly, the span in
    which each level reports it (one per level on this path), the units the query keeps, and
    the query's months (bucket 0 the month before its range), by their first day and the
    day after them."""

    query_no: int
    indicator_no: int
    monthly: bool
    levels: dict[str, tuple[date, date]]
    chosen: np.ndarray
    starts: list[date]
    ends: list[date]

    @property
    def first_month(self) -> int:
        return month_number(self.starts[0])


def frame(cells: pd.DataFrame, units: Units, grids: list[Grid]) -> pd.DataFrame:
    """The rows of every grid, one after the other, as the general SQL gives them: one per unit
    and month that the unit is expected in or has a cell for."""
    arrays = _Cells.of(cells)
    parts = [_laid(grid, arrays, units) for grid in grids]
    if len(parts) == 1:  # most often: one rate, every unit by month
        return pd.DataFrame(parts[0], copy=False)
    return pd.DataFrame(
        {c: np.concatenate([p[c] for p in parts]) if parts else np.array([]) for c in COLUMNS}, copy=False
    )


@dataclass(frozen=True)
class _Cells:
    """The cells as arrays, with one row more at the end: the empty cell, taken where a unit is
    expected and sent nothing (missing, not zero). by_indicator[i]: indicator i's rows."""

    unit: np.ndarray
    month: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    illustrative: np.ndarray
    num_kind: np.ndarray
    den_kind: np.ndarray
    by_indicator: dict[int, np.ndarray]

    @property
    def empty(self) -> int:
        return len(self.unit)

    @classmethod
    def of(cls, cells: pd.DataFrame) -> _Cells:
        def column(name: str, dtype: str, empty: object) -> np.ndarray:
            return np.append(cells[name].to_numpy(dtype=dtype, na_value=empty), empty)

        indicator = cells.indicator_no.to_numpy(dtype=np.int16)
        order = np.argsort(indicator, kind="stable")  # a radix sort on 16 bits
        found, first = np.unique(indicator[order], return_index=True)
        last = np.searchsorted(indicator[order], found, side="right")
        return cls(
            unit=cells.unit_no.to_numpy(dtype=np.int64),
            month=cells.month_no.to_numpy(dtype=np.int64),
            numerator=column("numerator", "float64", np.nan),
            denominator=column("denominator", "float64", np.nan),
            illustrative=column("illustrative", "bool", False),
            num_kind=column("num_kind", "int64", 0),
            den_kind=column("den_kind", "int64", 0),
            by_indicator={int(i): order[a:b] for i, a, b in zip(found, first, last, strict=True)},
        )


def _laid(grid: Grid, cells: _Cells, units: Units) -> dict[str, np.ndarray]:
    """One grid's rows: its units by its months, kept where a unit is expected or has a cell,
    sorted by unit and month."""
    n_months = len(grid.starts)
    starts, ends = (np.array(days, dtype="datetime64[D]") for days in (grid.starts, grid.ends))
    level_from, level_until, reports = _level_spans(grid.levels, units)
    member = units.on_map & grid.chosen
    # The unit's lifetime, the time its level reports the indicator and the month overlap.
    lower = np.maximum(_or(units.valid_from, level_from), level_from)
    upper = np.minimum(_or(units.valid_to, level_until), level_until)
    expected = (member & reports)[:, None] & (
        np.maximum(lower[:, None], starts) < np.minimum(upper[:, None], ends)
    )

    rows = cells.by_indicator.get(grid.indicator_no, np.array([], dtype=np.int64))
    unit, month = cells.unit[rows], cells.month[rows]
    bucket = month - grid.first_month
    inside = (bucket >= 0) & (bucket < n_months)
    inside[inside] = member[unit[inside]]
    inside = np.flatnonzero(inside)
    rows, unit, month, bucket = rows[inside], unit[inside], month[inside], bucket[inside]
    # Reported: the cell fills the month the unit lived (a monthly indicator; any other has
    # none of its own periods in a month, so counts as reported where the unit did not live),
    # and the unit's level reports the indicator over the whole month.
    lived = (units.born[unit] <= month) & (month < units.ended[unit])
    reported = (lived == grid.monthly) & reports[unit]
    reported &= (level_from[unit] <= starts[bucket]) & (level_until[unit] >= ends[bucket])

    slot = unit * n_months + bucket
    cell_at = np.full(expected.size, cells.empty)
    cell_at[slot] = rows
    reported_at = np.zeros(expected.size, dtype=bool)
    reported_at[slot] = reported
    kept = np.flatnonzero(expected.ravel() | (cell_at != cells.empty))
    cell = cell_at[kept]
    return {
        "query_no": np.full(len(kept), grid.query_no),
        "indicator_no": np.full(len(kept), grid.indicator_no),
        "group_no": kept // n_months,
        "bucket": kept % n_months,
        "numerator": cells.numerator[cell],
        "denominator": cells.denominator[cell],
        "illustrative": cells.illustrative[cell],
        "num_kind": cells.num_kind[cell],
        "den_kind": cells.den_kind[cell],
        "units_reported": reported_at[kept].astype(np.int64),
        "units_expected": expected.ravel()[kept].astype(np.int64),
    }


def _level_spans(levels: dict[str, tuple[date, date]], units: Units) -> tuple[np.ndarray, ...]:
    """For each unit, when its level reports the indicator (from, until), and whether it does."""
    never = (date(1, 1, 1), date(1, 1, 1))
    spans = np.array([levels.get(level, never) for level in units.levels] or [never], dtype="datetime64[D]")
    reports = np.array([level in levels for level in units.levels] or [False])
    return spans[units.level_no, 0], spans[units.level_no, 1], reports[units.level_no]


def _or(days: np.ndarray, instead: np.ndarray) -> np.ndarray:
    """days, with instead where a day is open (NaT): SQL's coalesce."""
    return np.where(np.isnat(days), instead, days)


def _month_numbers(days: np.ndarray, open_: int) -> np.ndarray:
    """year * 12 + month of each day, open_ where there is none."""
    months = days.astype("datetime64[M]").astype(np.int64) + 1970 * 12 + 1
    return np.where(np.isnat(days), open_, months)
