"""Figures listed as they are stored: the report's counts that no indicator sums (ISO
procedures, classes, the lotus model, the 100 % shares), one row per stored value.

A page lists them rather than computing them because most are not additive: a share or a
price is a figure of its unit alone, and a stock (club members) is a value at a date. Each row
keeps what makes it traceable: its unit, period, kind, whether it is illustrative, and the
words it was taken from.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import catalog, fmt
from kpi.i18n import t
from kpi.periods import Period, Range
from kpi.store import db
from kpi.store import units as units_

COLUMNS = ("figure_item", "figure_value", "figure_when", "unit", "figure_kind", "figure_quote")


def listed(
    root: str,
    span: Range,
    engine: Engine | None = None,
    map_id: str | None = None,
    units: tuple[str, ...] = (),
    sections: dict[str, tuple[str, ...]] | None = None,
    own: bool = False,
) -> pd.DataFrame:
    """Every stored value of some elements (by default the science page's sections) in root's
    sub-tree within the range (only under the units given, when some are; only root's own
    values when own), with its section, in the order of the sections; newest period first
    within an element."""
    sections = sections or catalog.vocabulary().science_sections
    order = {e: (s, i) for s, ids in sections.items() for i, e in enumerate(ids)}
    frame = db.read_frame(
        "queries/listed_figures",
        engine,
        root=root,
        map=map_id or units_.map_for(span),
        elements=list(order),
        start=span.start,
        end=span.end,
        all_units=not units,
        units=list(units) or [""],
        own=own,
    )
    if frame.empty:
        return frame.assign(section=[])
    section_rank = {s: n for n, s in enumerate(sections)}
    frame["section"] = frame.element_id.map(lambda e: order[e][0])
    frame["_rank"] = frame.element_id.map(lambda e: (section_rank[order[e][0]], order[e][1]))
    return frame.sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def latest_year(root: str, engine: Engine | None = None, map_id: str | None = None) -> int | None:
    """The latest year with a listed figure under root (the page offers to show it)."""
    frame = listed(root, Range(date(1900, 1, 1), date(9999, 1, 1)), engine, map_id or units_.LEGACY)
    return None if frame.empty else int(pd.Timestamp(frame.period_start.max()).year)


def table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The listed figures as people read them: name, value with its unit and qualifier, the
    period of a flow or the date of a stock or a level, unit, kind and the quote."""
    elements = catalog.elements()
    rows = [
        {
            t("figure_item", lang): elements[r.element_id].name(lang),
            t("figure_value", lang): value_text(r.value, r.kind, elements[r.element_id], lang),
            t("figure_when", lang): when(r, elements[r.element_id].measure, lang),
            t("unit", lang): r.unit_name,
            t("figure_kind", lang): kind_text(r.kind, bool(r.illustrative), lang),
            t("figure_quote", lang): r.note or "",
        }
        for r in frame.itertuples()
    ]
    return pd.DataFrame(rows, columns=[t(c, lang) for c in COLUMNS])


def value_text(value: float, kind: str, element: catalog.Element, lang: str) -> str:
    """'hơn 445 lượt người', '0,5 ha', '100 %': the number as written, its unit and qualifier."""
    decimals = 0 if float(value).is_integer() else len(f"{value:.2f}".rstrip("0").split(".")[1])
    return fmt.count(value, kind, lang, decimals, element.unit(lang))


def when(row, measure: str, lang: str) -> str:
    """A flow's period ('Năm 2023'); a stock's or a level's date ('tại 31/12/2023')."""
    start, end = pd.Timestamp(row.period_start).date(), pd.Timestamp(row.period_end).date()
    if measure == "flow":
        return Period(start, row.period_type).label(lang)
    return t("figure_at", lang, day=fmt.day(end - timedelta(days=1), lang))


def kind_text(kind: str, illustrative: bool, lang: str) -> str:
    """The kind of the figure, and whether it is illustrative."""
    text = t(f"kind_{kind}", lang)
    return t("mark_illustrative", lang, value=text) if illustrative else text
