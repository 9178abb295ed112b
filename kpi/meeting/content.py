"""What a meeting pack holds, gathered once for both files: the headline indicators with the
units behind them, the 766 scorecard, the reporting status, and what is illustrative or
incomplete. Every figure comes from the computation, as on the dashboard."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import catalog, computation, scorecard
from kpi.computation import Query
from kpi.dashboard import frames
from kpi.meeting import links
from kpi.periods import Range
from kpi.store import units as units_

#: The page a slide's link opens, by the indicator's topic.
PAGE_OF = {indicator: page for page, ids in catalog.vocabulary().page_indicators.items() for indicator in ids}


@dataclass(frozen=True)
class Headline:
    """One indicator of the pack: its result for the root, and for each unit under it."""

    indicator: catalog.Indicator
    total: pd.Series
    units: pd.DataFrame  # one row per unit under the root, best first
    link: str

    @property
    def below_target(self) -> pd.DataFrame:
        """The units short of the target (none when there is no target)."""
        rows = self.units[self.units.gap.notna()]
        return rows[rows.gap < 0].sort_values("gap")

    @property
    def has_value(self) -> bool:
        return bool(pd.notna(self.total.value))

    @property
    def units_illustrative(self) -> bool:
        """Whether any unit's value under the root sums illustrative figures."""
        return any_illustrative(self.units)


@dataclass(frozen=True)
class Pack:
    """Everything a meeting pack shows for one unit and range."""

    root: dict
    span: Range
    map_id: str
    lang: str
    headlines: list[Headline]
    score: pd.DataFrame  # the root's scorecard totals, one row per group and the total
    card: pd.DataFrame  # the root's scorecard, one row per item
    reporting: dict[str, int]
    to_call: pd.DataFrame
    chosen: tuple[str, ...] = ()  # the names of the units compared (none: all)
    link: str = ""

    @property
    def illustrative(self) -> list[str]:
        """The names of the indicators whose value sums illustrative figures."""
        return [
            h.indicator.name(self.lang)
            for h in self.headlines
            if h.has_value and is_set(h.total.illustrative)
        ]

    @property
    def real(self) -> list[str]:
        """The names of the indicators whose value sums only real figures."""
        return [
            h.indicator.name(self.lang)
            for h in self.headlines
            if h.has_value and not is_set(h.total.illustrative)
        ]

    @property
    def illustrative_context(self) -> bool:
        """Whether a target or a previous period shown beside a value is illustrative."""
        return any(
            is_set(h.total.target_illustrative) or is_set(h.total.previous_illustrative)
            for h in self.headlines
        )

    @property
    def incomplete(self) -> list[str]:
        """The names of the indicators not every expected unit reported in full."""
        return [
            h.indicator.name(self.lang)
            for h in self.headlines
            if h.has_value and h.total.units_reported < h.total.units_expected
        ]


def any_illustrative(rows: pd.DataFrame) -> bool:
    """Whether any of these computed rows sums illustrative figures."""
    return bool(rows.illustrative.map(is_set).any())


def is_set(flag: object) -> bool:
    """A mark that may be missing (no value, no target): only a set mark is true."""
    return bool(flag) if pd.notna(flag) else False


def gather(
    root: dict,
    span: Range,
    engine: Engine | None = None,
    lang: str = "vi",
    indicators: tuple[str, ...] | None = None,
    map_id: str | None = None,
    chosen: tuple[str, ...] = (),
) -> Pack:
    """The pack of a unit over a range (by default the overview's headline indicators), on the
    map in force at the end of the range unless one is given; chosen: the units compared."""
    map_id = map_id or units_.map_for(span)
    ids = indicators or frames.headline_ids()
    totals, by_unit = computation.compute_many(
        [
            Query(ids, root["code"], span, map=map_id),
            Query(ids, root["code"], span, by="child", map=map_id, units=chosen),
        ],
        engine,
    )
    # An indicator the unit does not report (a commune's survey before 7/2025) has no row.
    asked = [i for i in ids if (totals.indicator == i).any()]
    headlines = [_headline(totals, by_unit, i, span, map_id, lang, chosen) for i in asked]
    card = scorecard.scorecard(root["code"], span, engine=engine, map_id=map_id)
    grid = frames.reporting_grid(root["code"], span, engine, units=chosen, map_id=map_id)
    return Pack(
        root=root,
        span=span,
        map_id=map_id,
        lang=lang,
        headlines=headlines,
        score=scorecard.totals(card),
        card=card,
        reporting=frames.status_counts(grid),
        to_call=frames.whom_to_call(grid),
        chosen=tuple(_names(by_unit).get(code, code) for code in chosen),
        link=links.view_url("overview", span, map_id, lang, units=chosen),
    )


def _names(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame.unit_code, frame.unit_name, strict=True))


def _headline(
    totals: pd.DataFrame,
    by_unit: pd.DataFrame,
    indicator_id: str,
    span: Range,
    map_id: str,
    lang: str,
    chosen: tuple[str, ...],
) -> Headline:
    ind = catalog.indicators()[indicator_id]
    mine = by_unit[(by_unit.indicator == indicator_id) & by_unit.value.notna()]
    ordered = mine.sort_values("value", ascending=not ind.higher_is_better)
    page = PAGE_OF.get(indicator_id, "overview")
    indicator = indicator_id if ind.is_rate else None
    return Headline(
        indicator=ind,
        total=totals[totals.indicator == indicator_id].iloc[0],
        units=ordered.reset_index(drop=True),
        link=links.view_url(page, span, map_id, lang, indicator, chosen),
    )
