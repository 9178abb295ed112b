"""The indicator engine: one indicator, any unit (with everything under it), any period.

DuckDB does the sums (sql/queries/indicator_cells.sql); pandas only shapes the result: the
value, the target and the gap to it, and the change from the previous period.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi import catalog, db
from kpi.periods import MONTHS, add_months, code_of, truncate

Grain = Literal["month", "quarter", "year", "total"]
By = Literal["total", "child", "unit"]
GRAINS: tuple[str, ...] = ("month", "quarter", "year", "total")

COLUMNS = [
    "indicator",
    "unit_code",
    "unit_name",
    "unit_level",
    "period",
    "period_start",
    "period_end",
    "numerator",
    "denominator",
    "value",
    "target",
    "gap",
    "previous_value",
    "change",
    "units_reported",
    "units_expected",
]


class UnknownIndicator(LookupError):
    """An indicator id that the definitions do not have."""


@dataclass(frozen=True)
class Query:
    """What to compute: indicators, for the sub-tree of a unit, over a range of periods.

    start is the first day and end the day after the last. With grain 'total' the range is
    one period; otherwise it is cut into months, quarters or years. by 'child' gives one row
    per unit directly under root, 'unit' one per unit of the sub-tree.
    """

    indicators: tuple[str, ...]
    root: str
    start: date
    end: date
    grain: Grain = "total"
    by: By = "total"

    def aligned(self) -> Query:
        """The same query with its range widened to whole buckets of its grain."""
        if self.grain == "total":
            return self
        step = MONTHS[self.grain]
        start = truncate(self.start, self.grain)
        end = truncate(add_months(self.end, -1), self.grain)
        return replace(self, start=start, end=add_months(end, step))

    def previous(self) -> Query:
        """The range of the same length just before this one."""
        return replace(self, start=add_months(self.start, -_months(self)), end=self.start)


def _months(query: Query, bucket: bool = False) -> int:
    """Months in the query's range or, with bucket, in one of its buckets."""
    if bucket and query.grain != "total":
        return MONTHS[query.grain]
    return (query.end.year - query.start.year) * 12 + query.end.month - query.start.month


def indicator(indicator_id: str) -> catalog.Indicator:
    """The definition of an indicator, or UnknownIndicator with the ids that exist."""
    try:
        return catalog.indicators()[indicator_id]
    except KeyError:
        known = ", ".join(catalog.indicators())
        raise UnknownIndicator(
            f"Không có chỉ số '{indicator_id}' / unknown indicator '{indicator_id}'. Có / known: {known}"
        ) from None


def compute(query: Query, engine: Engine | None = None) -> pd.DataFrame:
    """Compute every indicator of the query; one row per indicator, group and period."""
    definitions = [indicator(i) for i in query.indicators]
    query = query.aligned()
    with (engine or db.get_engine()).connect() as conn:
        frames = [_one(conn, definition, query) for definition in definitions]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _one(conn: Connection, ind: catalog.Indicator, query: Query) -> pd.DataFrame:
    if query.grain == "total":
        current = _cells(conn, ind, query)
        before = _cells(conn, ind, query.previous())
        before["bucket_start"] = query.start
    else:
        widened = _cells(conn, ind, replace(query, start=add_months(query.start, -MONTHS[query.grain])))
        current = widened[widened.bucket_start >= query.start]
        following = {d: add_months(d, MONTHS[query.grain]) for d in widened.bucket_start.unique()}
        before = widened.assign(bucket_start=widened.bucket_start.map(following))
    frame = _values(current, ind)
    previous = _values(before, ind)[["unit_code", "bucket_start", "value"]]
    frame = frame.merge(
        previous.rename(columns={"value": "previous_value"}), on=["unit_code", "bucket_start"], how="left"
    )
    frame["change"] = (frame.value - frame.previous_value).round(2)
    frame = frame.merge(_periods(conn, ind, frame), on=["bucket_start", "bucket_end"], how="left")
    sign = 1 if ind.higher_is_better else -1
    frame["gap"] = (sign * (frame.value - frame.target)).round(2)
    frame["indicator"] = ind.id
    return frame.rename(columns={"bucket_start": "period_start", "bucket_end": "period_end"})


def _periods(conn: Connection, ind: catalog.Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Each distinct bucket of the result with its code and, within one year, its target."""
    targets = db.frame(conn, "queries/indicator_targets", indicator=ind.id)
    by_year = dict(zip(targets.year.astype(int), targets.target.astype(float), strict=True))
    buckets = frame[["bucket_start", "bucket_end"]].drop_duplicates()
    rows = []
    for start, end in buckets.itertuples(index=False):
        year = start.year if add_months(end, -1).year == start.year else None
        rows.append((start, end, code_of(start, end), by_year.get(year, np.nan) if year else np.nan))
    return pd.DataFrame(rows, columns=["bucket_start", "bucket_end", "period", "target"])


def _cells(conn: Connection, ind: catalog.Indicator, query: Query) -> pd.DataFrame:
    """Run the SQL for one indicator and range; dates come back as datetime.date."""
    step = "1 year" if query.grain == "total" else f"{MONTHS[query.grain]} months"
    last = query.start if query.grain == "total" else add_months(query.end, -MONTHS[query.grain])
    frame = db.frame(
        conn,
        "queries/indicator_cells",
        root=query.root,
        by=query.by,
        start=query.start,
        end=query.end,
        last=last,
        grain=query.grain,
        step=step,
        elements=list(ind.element_ids),
        num=list(ind.numerator),
        den=list(ind.denominator),
        n_num=len(ind.numerator),
        n_den=len(ind.denominator),
        levels=list(ind.reporting_levels()),
        frequency=ind.frequency,
        periods_per_bucket=max(1, _months(query, bucket=True) // MONTHS[ind.frequency]),
    )
    for column in ("bucket_start", "bucket_end"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def _values(frame: pd.DataFrame, ind: catalog.Indicator) -> pd.DataFrame:
    """The indicator's value: the ratio of the sums in percent, or the count; None when missing."""
    frame = frame.astype({"numerator": "float64", "denominator": "float64"})
    numerator = frame.numerator
    if ind.is_rate:
        denominator = frame.denominator
        ratio = np.where(denominator > 0, 100 * numerator / denominator.where(denominator > 0), np.nan)
        frame["value"] = pd.Series(ratio, index=frame.index).round(2)
    else:
        frame["denominator"] = np.nan
        frame["value"] = numerator
    return frame


def data_years(root: str, engine: Engine | None = None) -> list[int]:
    """The years in which the sub-tree of a unit holds any value."""
    years = db.read_frame("queries/data_years", engine, root=root)
    return [int(y) for y in years.year]
