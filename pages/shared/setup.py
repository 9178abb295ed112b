"""The first call of every page: title, presentation mode, demo note, and the user's view."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from kpi import catalog, config
from kpi.computation import Query
from kpi.dashboard import frames
from kpi.i18n import t
from kpi.meeting.content import any_illustrative
from kpi.periods import Grain, Range
from kpi.store import units
from pages.shared import cached, filters, signin, slideshow

# A card's long name or figure ("Tỷ lệ số hóa hồ sơ khi tiếp nhận", "206 triệu đồng") wraps
# rather than ending in "…", on a screen of five cards to a row as on the wall.
CARD_CSS = """
<style>
[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important;
}
</style>
"""
PRESENTATION_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; color: #000; }
[data-testid="stMetricValue"] { font-size: 3.4rem; font-weight: 700; line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; font-weight: 600; }
h1 { font-size: 3rem !important; }
/* the range's ends in the sidebar keep their usual size: at the wall's they spill out of it */
[data-testid="stSidebar"] [data-testid="stSliderThumbValue"],
[data-testid="stSidebar"] [data-testid="stSliderTickBar"] { font-size: 0.7rem !important; }
</style>
"""


@dataclass(frozen=True)
class View:
    """The store and the user's choices, as one page sees them."""

    store: cached.Store  # its URL, and its version as this run began
    lang: str
    present: bool
    root: dict
    range: Range
    grain: Grain
    map_id: str
    communes: tuple[str, ...]
    indicator: str
    show: bool = False  # a slideshow on the wall: a page shows its slide's indicator first

    @property
    def root_code(self) -> str:
        return self.root["code"]

    @property
    def definition(self) -> catalog.Indicator:
        return catalog.indicators()[self.indicator]

    @property
    def crosses_merger(self) -> bool:
        """On the current map, a range that starts before 1/7/2025 shows the new communes' past."""
        return self.map_id == units.CURRENT and self.range.start < units.MAP_CHANGE

    def query(self, indicators: tuple[str, ...], **how) -> Query:
        """A computation of this view: its root, range and map; how: grain, by, units."""
        return Query(tuple(indicators), self.root_code, self.range, map=self.map_id, **how)


def page_setup(title_key: str, need_data: bool = True) -> View:
    """Call first on every page. Stops the page with a plain sentence when the store has
    nothing to show (need_data=False: a page that adds data works on an empty store too), and
    with the sign-in form when KPI_REQUIRE_LOGIN asks for an account to view."""
    if switch := slideshow.target():  # the slideshow's next view
        page_file, indicator = switch
        if indicator:
            st.session_state.indicator = indicator
            filters.forget("indicator")
        st.switch_page(page_file)
    lang = filters.language()
    present = bool(st.session_state.get("present"))
    st.html(CARD_CSS + (PRESENTATION_CSS if present else ""))
    st.title(t(title_key, lang))
    store = cached.current(config.database_url())
    state = cached.store_state(store)
    if state.status != "ready":
        st.info(t("err_no_store" if state.status == "absent" else "err_old_store", lang))
        st.stop()
    if config.require_login():
        signin.require("view", lang, store.url)
    on_wall = present and bool(st.session_state.get("advance"))
    if state.demo and on_wall:  # the status bar says what each slide's figures are
        st.caption(t("demo_note_short", lang))
    elif state.demo:
        real, invented = catalog.reported_indicators()
        names = {"real": real, "invented": invented}
        st.warning(
            t("demo_note", lang, **{k: ", ".join(i.name(lang) for i in v) for k, v in names.items()}),
            icon="⚠️",
        )
    if state.range is None and need_data:
        st.info(t("err_no_data", lang, unit=state.district["name"]))
        st.stop()
    map_id = filters.chosen_map(state.range)
    children = state.unit_names(map_id)
    page = title_key.removeprefix("page_")
    show = on_wall and page in slideshow.PAGES
    view = View(
        store=store,
        lang=lang,
        present=present,
        root=state.roots[map_id],
        range=filters.chosen_range(state.range),
        grain=filters.current("grain", state.range),
        map_id=map_id,
        communes=tuple(c for c in filters.current("communes", state.range) if c in children),
        indicator=filters.current("indicator", state.range),
        show=show,
    )
    if show:
        status = show_status(view, page)
        slideshow.run(page, view.indicator, lang, status, st.session_state.views, st.session_state.advance)
    return view


def show_status(view: View, page: str) -> str:
    """The slideshow's status bar: unit, period, whether the page's figures are real, and
    whether every unit reported. Real only when the totals, the units under the root and the
    periods are all real: a slide shows each (a district's total from its report can sit above
    communes' illustrative shares)."""
    lang = view.lang
    ids = catalog.vocabulary().page_indicators.get(page) or frames.headline_ids()
    if page == "digitisation":
        ids = (view.indicator,) if view.indicator in ids else ids[:1]
    queries = (view.query(ids), view.query(ids, by="child"), view.query(ids, grain=view.grain))
    shown = [frame[frame.value.notna()] for frame in cached.computed(view.store, queries)]
    illustrative = any(any_illustrative(frame) for frame in shown)
    figures = "show_figures_illustrative" if illustrative else "show_figures_real"
    totals = shown[0]
    short = totals[totals.units_reported < totals.units_expected]
    reported = t("show_reported_complete", lang)
    if not short.empty:
        row = short.iloc[0]
        numbers = {"reported": row.units_reported, "expected": row.units_expected}
        reported = t("show_reported_incomplete", lang, **numbers)
    return t(
        "show_status",
        lang,
        unit=view.root["name"],
        period=view.range.label(lang),
        figures=t(figures, lang),
        reported=reported,
    )
