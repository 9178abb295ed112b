"""Tổng quan: how the district is doing against its targets, and which communes lag."""

import pandas as pd
import streamlit as st

from kpi import catalog
from kpi.dashboard import frames
from kpi.i18n import t
from pages.shared import cached, widgets
from pages.shared.setup import View, page_setup

LAGGARD_COLUMNS = ("unit", "value", "target", "gap", "change")


def cards(view: View, headline: pd.DataFrame) -> bool:
    """A card per headline indicator; False when there is nothing to show."""
    if widgets.nothing(view, headline):
        return False
    lang = view.lang
    columns = st.columns(2 if view.present else 4)
    for index, row in enumerate(headline.itertuples()):
        ind = catalog.indicators()[row.indicator]
        trend = row.trend if pd.Series(row.trend).notna().any() else None  # yearly figures have none
        with columns[index % len(columns)], st.container(border=True):
            widgets.metric(row, view, trend=trend)
            st.caption(widgets.card_caption(row, ind, lang))
    return True


def laggards(view: View, ranking: pd.DataFrame) -> None:
    """The communes furthest behind and ahead on the chosen indicator."""
    lang = view.lang
    behind, ahead = frames.extremes(ranking, view.definition)
    st.subheader(t("laggards_title", lang, indicator=view.definition.name(lang)))
    for column, rows, key in zip(
        st.columns(2), (behind, ahead), ("furthest_behind", "furthest_ahead"), strict=True
    ):
        with column:
            st.markdown(f"**{t(key, lang)}**")
            if not widgets.nothing(view, rows):
                widgets.indicator_table(rows, view, LAGGARD_COLUMNS)
    st.caption(t("reported_summary", lang, **frames.reported_summary(ranking)))


view = page_setup("page_overview")
widgets.heading(view)
queries = (
    *frames.headline_queries(view.root_code, view.range, view.map_id),
    view.query((view.indicator,), by="child"),
)
totals, monthly, ranking = cached.computed(view.store, queries)
if view.crosses_merger:
    widgets.history_notes(view, view.indicator)
if cards(view, frames.headline(totals, monthly)):
    laggards(view, ranking)
    st.subheader(t("pack_meeting", view.lang))
    widgets.pack_downloads(view, None, "hop")
