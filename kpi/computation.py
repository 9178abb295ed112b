"""The indicator computation: several indicators, any unit (with everything under it), any range.

One SQL query (sql/queries/indicator_values.sql) does the sums for every indicator asked and
for the bucket before the range, so the change from the previous period costs nothing more;
pandas only labels the buckets and adds the target and the gap to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi import catalog
from kpi.i18n import Failure
from kpi.periods import MONTHS, Grain, Range, add_months, month_number
from kpi.store import db

By = Literal["total", "child", "unit"]

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


class UnknownIndicator(Failure, LookupError):
    """An indicator id that the definitions do not have."""


@dataclass(frozen=True)
class Query:
    """What to compute: indicators, for the sub-tree of a unit, over a range of months.

    With grain 'total' the range is one bucket; otherwise it is cut into months, quarters or
    years. by 'child' gives one row per unit directly under root, 'unit' one per unit of the
    sub-tree; units, when given, keeps only those groups (the communes a user chose).
    """

    indicators: tuple[str, ...]
    root: str
    range: Range
    grain: Grain = "total"
    by: By = "total"
    units: tuple[str, ...] = ()


def indicator(indicator_id: str) -> catalog.Indicator:
    """The definition of an indicator, or UnknownIndicator with the ids that exist."""
    try:
        return catalog.indicators()[indicator_id]
    except KeyError:
        raise UnknownIndicator(
            "err_unknown_indicator", id=indicator_id, known=", ".join(catalog.indicators())
        ) from None


def compute(query: Query, engine: Engine | None = None) -> pd.DataFrame:
    """Every indicator of the query; one row per indicator, group and bucket, in the order asked."""
    definitions = [indicator(i) for i in dict.fromkeys(query.indicators)]
    if not definitions:
        return pd.DataFrame(columns=COLUMNS)
    span = query.range.aligned(query.grain)
    step = span.step(query.grain)
    # bucket 0 is the one before the range: its values give the change
    if query.grain == "total":
        buckets = [span.previous(), span]
    else:
        buckets = Range(add_months(span.start, -step), span.end).buckets(query.grain)
    with (engine or db.get_engine()).connect() as conn:
        frame = _values(conn, definitions, query, buckets, step)
        names = db.frame(conn, "queries/group_names", root=query.root, by=query.by)
        targets = db.frame(conn, "queries/indicator_targets", indicators=[d.id for d in definitions])
    return _shaped(frame, names, definitions, buckets, targets)


def _values(
    conn: Connection, definitions: list[catalog.Indicator], query: Query, buckets: list[Range], step: int
) -> pd.DataFrame:
    """Run the one SQL query with the definitions (numbered in the order asked) and the buckets
    staged beside it."""
    sides = pd.DataFrame(
        [(n, e, side) for n, d in enumerate(definitions) for side, ids in _sides(d) for e in ids],
        columns=["indicator_no", "element_id", "side"],
    )
    info = pd.DataFrame(
        {
            "indicator_no": range(len(definitions)),
            "n_num": [len(d.numerator) for d in definitions],
            "n_den": [len(d.denominator) for d in definitions],
            "frequency": [d.frequency for d in definitions],
            "periods_per_bucket": [max(1, step // MONTHS[d.frequency]) for d in definitions],
            "is_rate": [d.is_rate for d in definitions],
        }
    )
    levels = pd.DataFrame(
        [(n, level) for n, d in enumerate(definitions) for level in d.reporting_levels()],
        columns=["indicator_no", "level"],
    )
    spans = pd.DataFrame(
        {
            "bucket": range(len(buckets)),
            "bucket_start": [b.start for b in buckets],
            "bucket_end": [b.end for b in buckets],
        }
    )
    with (
        db.staged(conn, "staged_sides", sides),
        db.staged(conn, "staged_indicators", info),
        db.staged(conn, "staged_levels", levels),
        db.staged(conn, "staged_buckets", spans),
    ):
        return db.frame(
            conn,
            "queries/indicator_values",
            root=query.root,
            by=query.by,
            all_units=not query.units,
            units=list(query.units) or [""],
            elements=sorted(set(sides.element_id)),
            start=buckets[0].start,
            end=buckets[-1].end,
            first_month=month_number(buckets[0].start),
            step=step,
        )


def _sides(ind: catalog.Indicator) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return (("num", ind.numerator), ("den", ind.denominator))


def _shaped(
    frame: pd.DataFrame,
    names: pd.DataFrame,
    definitions: list[catalog.Indicator],
    buckets: list[Range],
    targets: pd.DataFrame,
) -> pd.DataFrame:
    """Label the buckets, round the values as the 766 index does, add target, gap and change.

    Everything here is a vectorised lookup by indicator number and bucket: the result can
    have a row per commune and month of the whole country.
    """
    value = frame.value.astype("float64").round(2).to_numpy()
    # Rows come sorted by indicator, group and bucket: the row before is the bucket before
    # when it is of the same indicator and group and its bucket is one less.
    same = frame.indicator_no.eq(frame.indicator_no.shift()) & frame.unit_code.eq(frame.unit_code.shift())
    follows = (same & frame.bucket.eq(frame.bucket.shift() + 1)).to_numpy(dtype=bool)
    previous = np.where(follows, np.roll(value, 1), np.nan)
    keep = (frame.bucket >= 1).to_numpy()
    frame, value, previous = frame[keep].reset_index(drop=True), value[keep], previous[keep]
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    ind = frame.indicator_no.to_numpy(dtype=int)
    bucket = frame.bucket.to_numpy(dtype=int)
    unit = pd.Index(names.unit_code).get_indexer(frame.unit_code)
    ids = [d.id for d in definitions]
    # a target is yearly: it applies to a bucket inside one year
    years = [b.start.year if b.last.start.year == b.start.year else None for b in buckets]
    given = dict(
        zip(zip(targets.indicator_id, targets.year.astype(int), strict=True), targets.target, strict=True)
    )
    target = np.array([[given.get((i, y), np.nan) for y in years] for i in ids], dtype=float)
    sign = np.array([1.0 if d.higher_is_better else -1.0 for d in definitions])
    is_rate = np.array([d.is_rate for d in definitions])

    def pick(values: list | pd.Series, at: np.ndarray) -> pd.Series:
        return pd.Series(values).take(at).reset_index(drop=True)

    out = pd.DataFrame(
        {
            "indicator": pick(ids, ind),
            "unit_code": frame.unit_code,
            "unit_name": pick(names.unit_name, unit),
            "unit_level": pick(names.unit_level, unit),
            "period": pick([b.code for b in buckets], bucket),
            "period_start": pick([b.start for b in buckets], bucket),
            "period_end": pick([b.end for b in buckets], bucket),
            "numerator": frame.numerator.astype("float64"),
            "denominator": np.where(is_rate[ind], frame.denominator.astype("float64"), np.nan),
            "value": value,
            "target": target[ind, bucket],
            "previous_value": previous,
            "units_reported": frame.units_reported.astype(int),
            "units_expected": frame.units_expected.astype(int),
        }
    )
    out["gap"] = (sign[ind] * (value - out.target)).round(2)
    out["change"] = (value - previous).round(2)
    return out[COLUMNS]


def data_years(root: str, engine: Engine | None = None) -> list[int]:
    """The years in which the sub-tree of a unit holds any value."""
    years = db.read_frame("queries/data_years", engine, root=root)
    return [int(y) for y in years.year]
