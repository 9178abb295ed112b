"""The Decision 766 scorecard: for a unit (or each unit) and a period, each item's value,
threshold, points earned and maximum, what it would take to reach the threshold, and the group
and total scores over what the store measures. The index is data (definitions/index_766.toml).

Scoring: at or above the threshold an item earns its points, below it value × points ÷
threshold (the portal's formula). An item the store cannot measure is listed as not measured
and left out of the totals: "48,2 of the 57 points measured", never a zero that is not one.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from kpi import computation, config
from kpi.computation import Query
from kpi.periods import Range

#: The columns of a scorecard, in order; the first ten are the command line's pinned JSON keys.
COLUMNS = [
    "unit_code",
    "unit_name",
    "group",
    "indicator",
    "value",
    "threshold",
    "points",
    "max_points",
    "measured",
    "to_threshold",
    "item",
    "period",
    "points_to_gain",
    "points_per_dossier",
    "threshold_basis",
    "points_basis",
    "illustrative",
]


@dataclass(frozen=True)
class Item:
    id: str
    group: str
    points: float
    indicator: str | None = None
    threshold: float | None = None
    threshold_basis: str = ""
    points_basis: str = ""


@dataclass(frozen=True)
class Version:
    """One version of the index: its groups (id -> points) and items, from a date."""

    id: str
    valid_from: date
    source_vi: str
    source_en: str
    note_vi: str
    note_en: str
    groups: dict[str, float]
    items: tuple[Item, ...]

    def source(self, lang: str) -> str:
        return {"vi": self.source_vi, "en": self.source_en}.get(lang, self.source_vi)

    def note(self, lang: str) -> str:
        return {"vi": self.note_vi, "en": self.note_en}.get(lang, self.note_vi)

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(i.indicator for i in self.items if i.indicator)


@cache
def versions() -> tuple[Version, ...]:
    """Every version of the index, oldest first; each item's points add up to its group's."""
    with open(config.DEFINITIONS_DIR / "index_766.toml", "rb") as fh:
        raw = tomllib.load(fh)
    found = []
    for v in raw["versions"]:
        groups = {g["id"]: float(g["points"]) for g in v["groups"]}
        items = tuple(Item(**{**i, "points": float(i["points"])}) for i in v["items"])
        for group, points in groups.items():
            assert sum(i.points for i in items if i.group == group) == points, (v["id"], group)
        fields = {k: v[k] for k in ("id", "valid_from", "source_vi", "source_en", "note_vi", "note_en")}
        found.append(Version(**fields, groups=groups, items=items))
    return tuple(sorted(found, key=lambda v: v.valid_from))


def version_on(day: date) -> Version:
    """The version that applies to a period ending on day (the oldest before any)."""
    applying = [v for v in versions() if v.valid_from <= day]
    return applying[-1] if applying else versions()[0]


def item_of(indicator: str, day: date | None = None) -> Item | None:
    """The item of the index an indicator measures, if any."""
    version = version_on(day or date.today())
    return next((i for i in version.items if i.indicator == indicator), None)


def scorecard(
    root: str, span: Range, by_unit: bool = False, engine: Engine | None = None, map_id: str | None = None
) -> pd.DataFrame:
    """The scorecard of a unit (or of each unit directly under it) over a range of months."""
    version = version_on(span.end)
    query = Query(version.indicators, root, span, by="child" if by_unit else "total", map=map_id)
    return _card(computation.compute(query, engine), version, span)


def scorecards(
    root: str, span: Range, engine: Engine | None = None, map_id: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The scorecard of a unit, those of the units under it, and the totals of each: one pass
    over the store, scored and totalled in one go."""
    version = version_on(span.end)
    queries = [Query(version.indicators, root, span, by=by, map=map_id) for by in ("total", "child")]
    card = _card(pd.concat(computation.compute_many(queries, engine), ignore_index=True), version, span)
    return *_split(card, root), *_split(totals(card), root)


def _split(frame: pd.DataFrame, root: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The root's rows, and the other units' rows."""
    whole = frame.unit_code == root
    return frame[whole].reset_index(drop=True), frame[~whole].reset_index(drop=True)


def _card(values: pd.DataFrame, version: Version, span: Range) -> pd.DataFrame:
    """Every item of the index for every unit of the computed values."""
    items = pd.DataFrame([dataclasses.asdict(i) for i in version.items]).rename(
        columns={"id": "item", "points": "max_points"}
    )
    measured = ["unit_code", "indicator", "value", "numerator", "denominator", "illustrative"]
    card = (
        values[["unit_code", "unit_name"]]
        .drop_duplicates()
        .merge(items, how="cross")
        .merge(values[measured], on=["unit_code", "indicator"], how="left")
    )
    return _scored(card.assign(period=span.code))


def _scored(card: pd.DataFrame) -> pd.DataFrame:
    """Points, what it takes and the points it would add, for every measured row at once."""
    card["measured"] = card.value.notna()
    earned = _round(card.value * card.max_points / card.threshold, 2)
    card["points"] = earned.where(card.value < card.threshold, card.max_points).where(card.measured)
    card["to_threshold"] = needed_for(card.numerator, card.denominator, card.threshold).where(card.measured)
    card["to_threshold"] = card.to_threshold.astype("Int64")
    card["points_to_gain"] = _round(card.max_points - card.points, 2)
    needed = card.to_threshold.astype("float64")
    card["points_per_dossier"] = _round(card.points_to_gain / needed, 6).where(needed > 0)
    card["illustrative"] = card.illustrative.astype(object).where(card.measured, None)
    return card[COLUMNS]


def _round(values: pd.Series, digits: int) -> pd.Series:
    """Python's round, value by value: numpy's scales by 10**digits first and can land on the
    other side of a half (4,165 → 4,16), where the portal's two decimals say 4,17."""
    return values.map(lambda v: v if pd.isna(v) else round(v, digits))


def needed_for(numerator: pd.Series, denominator: pd.Series, threshold: pd.Series) -> pd.Series:
    """How many more of the numerator's kind (dossiers digitised, paid online…) reach the
    threshold, the denominator unchanged, rounded up: 0 when it is reached."""
    short = _round(threshold * denominator - 100 * numerator, 6)  # in hundredths: exact on integers
    return np.ceil(short / 100).clip(lower=0)


def to_threshold(numerator: float, denominator: float, threshold: float) -> int:
    """needed_for of one item."""
    return int(needed_for(pd.Series([numerator]), pd.Series([denominator]), pd.Series([threshold])).iloc[0])


def totals(card: pd.DataFrame) -> pd.DataFrame:
    """Per unit and group (and 'total'): points earned, points measured, points of the index."""
    card = card.assign(measured_points=card.max_points.where(card.measured, 0.0))
    sums = ["points", "measured_points", "max_points"]
    frames = []
    for keys in (["unit_code", "unit_name", "group"], ["unit_code", "unit_name"]):
        summed = card.groupby(keys, sort=False)[sums].sum().reset_index()
        summed["points"] = summed.points.where(summed.measured_points > 0)  # nothing measured: no score
        frames.append(summed)
    found = pd.concat([frames[0], frames[1].assign(group="total")], ignore_index=True)
    return found[["unit_code", "unit_name", "group", "points", "measured_points", "max_points"]]
