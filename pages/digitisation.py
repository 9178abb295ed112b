"""Số hóa TTHC: digitisation, online dossiers and payments, on-time resolution, by commune."""

import pandas as pd
import streamlit as st

from kpi import catalog
from kpi.dashboard import charts
from kpi.i18n import t
from pages.shared import cached, widgets
from pages.shared.setup import View, page_setup

RATES = catalog.vocabulary().page_indicators["digitisation"]


def trend(view: View, ind: catalog.Indicator, by_unit: pd.DataFrame) -> None:
    """The district's line and the chosen communes' lines; says which communes sent nothing."""
    district = cached.indicator_values(view.url, (ind.id,), view.root_code, view.range, grain=view.grain)
    silent = [name for name, rows in by_unit.groupby("unit_name", sort=False) if rows.value.isna().all()]
    if silent:
        st.info(t("no_data_for", view.lang, units=", ".join(silent), span=view.range.label(view.lang)))
    lines = pd.concat([district, by_unit], ignore_index=True)
    if not widgets.nothing(view, lines):
        widgets.chart(charts.trend(lines, ind, view.lang, view.grain, view.present))


def tabs(view: View, ind: catalog.Indicator) -> None:
    lang = view.lang
    names = ("tab_ranking", "tab_trend", "tab_heatmap", "tab_table")
    ranking_tab, trend_tab, heat_tab, table_tab = st.tabs([t(n, lang) for n in names])
    root, span, chosen = view.root_code, view.range, view.communes
    with ranking_tab:
        ranking = cached.indicator_values(view.url, (ind.id,), root, span, by="child", units=chosen)
        if not widgets.nothing(view, ranking):
            widgets.chart(charts.ranking(ranking, ind, lang, view.present))
    # One query by commune and period serves the table, the chosen communes' lines and the heat map.
    table = cached.indicator_values(view.url, RATES, root, span, grain=view.grain, by="child", units=chosen)
    by_unit = table[table.indicator == ind.id]
    with trend_tab:
        trend(view, ind, by_unit if chosen else by_unit.iloc[0:0])
    with heat_tab:
        if not widgets.nothing(view, by_unit):
            widgets.chart(charts.heatmap(by_unit, ind, lang, view.grain, view.present))
    with table_tab:
        widgets.table_with_downloads(table, view, "so-hoa-tthc", t("page_digitisation", lang))


view = page_setup("page_digitisation")
widgets.heading(view)
totals = cached.indicator_values(view.url, RATES, view.root_code, view.range)
if not widgets.nothing(view, totals):
    widgets.metrics(totals, view)
    tabs(view, view.definition if view.indicator in RATES else catalog.indicators()[RATES[0]])
