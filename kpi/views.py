"""What each dashboard page shows, as DataFrames: the pages only draw them.

Every figure here comes from the engine or from sums of stored values, so a number on screen
can be traced to rows of the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import catalog, config, db, engine
from kpi.periods import Period, add_months

TTHC_RATES = (
    "intake_digitization_rate",
    "result_digitization_rate",
    "online_dossier_rate",
    "online_payment_rate",
    "on_time_rate",
)
SURVEY_LEVELS = ("survey_very_satisfied", "survey_satisfied", "survey_neutral", "survey_dissatisfied")
CONTEST_LEVELS = ("district", "province")
RANKS = ("first", "second", "third", "consolation")
STATUSES = ("on_time", "late", "partial", "not_reported", "not_expected")


@dataclass(frozen=True)
class Span:
    """A range of whole months: start is the first day, end the day after the last."""

    start: date
    end: date

    @property
    def months(self) -> list[Period]:
        first = Period(self.start, "month")
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return [first.shift(i) for i in range(count)]


def data_span(root: str, store: Engine | None = None) -> Span | None:
    """The months for which the district holds any value, or None for an empty store."""
    found = db.read_frame("queries/data_months", store, root=root)
    if found.empty or pd.isna(found.first_start.iloc[0]):
        return None
    # Stored periods start and end on the first of a month.
    return Span(pd.Timestamp(found.first_start.iloc[0]).date(), pd.Timestamp(found.last_end.iloc[0]).date())


def children(root: str, store: Engine | None = None) -> pd.DataFrame:
    """The units directly under root: code, name, level."""
    return db.read_frame("queries/children", store, root=root)


def indicators(
    ids: tuple[str, ...], root: str, span: Span, store: Engine | None = None, **how
) -> pd.DataFrame:
    """engine.compute for a span; how passes grain and by."""
    return engine.compute(engine.Query(ids, root, span.start, span.end, **how), store)


def headline(root: str, span: Span, store: Engine | None = None) -> pd.DataFrame:
    """The overview cards: each headline indicator for the span, and its monthly trend."""
    ids = tuple(i.id for i in catalog.indicators().values() if i.headline)
    cards = indicators(ids, root, span, store)
    monthly = indicators(ids, root, span, store, grain="month")
    trend = monthly.groupby("indicator").value.apply(list).rename("trend")
    return cards.join(trend, on="indicator")


def extremes(ranking: pd.DataFrame, ind: catalog.Indicator, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The n communes furthest behind and furthest ahead (by gap to target, else by value)."""
    rows = ranking[(ranking.unit_level == "commune") & ranking.value.notna()]
    key = "gap" if rows.gap.notna().any() else "value"
    order = rows.sort_values(key, ascending=ind.higher_is_better if key == "value" else True)
    if key == "value" and not ind.higher_is_better:
        order = order.iloc[::-1]
    return order.head(n), order.tail(n).iloc[::-1]


def element_sums(
    root: str, elements: tuple[str, ...], span: Span, store: Engine | None = None
) -> pd.DataFrame:
    """Sums of elements per unit under root and per year (survey levels, prizes by rank)."""
    frame = db.read_frame(
        "queries/element_sums", store, root=root, elements=list(elements), start=span.start, end=span.end
    )
    return frame.astype({"year": int, "value": float})


def survey_levels(root: str, span: Span, store: Engine | None = None) -> pd.DataFrame:
    """Answers by satisfaction level for each unit under root, one column per level."""
    sums = element_sums(root, SURVEY_LEVELS, span, store)
    if sums.empty:
        return pd.DataFrame(columns=["unit_code", "unit_name", *SURVEY_LEVELS])
    wide = sums.pivot_table(
        index=["unit_code", "unit_name"], columns="element_id", values="value", aggfunc="sum"
    ).reset_index()
    return wide.reindex(columns=["unit_code", "unit_name", *SURVEY_LEVELS])


def prizes(root: str, span: Span, store: Engine | None = None) -> pd.DataFrame:
    """Contest prizes per commune, year, level and rank (rows with at least one prize)."""
    elements = tuple(f"contest_{level}_{rank}" for level in CONTEST_LEVELS for rank in RANKS)
    sums = element_sums(root, elements, span, store)
    parts = sums.element_id.str.removeprefix("contest_").str.split("_", n=1, expand=True)
    if sums.empty:
        return sums.assign(level=[], rank=[])
    return sums.assign(level=parts[0], rank=parts[1])


def reporting_grid(root: str, span: Span, store: Engine | None = None, group: str = "tthc") -> pd.DataFrame:
    """Per unit and month: on time, late, partial, not reported (or not expected)."""
    elements = [e.id for e in catalog.elements().values() if e.group == group and e.frequency == "month"]
    levels = sorted({level for e in elements for level in catalog.elements()[e].reported_by})
    grid = db.read_frame(
        "queries/reporting_grid",
        store,
        root=root,
        start=span.start,
        end=span.end,
        last=add_months(span.end, -1),
        elements=elements,
        levels=levels,
    )
    grid["month_start"] = pd.to_datetime(grid.month_start).dt.date
    deadline = timedelta(days=config.report_deadline_days())
    grid["status"] = [
        _status(row.valid, row.elements_sent, len(elements), row.reported_at, row.month_start, deadline)
        for row in grid.itertuples()
    ]
    return grid


def _status(valid: bool, sent: int, needed: int, reported_at, month_start: date, deadline: timedelta) -> str:
    if not valid:
        return "not_expected"
    if sent == 0:
        return "not_reported"
    if sent < needed:
        return "partial"
    due = add_months(month_start, 1) + deadline
    return "late" if pd.notna(reported_at) and pd.Timestamp(reported_at).date() > due else "on_time"


def catalogue(store: Engine | None = None) -> pd.DataFrame:
    """Every indicator's definition with its stored targets (one row per indicator)."""
    targets = db.read_frame("queries/all_targets", store)
    rows = []
    for ind in catalog.indicators().values():
        mine = targets[targets.indicator_id == ind.id]
        rows.append(
            {
                "id": ind.id,
                "indicator": ind,
                "targets": dict(zip(mine.year.astype(int), mine.target.astype(float), strict=True)),
                "targets_demo": bool(mine.is_demo.any()) if not mine.empty else False,
            }
        )
    return pd.DataFrame(rows)
