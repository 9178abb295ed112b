"""Tổng quan: how the district is doing against its targets, and which communes lag."""

import pandas as pd
import streamlit as st

from kpi import catalog, charts, fmt, views
from kpi.i18n import t
from pages import common

view = common.page_setup("page_overview")
lang = view.lang
common.heading(view)
cards = common.headline(view.url, view.root["code"], view.span)
if not common.nothing(view, cards):
    columns = st.columns(2 if view.present else 4)
    for index, row in enumerate(cards.itertuples()):
        ind = catalog.indicators()[row.indicator]
        with columns[index % len(columns)], st.container(border=True):
            common.metric(row, view)
            st.caption(
                f"{t('target', lang)}: {fmt.value(row.target, ind.unit, lang)} · "
                f"{t('gap', lang)}: {fmt.signed(row.gap, lang, ind.unit)} · "
                f"{t('reported', lang)}: {row.units_reported}/{row.units_expected}"
            )
            if pd.Series(row.trend).notna().any():  # yearly figures have no monthly trend
                common.chart(charts.sparkline(row.trend, view.present))

    ranking = common.compute(view.url, (view.indicator,), view.root["code"], view.span, by="child")
    behind, ahead = views.extremes(ranking, view.definition)
    st.subheader(t("laggards_title", lang, indicator=view.definition.name(lang)))
    left, right = st.columns(2)
    for column, rows, key in ((left, behind, "furthest_behind"), (right, ahead, "furthest_ahead")):
        with column:
            st.markdown(f"**{t(key, lang)}**")
            if rows.empty:
                st.info(t("err_nothing_in_view", lang, unit=view.root["name"], span=common.span_label(view)))
            else:
                st.dataframe(
                    common.indicator_table(rows, view)[
                        [
                            t("unit", lang),
                            t("value", lang),
                            t("target", lang),
                            t("gap", lang),
                            t("change", lang),
                        ]
                    ],
                    hide_index=True,
                    width="stretch",
                )
    reported = ranking[ranking.value.notna()]
    st.caption(
        t(
            "reported_summary",
            lang,
            reported=int((ranking.units_reported == ranking.units_expected).sum()),
            expected=len(ranking),
            with_value=len(reported),
        )
    )
