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
    over the store."""
    version = version_on(span.end)
    queries = [Query(version.indicators, root, span, by=by, map=map_id) for by in ("total", "child")]
    card, by_unit = (_card(values, version, span) for values in computation.compute_many(queries, engine))
    return card, by_unit, totals(card), totals(by_unit)


@cache
def _items(version_id: str) -> pd.DataFrame:
    """The items of a version, in order (the right side of every card; never changed)."""
    version = next(v for v in versions() if v.id == version_id)
    return pd.DataFrame([dataclasses.asdict(i) for i in version.items]).rename(
        columns={"id": "item", "points": "max_points"}
    )


def _card(values: pd.DataFrame, version: Version, span: Range) -> pd.DataFrame:
    """Every item of the index for every unit of the computed values, units in the order of the
    values. Built from arrays into one frame: with pandas' merges and a step per column, the
    frame's own overhead cost 20 ms for a district's 230 rows."""
    items = _items(version.id)
    unit_codes = values.unit_code.tolist()
    names = dict(zip(unit_codes, values.unit_name.tolist(), strict=True))
    codes = list(names)  # in the order of the values
    found = {key: n for n, key in enumerate(zip(unit_codes, values.indicator.tolist(), strict=True))}
    indicators = items.indicator.tolist()
    at = np.array([found.get((u, i), -1) for u in codes for i in indicators], dtype=int)

    def taken(column: str) -> np.ndarray:
        return np.where(at >= 0, values[column].to_numpy(dtype="float64", na_value=np.nan)[at], np.nan)

    def typed(column: list | np.ndarray, like: pd.Series) -> pd.api.extensions.ExtensionArray:
        return pd.array(column, dtype=like.dtype)

    columns = {
        "unit_code": typed(np.repeat(np.array(codes, dtype=object), len(items)), values.unit_code),
        "unit_name": typed(
            np.repeat(np.array([names[c] for c in codes], dtype=object), len(items)), values.unit_name
        ),
        **{name: typed(np.tile(items[name].to_numpy(), len(codes)), items[name]) for name in items.columns},
        "period": typed([span.code] * len(at), values.unit_code),
    }
    illustrative = np.where(at >= 0, values.illustrative.to_numpy(dtype=object)[at], None)
    scored = _scored(columns, taken("value"), taken("numerator"), taken("denominator"), illustrative)
    return pd.DataFrame(scored, columns=COLUMNS)


def _scored(
    card: dict, value: np.ndarray, numerator: np.ndarray, denominator: np.ndarray, illustrative: np.ndarray
) -> dict:
    """The card's columns with the value, points, what it takes and the points it would add."""
    threshold = card["threshold"].to_numpy(dtype="float64", na_value=np.nan)
    max_points = card["max_points"].to_numpy(dtype="float64")
    measured = ~np.isnan(value)
    with np.errstate(divide="ignore", invalid="ignore"):
        earned = _round(value * max_points / threshold, 2)
        points = np.where(measured, np.where(value < threshold, earned, max_points), np.nan)
        needed = np.where(measured, needed_for(numerator, denominator, threshold), np.nan)
        to_gain = _round(max_points - points, 2)
        per_dossier = np.where(needed > 0, _round(to_gain / needed, 6), np.nan)
    return card | {
        "value": value,
        "measured": measured,
        "points": points,
        "to_threshold": pd.array(needed, dtype="Int64"),
        "points_to_gain": to_gain,
        "points_per_dossier": per_dossier,
        "illustrative": np.where(measured, illustrative, None),
    }


def _round(values: np.ndarray, digits: int) -> np.ndarray:
    """Python's round, value by value: numpy's scales by 10**digits first and can land on the
    other side of a half (4,165 → 4,16), where the portal's two decimals say 4,17."""
    return np.array([v if np.isnan(v) else round(v, digits) for v in values.tolist()], dtype="float64")


def needed_for(numerator: np.ndarray, denominator: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """How many more of the numerator's kind (dossiers digitised, paid online…) reach the
    threshold, the denominator unchanged, rounded up: 0 when it is reached."""
    short = _round(threshold * denominator - 100 * numerator, 6)  # in hundredths: exact on integers
    return np.ceil(short / 100).clip(min=0)


def to_threshold(numerator: float, denominator: float, threshold: float) -> int:
    """needed_for of one item."""
    return int(needed_for(np.array([numerator]), np.array([denominator]), np.array([threshold]))[0])


def totals(card: pd.DataFrame) -> pd.DataFrame:
    """Per unit and group, then per unit (group 'total'), in the order of the card: points
    earned, points measured, points of the index. Summed over the card's arrays: two pandas
    group-bys cost 10 ms however few the rows."""
    unit, codes = pd.factorize(card.unit_code)
    group, groups = pd.factorize(card.group)
    n_groups = max(len(groups), 1)
    pair, pairs = pd.factorize(unit * n_groups + group)  # each (unit, group), in order
    max_points = card.max_points.to_numpy(dtype="float64")
    weights = {
        "points": np.nan_to_num(card.points.to_numpy(dtype="float64", na_value=np.nan)),
        "measured_points": np.where(card.measured.to_numpy(dtype=bool), max_points, 0.0),
        "max_points": max_points,
    }
    row_code = np.asarray(codes, dtype=object)[np.concatenate([pairs // n_groups, np.arange(len(codes))])]
    row_group = [*np.asarray(groups, dtype=object)[pairs % n_groups], *["total"] * len(codes)]
    names = dict(zip(card.unit_code.tolist(), card.unit_name.tolist(), strict=True))
    found = pd.DataFrame(
        {
            "unit_code": pd.array(row_code, dtype=card.unit_code.dtype),
            "unit_name": pd.array([names[c] for c in row_code], dtype=card.unit_name.dtype),
            "group": pd.array(row_group, dtype=card.group.dtype),
            **{
                name: np.concatenate([np.bincount(pair, w, len(pairs)), np.bincount(unit, w, len(codes))])
                for name, w in weights.items()
            },
        }
    ).astype({name: "float64" for name in weights})  # float even when the card is empty
    found["points"] = found.points.where(found.measured_points > 0)  # nothing measured: no score
    return found
