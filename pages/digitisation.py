"""Số hóa TTHC: digitisation, online dossiers and payments, on-time resolution, by commune."""

import pandas as pd
import streamlit as st

from kpi import catalog
from kpi.computation import Query
from kpi.dashboard import charts, frames
from kpi.i18n import LOCALES, t
from kpi.store import units
from pages.shared import cached, widgets
from pages.shared.setup import View, page_setup

RATES = catalog.vocabulary().page_indicators["digitisation"]
#: The tabs' state in st.session_state, one per language (it holds the open tab's label).
TAB_KEY = "digitisation_tab"


def open_before(names: list[str], lang: str) -> str | None:
    """The tab that was open in the language just left, labelled in this one: switching
    language in a meeting keeps the table open. (The state of the tabs of the language left
    is still there in the first run after the switch.)"""
    for other in sorted(set(LOCALES) - {lang}):
        labels = [t(n, other) for n in names]
        shown = st.session_state.get(f"{TAB_KEY}_{other}")
        if shown in labels:
            return t(names[labels.index(shown)], lang)
    return None


def trend(view: View, ind: catalog.Indicator, district: pd.DataFrame, chosen: pd.DataFrame) -> None:
    """The district's line and the chosen communes' lines; says which communes sent nothing."""
    silent = [name for name, rows in chosen.groupby("unit_name", sort=False) if rows.value.isna().all()]
    if silent:
        st.info(t("no_data_for", view.lang, units=", ".join(silent), span=view.range.label(view.lang)))
    lines = pd.concat([district, chosen], ignore_index=True)
    if not widgets.nothing(view, lines):
        widgets.chart(charts.trend(lines, ind, view.lang, view.grain, view.present))


def queries(view: View, ind: catalog.Indicator) -> tuple[Query, ...]:
    """The totals, the ranking, the table by commune and period (which also gives the chosen
    communes' lines and the heat map) and the district's line: one pass over the store."""
    grain, chosen = view.grain, view.communes
    return (
        view.query(RATES),
        view.query((ind.id,), by="child", units=chosen),
        view.query(RATES, grain=grain, by="child", units=chosen),
        view.query((ind.id,), grain=grain),
    )


def merger_history(view: View, ind: catalog.Indicator) -> None:
    """A new commune's line with the lines of the units it was made from, and where its
    history misses some of them."""
    lang, grain = view.lang, view.grain
    (current,) = cached.computed(view.store, (view.query((ind.id,), grain=grain, by="unit"),))
    legacy = widgets.history_notes(view, ind.id, grain)
    succession = cached.successions(view.store)
    names = cached.store_state(view.store).unit_names(units.CURRENT)
    new = [c for c in names if c in set(succession.successor_code)]  # not the former district
    communes = [c for c in view.communes if c in new] or new
    commune = st.selectbox(t("commune", lang), communes, format_func=names.get, key="merger_commune")
    lines = frames.merger_lines(current, legacy, succession, commune)
    st.caption(t("merger_note", lang, unit=names.get(commune, commune), n=lines.unit_code.nunique() - 1))
    if not widgets.nothing(view, lines):
        widgets.chart(charts.trend(lines, ind, lang, grain, view.present, lead=commune))


def tabs(view: View, ind: catalog.Indicator, ranking, table, district) -> None:
    """The ranking, trend, heat map, table (and merger) tabs. Only the open tab is drawn, as
    Streamlit's lazy tabs allow: a filter change redraws one chart, not three charts and a
    formatted table (the tab chosen stays chosen across reruns)."""
    lang = view.lang
    names = ["tab_ranking", "tab_trend", "tab_heatmap", "tab_table"]
    if view.crosses_merger:
        names.append("tab_merger")
    key = f"{TAB_KEY}_{lang}"
    default = None if key in st.session_state else open_before(names, lang)
    ranking_tab, trend_tab, heat_tab, table_tab, *merger_tab = st.tabs(
        [t(n, lang) for n in names], default=default, key=key, on_change="rerun"
    )
    by_unit = table[table.indicator == ind.id]
    if ranking_tab.open:
        with ranking_tab:
            if not widgets.nothing(view, ranking):
                widgets.chart(charts.ranking(ranking, ind, lang, view.present))
    if trend_tab.open:
        with trend_tab:
            trend(view, ind, district, by_unit if view.communes else by_unit.iloc[0:0])
    if heat_tab.open:
        with heat_tab:
            if not widgets.nothing(view, by_unit):
                widgets.chart(charts.heatmap(by_unit, ind, lang, view.grain, view.present))
    if table_tab.open:
        with table_tab:
            widgets.table_with_downloads(table, view, "so-hoa-tthc", t("page_digitisation", lang))
    for tab in merger_tab:
        if tab.open:
            with tab:
                merger_history(view, ind)


view = page_setup("page_digitisation")
widgets.heading(view)
indicator = view.definition if view.indicator in RATES else catalog.indicators()[RATES[0]]
totals, ranking, table, district = cached.computed(view.store, queries(view, indicator))
if not widgets.nothing(view, totals):
    widgets.metrics(totals[totals.indicator == indicator.id] if view.show else totals, view)
    tabs(view, indicator, ranking, table, district)
    widgets.pack_downloads(view, RATES, "so-hoa-tthc")
