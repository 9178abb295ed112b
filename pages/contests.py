"""Thi khoa học kỹ thuật: prizes by rank, level and year, and the communes that won them."""

import streamlit as st

from kpi import catalog
from kpi.dashboard import charts, frames
from kpi.i18n import t
from pages.shared import cached, filters, widgets
from pages.shared.setup import View, page_setup

COUNTS = catalog.vocabulary().page_indicators["contests"]


def winners(view: View) -> None:
    """Prizes by year, level and rank: a chart, and the communes that won them."""
    lang = view.lang
    prizes = cached.prizes(view.store, view.root_code, view.range, view.communes, view.map_id)
    if widgets.nothing(view, prizes):
        return
    widgets.chart(charts.prizes_by_rank(prizes, lang, view.present))
    table = frames.winners(prizes)
    st.subheader(t("winners", lang))
    st.caption(t("winners_note", lang))
    table["level"] = table.level.map(lambda level: t(f"level_{level}", lang))
    ranks = {rank: f"rank_{rank}" for rank in catalog.vocabulary().prize_ranks}
    widgets.labelled(
        table,
        lang,
        {"year": "year", "unit_name": "unit", "level": "contest_level", **ranks, "total": "total"},
    )


def latest_results(view: View) -> None:
    """Contests are yearly and a range may hold none (this year's are not out yet): say which
    year has the latest results, and offer to show it."""
    everything = cached.store_state(view.store).range
    prizes = cached.prizes(view.store, view.root_code, everything, (), view.map_id)
    if prizes.empty:
        return
    year = int(prizes.year.max())
    st.info(t("contests_latest", view.lang, year=year))
    st.button(t("contests_show_year", view.lang, year=year), on_click=filters.show_year, args=(year,))


view = page_setup("page_contests")
widgets.heading(view)
(totals,) = cached.computed(view.store, (view.query(COUNTS),))
if totals.value.notna().any():
    widgets.metrics(totals, view)
    winners(view)
    widgets.own_figures(view, catalog.vocabulary().prize_elements())
    widgets.pack_downloads(view, COUNTS, "thi-khkt")
else:
    widgets.nothing(view, totals)
    latest_results(view)
