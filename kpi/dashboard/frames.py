"""What each dashboard page shows, as DataFrames: the pages only draw them.

Every figure here comes from the computation or from sums of stored values, so a number on
screen can be traced to rows of the store. Functions that take `units` keep only those units
directly under the root (the communes a user chose), in the query itself; none means all.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import catalog, config
from kpi.computation import Query
from kpi.periods import Range, add_months
from kpi.store import db
from kpi.store import units as units_


def data_range(root: str, engine: Engine | None = None) -> Range | None:
    """The months for which the sub-tree of root holds any value, or None when it holds none."""
    found = db.read_frame("queries/data_months", engine, root=root)
    if found.empty or pd.isna(found.first_start.iloc[0]):
        return None
    # Stored periods start and end on the first of a month.
    return Range(pd.Timestamp(found.first_start.iloc[0]).date(), pd.Timestamp(found.last_end.iloc[0]).date())


def children(root: str, map_id: str, engine: Engine | None = None) -> pd.DataFrame:
    """The units directly under root on a map: code, name, level, lifetime."""
    return db.read_frame("queries/children", engine, root=root, map=map_id)


def headline_ids() -> tuple[str, ...]:
    return tuple(i.id for i in catalog.indicators().values() if i.headline)


def headline_queries(root: str, span: Range, map_id: str | None = None) -> tuple[Query, Query]:
    """The overview cards' queries: each headline indicator for the range, and by month."""
    ids = headline_ids()
    return Query(ids, root, span, map=map_id), Query(ids, root, span, grain="month", map=map_id)


def headline(cards: pd.DataFrame, monthly: pd.DataFrame) -> pd.DataFrame:
    """The overview cards: each headline indicator with its monthly values as a trend."""
    trend = monthly.groupby("indicator", sort=False).value.apply(list).rename("trend")
    return cards.join(trend, on="indicator")


