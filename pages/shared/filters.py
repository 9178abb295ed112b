"""The filters every page shares: their defaults, the sidebar widgets, and the URL.

The widgets are made by app.py, with keys of their own, so that they keep their values when
the user changes page; the values are written to the URL so that a copied link opens the same
view. A page run on its own (as AppTest runs it) falls back to the same defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from kpi import catalog
from kpi.i18n import t
from kpi.periods import Period, PeriodError, Range
from kpi.store import units
from pages.shared import slideshow

GRAINS = ("month", "quarter", "year")
MAP_CHOICES = ("auto", units.LEGACY, units.CURRENT)  # auto: the map in force at the end of the range
DEFAULT_INDICATOR = "intake_digitization_rate"


def language() -> str:
    return "en" if st.session_state.get("lang_en") else "vi"


def month_codes(span: Range) -> list[str]:
    return [m.code for m in span.months]


def default_months(data: Range) -> tuple[str, str]:
    """The latest year with data, as (first month, last month) codes."""
    year = Range.year(data.last.start.year)
    return max(year.first, data.first).code, min(year.last, data.last).code


def defaults(data: Range | None) -> dict[str, Any]:
    return {
        "lang_en": False,
        "present": False,
        "span": default_months(data) if data else None,
        "grain": "month",
        "map": "auto",
        "communes": [],
        "indicator": DEFAULT_INDICATOR,
        "advance": None,
        "views": slideshow.all_views(),
    }


def current(key: str, data: Range | None) -> Any:
    """A filter's value: the widget's, else the default."""
    return st.session_state.get(key, defaults(data)[key])


def chosen_range(data: Range | None) -> Range:
    """The months the user chose; without data, the twelve months up to this one."""
    if data is None:
        this_month = Period.containing(date.today(), "month")
        return Range.of(this_month.shift(-11), this_month)
    return Range.parse(*current("span", data))


def chosen_map(data: Range | None) -> str:
    """The map the user chose, or the one in force at the end of the chosen range."""
    asked = current("map", data)
    return units.map_for(chosen_range(data)) if asked == "auto" else asked


def rate_ids() -> list[str]:
    return [i.id for i in catalog.indicators().values() if i.is_rate]


def load_url(data: Range | None, communes: set[str]) -> None:
    """Once per session: take the filters from the URL, leaving out values that do not fit."""
    if st.session_state.get("url_loaded"):
        return
    st.session_state.url_loaded = True
    params = st.query_params
    st.session_state.lang_en = params.get("lang") == "en"
    st.session_state.present = params.get("present") == "1"
    st.session_state.advance = slideshow.parse_seconds(params.get("advance"))
    st.session_state.views = slideshow.parse_views(params.get("views"))
    if data is None:
        return
    try:
        asked = Range.parse(params.get("from", ""), params.get("to", ""))
        if data.start <= asked.start and asked.end <= data.end:
            st.session_state.span = (asked.first.code, asked.last.code)
    except PeriodError:
        pass  # not a range: the default stays
    if params.get("grain") in GRAINS:
        st.session_state.grain = params["grain"]
    if params.get("map") in MAP_CHOICES:
        st.session_state.map = params["map"]
    st.session_state.communes = [c for c in params.get_all("unit") if c in communes]
    if params.get("indicator") in rate_ids():
        st.session_state.indicator = params["indicator"]


def write_url(data: Range | None) -> None:
    """Put the current filters in the address bar."""
    state = st.session_state
    params: dict[str, str | list[str]] = {}
    if state.get("lang_en"):
        params["lang"] = "en"
    if state.get("present"):
        params["present"] = "1"
        if state.get("advance"):  # a slideshow keeps its interval and views
            params["advance"] = str(state.advance)
            params["views"] = ",".join(state.views)
    if data is not None:
        params["from"], params["to"] = state.span
        params["grain"] = state.grain
        if state.map != "auto":
            params["map"] = state.map
        params["indicator"] = state.indicator
        if state.communes:
            params["unit"] = list(state.communes)
    st.query_params.from_dict(params)


def show_year(year: int) -> None:
    """Set the range to a whole year (a button's callback, run before the widgets are drawn)."""
    st.session_state.span = (f"{year}-01", f"{year}-12")
    forget("span")


def _widget_key(key: str) -> str:
    """A filter widget's own key, one per language: its options are written in the language,
    and the browser goes on showing the old words in a widget that outlives a switch."""
    return f"_widget_{key}_{language()}"


def forget(key: str) -> None:
    """Drop a filter widget's own state, so that it shows the filter's value set in code."""
    for lang in catalog.LANGUAGES:
        st.session_state.pop(f"_widget_{key}_{lang}", None)


def kept(widget: Callable, key: str, *args, given: str = "value", convert: Callable | None = None, **kwargs):
    """A sidebar widget whose value lives in st.session_state[key].

    Streamlit drops a widget's own state when the page changes; the filter's value is kept
    under a key of its own and handed back to the widget (as its `given` argument, e.g.
    value, index or default), so it survives every page switch.
    """
    widget_key = _widget_key(key)

    def keep() -> None:
        st.session_state[key] = st.session_state[widget_key]

    current_value = st.session_state[key]
    kwargs[given] = convert(current_value) if convert else current_value
    return widget(*args, key=widget_key, on_change=keep, **kwargs)


def sidebar(data: Range | None, communes: dict[str, dict[str, str]], lang: str) -> None:
    """The sidebar filters, shared by every page (language and presentation only without data).
    communes: map id -> key -> name of the units one can choose on that map."""
    for key, value in defaults(data).items():
        st.session_state.setdefault(key, value)
    side = st.sidebar
    kept(side.toggle, "lang_en", "English")
    kept(side.toggle, "present", t("presentation", lang), help=t("presentation_help", lang))
    if data is None:
        return
    kept(
        side.select_slider,
        "span",
        t("time_range", lang),
        options=month_codes(data),
        format_func=lambda code: Period.parse(code).label(lang),
        convert=tuple,
    )
    kept(
        side.radio,
        "grain",
        t("period_type", lang),
        GRAINS,
        horizontal=True,
        format_func=lambda g: t(f"grain_{g}", lang),
        given="index",
        convert=GRAINS.index,
    )
    kept(
        side.radio,
        "map",
        t("map", lang),
        MAP_CHOICES,
        format_func=lambda m: t(f"map_{m}", lang),
        given="index",
        convert=MAP_CHOICES.index,
        help=t("map_help", lang),
    )
    on_map = communes.get(chosen_map(data), {})
    st.session_state.communes = [c for c in st.session_state.communes if c in on_map]
    kept(
        side.multiselect,
        "communes",
        t("communes", lang),
        list(on_map),
        format_func=on_map.get,
        placeholder=t("choose_units", lang),
        given="default",
    )
    rates = rate_ids()
    kept(
        side.selectbox,
        "indicator",
        t("indicator", lang),
        rates,
        format_func=lambda i: catalog.indicators()[i].name(lang),
        given="index",
        convert=rates.index,
    )
    show_builder(side, lang)


def show_params(seconds: int, views: list[str]) -> dict[str, str]:
    """The address parameters of a slideshow of these views with the current filters."""
    state = st.session_state
    params = {"present": "1", "advance": str(seconds), "views": ",".join(views)}
    params["from"], params["to"] = state.span
    if state.map != "auto":
        params["map"] = state.map
    if state.get("lang_en"):
        params["lang"] = "en"
    return params


SHOW_SECONDS = 20  # a slide's time on the wall, unless the address says otherwise


def show_builder(side, lang: str) -> None:
    """Choose the views and the interval of a slideshow, and open it (its address can be
    bookmarked on the meeting room's PC)."""
    with side.expander(t("show_title", lang), icon=":material/slideshow:"):
        options = slideshow.all_views()
        chosen = st.multiselect(
            t("show_views", lang),
            options,
            default=[v for v in st.session_state.views if v in options],
            format_func=lambda v: slideshow.view_label(v, lang),
            key="_show_views",
        )
        seconds = st.number_input(
            t("show_seconds", lang),
            slideshow.MIN_SECONDS,
            slideshow.MAX_SECONDS,
            int(st.session_state.advance or SHOW_SECONDS),
            key="_show_seconds",
        )
        views = chosen or options
        start = slideshow.start_address(views, show_params(seconds, views))
        st.link_button(t("show_start", lang), start, icon=":material/play_arrow:")
