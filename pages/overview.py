"""Tổng quan: how the district is doing against its targets, and which communes lag."""

import pandas as pd
import streamlit as st

from kpi import catalog, fmt
from kpi.dashboard import charts, frames
from kpi.i18n import t
from pages.shared import cached, widgets
from pages.shared.setup import View, page_setup

LAGGARD_COLUMNS = ("unit", "value", "target", "gap", "change")


def cards(view: View) -> bool:
    """A card per headline indicator; False when there is nothing to show."""
    headline = cached.headline(view.url, view.root_code, view.range)
    if widgets.nothing(view, headline):
        return False
    lang = view.lang
    columns = st.columns(2 if view.present else 4)
    for index, row in enumerate(headline.itertuples()):
        ind = catalog.indicators()[row.indicator]
        with columns[index % len(columns)], st.container(border=True):
            widgets.metric(row, view)
            st.caption(
                f"{t('target', lang)}: {fmt.value(row.target, ind.unit, lang)} · "
                f"{t('gap', lang)}: {fmt.signed(row.gap, lang, ind.unit)} · "
                f"{t('reported', lang)}: {row.units_reported}/{row.units_expected}"
            )
            if pd.Series(row.trend).notna().any():  # yearly figures have no monthly trend
                widgets.chart(charts.sparkline(row.trend, view.present))
    return True


def laggards(view: View) -> None:
    """The communes furthest behind and ahead on the chosen indicator."""
    lang = view.lang
    ranking = cached.indicator_values(view.url, (view.indicator,), view.root_code, view.range, by="child")
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
if cards(view):
    laggards(view)