def extremes(ranking: pd.DataFrame, ind: catalog.Indicator, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The n communes furthest behind and furthest ahead (by gap to target, else by value)."""
    rows = ranking[(ranking.unit_level == "commune") & ranking.value.notna()]
    key = "gap" if rows.gap.notna().any() else "value"
    order = rows.sort_values(key, ascending=ind.higher_is_better if key == "value" else True)
    if key == "value" and not ind.higher_is_better:
        order = order.iloc[::-1]
    return order.head(n), order.tail(n).iloc[::-1]


def reported_summary(ranking: pd.DataFrame) -> dict[str, int]:
    """How many units reported every month, how many were expected to, and how many have a value."""
    return {
        "reported": int((ranking.units_reported == ranking.units_expected).sum()),
        "expected": len(ranking),
        "with_value": int(ranking.value.notna().sum()),
    }


def element_sums(
    root: str,
    elements: tuple[str, ...],
    span: Range,
    engine: Engine | None = None,
    units: tuple[str, ...] = (),
    map_id: str | None = None,
) -> pd.DataFrame:
    """Sums of elements per unit under root and per year (survey levels, prizes by rank), on a
    map (by default the one in force at the end of the range)."""
    frame = db.read_frame(
        "queries/element_sums",
        engine,
        root=root,
        map=map_id or units_.map_for(span),
        elements=list(elements),
        start=span.start,
        end=span.end,
        all_units=not units,
        units=list(units) or [""],
    )
    return frame.astype({"year": int, "value": float})


def survey_levels(
    root: str,
    span: Range,
    engine: Engine | None = None,
    units: tuple[str, ...] = (),
    map_id: str | None = None,
) -> pd.DataFrame:
    """Answers by satisfaction level for each unit under root, one column per level."""
    levels = catalog.vocabulary().survey_levels
    sums = element_sums(root, levels, span, engine, units, map_id)
    if sums.empty:
        return pd.DataFrame(columns=["unit_code", "unit_name", *levels])
    # the years added up, one column per level (a group-by: pivot_table took twice as long)
    wide = sums.groupby(["unit_code", "unit_name", "element_id"]).value.sum().unstack("element_id")
    return wide.reset_index().reindex(columns=["unit_code", "unit_name", *levels])


def prizes(
    root: str,
    span: Range,
    engine: Engine | None = None,
    units: tuple[str, ...] = (),
    map_id: str | None = None,
) -> pd.DataFrame:
    """Contest prizes per commune, year, level and rank (rows with at least one prize)."""
    sums = element_sums(root, catalog.vocabulary().prize_elements(), span, engine, units, map_id)
    if sums.empty:
        return sums.assign(level=[], rank=[])
    parts = sums.element_id.str.removeprefix("contest_").str.split("_", n=1, expand=True)
    return sums.assign(level=parts[0], rank=parts[1])


def winners(prizes: pd.DataFrame) -> pd.DataFrame:
    """Per year, commune and contest level: prizes by rank and their total, best first."""
    ranks = list(catalog.vocabulary().prize_ranks)
    won = prizes[prizes.value > 0]
    table = won.pivot_table(
        index=["year", "unit_name", "level"], columns="rank", values="value", aggfunc="sum", fill_value=0
    ).reindex(columns=ranks, fill_value=0)
    table["total"] = table.sum(axis=1)
    return table.reset_index().sort_values(["year", "total"], ascending=[False, False])


def reporting_grid(
    root: str,
    span: Range,
    engine: Engine | None = None,
    group: str = "tthc",
    units: tuple[str, ...] = (),
    map_id: str | None = None,
) -> pd.DataFrame:
    """Per unit and month: on time, late, partial, not reported (or not expected: before a unit
    was made or after it was merged, so each month shows the units in force then)."""
    elements = [e for e in catalog.elements().values() if e.group == group and e.frequency == "month"]
    levels = sorted({level for e in elements for level, _start, _end in e.reporters()})
    grid = db.read_frame(
        "queries/reporting_grid",
        engine,
        root=root,
        map=map_id or units_.map_for(span),
        start=span.start,
        end=span.end,
        last=add_months(span.end, -1),
        elements=[e.id for e in elements],
        levels=levels,
        all_units=not units,
        units=list(units) or [""],
    )
    grid["month_start"] = pd.to_datetime(grid.month_start).dt.date
    grid["unit_name"] = _distinct_names(grid)
    deadline = timedelta(days=config.report_deadline_days())
    grid["status"] = [
        _status(row.valid, row.elements_sent, len(elements), row.reported_at, row.month_start, deadline)
        for row in grid.itertuples()
    ]
    return grid


def _distinct_names(grid: pd.DataFrame) -> pd.Series:
    """Unit names that tell apart two units of one name (Xã Bình Minh before and after it took in
    Bình Khương and Bình An): the months each existed, e.g. 'Xã Bình Minh (–6/2025)'."""
    units = grid.drop_duplicates("unit_code")
    shared = units.unit_name[units.unit_name.duplicated(keep=False)]
    start, end = pd.to_datetime(grid.valid_from), pd.to_datetime(grid.valid_to) - pd.DateOffset(days=1)
    when = start.dt.strftime("%-m/%Y").fillna("") + "–" + end.dt.strftime("%-m/%Y").fillna("")
    return grid.unit_name.where(~grid.unit_name.isin(set(shared)), grid.unit_name + " (" + when + ")")


def _status(valid: bool, sent: int, needed: int, reported_at, month_start: date, deadline: timedelta) -> str:
    if not valid:
        return "not_expected"
    if sent == 0:
        return "not_reported"
    if sent < needed:
        return "partial"
    due = add_months(month_start, 1) + deadline
    return "late" if pd.notna(reported_at) and pd.Timestamp(reported_at).date() > due else "on_time"


def status_counts(grid: pd.DataFrame) -> dict[str, int]:
    """How many unit-months have each status that a unit can be in."""
    counts = grid.status.value_counts()
    return {s: int(counts.get(s, 0)) for s in catalog.vocabulary().report_statuses if s != "not_expected"}


def whom_to_call(grid: pd.DataFrame) -> pd.DataFrame:
    """Units with months missing, partial or late: how many of each, the worst first."""
    order = list(catalog.vocabulary().statuses_to_call)
    return (
        grid[grid.status.isin(order)]
        .groupby(["unit_code", "unit_name", "status"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=order, fill_value=0)
        .sort_values(order, ascending=False)
        .reset_index()
    )


def catalogue(engine: Engine | None = None) -> pd.DataFrame:
    """Every indicator's definition with its stored targets (one row per indicator)."""
    targets = db.read_frame("queries/all_targets", engine)
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


def successions(engine: Engine | None = None) -> pd.DataFrame:
    """The conversion table of the units stored: old unit, the new commune, merged in part."""
    return db.read_frame("queries/unit_successors", engine)


def merger_lines(
    current: pd.DataFrame, legacy: pd.DataFrame, succession: pd.DataFrame, commune: str
) -> pd.DataFrame:
    """A new commune's line (on the current map: its predecessors' sums before 1/7/2025) and
    each predecessor's own line until the merger, from by-unit results on both maps."""
    made_from = succession.loc[succession.successor_code == commune, "unit_code"]
    before = legacy[legacy.unit_code.isin(made_from) & (legacy.period_start < units_.MAP_CHANGE)]
    return pd.concat([current[current.unit_code == commune], before], ignore_index=True)


def history_gaps(legacy: pd.DataFrame, succession: pd.DataFrame) -> pd.DataFrame:
    """What the history before 1/7/2025 of each new commune lacks: units it was made from that
    have no figure at all in the range (Đông Sơn without Tịnh Hòa, of the former Quảng Ngãi
    city), and units merged into it only in part, which never count there. Columns:
    successor_code, kind ('silent' or 'partial'), units (their names and codes). From by-unit
    results on the map before 2025."""
    before = legacy[legacy.period_start < units_.MAP_CHANGE]
    silent = set(before.groupby("unit_code").filter(lambda rows: rows.value.isna().all()).unit_code)
    names = before.drop_duplicates("unit_code").set_index("unit_code").unit_name
    rows = succession[succession.unit_code.isin(names.index)]
    rows = rows.assign(
        kind=rows.partial.map({True: "partial", False: "silent"}),
        units=rows.unit_code.map(names) + " (" + rows.unit_code + ")",
    )
    rows = rows[rows.partial | rows.unit_code.isin(silent)]
    return rows.groupby(["successor_code", "kind"], sort=True).units.agg(", ".join).reset_index()
