"""Số hóa TTHC: digitisation, online dossiers and payments, on-time resolution, by commune."""

import pandas as pd
import streamlit as st

from kpi import catalog, charts, views
from kpi.i18n import t
from pages import common

view = common.page_setup("page_digitisation")
lang = view.lang
root = view.root["code"]
common.heading(view)

totals = common.compute(view.url, views.TTHC_RATES, root, view.span)
if not common.nothing(view, totals):
    common.metrics(totals, view)

    ind = view.definition if view.indicator in views.TTHC_RATES else catalog.indicators()[views.TTHC_RATES[0]]
    by_unit = common.compute(view.url, (ind.id,), root, view.span, by="child")
    chosen = by_unit[by_unit.unit_code.isin(view.communes)] if view.communes else by_unit
    ranking_tab, trend_tab, heat_tab, table_tab = st.tabs(
        [t("tab_ranking", lang), t("tab_trend", lang), t("tab_heatmap", lang), t("tab_table", lang)]
    )
    with ranking_tab:
        if not common.nothing(view, chosen):
            common.chart(charts.ranking(chosen, ind, lang, view.present))
    with trend_tab:
        district = common.compute(view.url, (ind.id,), root, view.span, grain=view.grain)
        lines = [district]
        for code in view.communes:
            lines.append(common.compute(view.url, (ind.id,), code, view.span, grain=view.grain))
        trend = pd.concat(lines, ignore_index=True)
        silent = [f.unit_name.iloc[0] for f in lines[1:] if f.value.isna().all()]
        if silent:
            st.info(t("no_data_for", lang, units=", ".join(silent), span=common.span_label(view)))
        if not common.nothing(view, trend):
            common.chart(charts.trend(trend, ind, lang, view.grain, view.present))
    with heat_tab:
        grid = common.compute(view.url, (ind.id,), root, view.span, grain=view.grain, by="child")
        grid = grid[grid.unit_code.isin(view.communes)] if view.communes else grid
        if not common.nothing(view, grid):
            common.chart(charts.heatmap(grid, ind, lang, view.grain, view.present))
    with table_tab:
        shown, csv, xlsx = common.table_files(view, views.TTHC_RATES, t("page_digitisation", lang))
        st.dataframe(shown, hide_index=True, width="stretch")
        name = f"so-hoa-tthc_{view.root['code']}_{view.span.months[0].code}_{view.span.months[-1].code}"
        left, right = st.columns(2)
        left.download_button("CSV", csv, f"{name}.csv", "text/csv", key="csv")
        right.download_button("XLSX", xlsx, f"{name}.xlsx", common.XLSX_MIME, key="xlsx")
