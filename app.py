"""The dashboard's entry: page config, the filters every page shares, the URL, navigation.

Filters are made here, with keys, so that they keep their values when the user changes
page, and they are written to the URL so that a copied link opens the same view.
"""

from __future__ import annotations

import streamlit as st

from kpi import catalog, config
from kpi.i18n import t
from kpi.periods import Period
from pages import common

# (file, title label, url path, icon). The paths differ from the file names on purpose: on a
# freshly started server the very first request still goes through Streamlit's legacy pages/
# discovery, which would run a file whose name matches the path on its own, without app.py.
PAGES = [
    ("pages/overview.py", "page_overview", "tong-quan", ":material/dashboard:"),
    ("pages/digitisation.py", "page_digitisation", "so-hoa-tthc", ":material/description:"),
    ("pages/satisfaction.py", "page_satisfaction", "hai-long", ":material/sentiment_satisfied:"),
    ("pages/contests.py", "page_contests", "thi-khkt", ":material/science:"),
]
DATA_PAGES = [
    ("pages/upload.py", "page_upload", "nhap-du-lieu", ":material/upload_file:"),
    ("pages/reporting.py", "page_reporting", "bao-cao", ":material/fact_check:"),
    ("pages/catalogue.py", "page_catalogue", "chi-so", ":material/menu_book:"),
]


def load_url(options: dict) -> None:
    """Once per session: take the filters from the URL, ignoring values that do not fit."""
    if st.session_state.get("url_loaded"):
        return
    st.session_state.url_loaded = True
    params = st.query_params
    codes = common.month_codes(options["span"]) if options["span"] else []
    st.session_state.lang_en = params.get("lang") == "en"
    st.session_state.present = params.get("present") == "1"
    if params.get("from") in codes and params.get("to") in codes and params["from"] <= params["to"]:
        st.session_state.span = (params["from"], params["to"])
    if params.get("grain") in common.GRAINS:
        st.session_state.grain = params["grain"]
    known = set(options["children"].code)
    st.session_state.communes = [c for c in params.get_all("unit") if c in known]
    if params.get("indicator") in catalog.indicators():
        st.session_state.indicator = params["indicator"]


def kept(widget, key: str, *args, given: str = "value", convert=None, **kwargs):
    """A sidebar widget whose value lives in st.session_state[key].

    Streamlit drops a widget's own state when the page changes; the filter's value is kept
    under a key of its own and handed back to the widget (as its `given` argument, e.g.
    value, index or default), so it survives every page switch.
    """
    widget_key = f"_widget_{key}"

    def keep() -> None:
        st.session_state[key] = st.session_state[widget_key]

    current = st.session_state[key]
    kwargs[given] = convert(current) if convert else current
    return widget(*args, key=widget_key, on_change=keep, **kwargs)


def filters(options: dict, lang: str) -> None:
    """The sidebar filters, shared by every page."""
    for key, value in common.defaults(options).items():
        st.session_state.setdefault(key, value)
    side = st.sidebar
    kept(side.toggle, "lang_en", "English")
    kept(side.toggle, "present", t("presentation", lang), help=t("presentation_help", lang))
    if options["span"] is None:
        return
    kept(
        side.select_slider,
        "span",
        t("time_range", lang),
        options=common.month_codes(options["span"]),
        format_func=lambda code: Period.parse(code).label(lang),
        convert=tuple,
    )
    kept(
        side.radio,
        "grain",
        t("period_type", lang),
        common.GRAINS,
        horizontal=True,
        format_func=lambda g: t(f"grain_{g}", lang),
        given="index",
        convert=common.GRAINS.index,
    )
    names = dict(zip(options["children"].code, options["children"].name, strict=True))
    kept(
        side.multiselect,
        "communes",
        t("communes", lang),
        list(names),
        format_func=names.get,
        placeholder=t("choose_units", lang),
        given="default",
    )
    rates = [i.id for i in catalog.indicators().values() if i.is_rate]
    kept(
        side.selectbox,
        "indicator",
        t("indicator", lang),
        rates,
        format_func=lambda i: catalog.indicators()[i].name(lang),
        given="index",
        convert=rates.index,
    )


def write_url(options: dict) -> None:
    """Put the current filters in the address bar."""
    state = st.session_state
    params: dict[str, str | list[str]] = {}
    if state.get("lang_en"):
        params["lang"] = "en"
    if state.get("present"):
        params["present"] = "1"
    if options["span"] is not None:
        params["from"], params["to"] = state.span
        params["grain"] = state.grain
        params["indicator"] = state.indicator
        if state.communes:
            params["unit"] = list(state.communes)
    st.query_params.from_dict(params)


def main() -> None:
    st.set_page_config(page_title="KPI chuyển đổi số", page_icon=":material/monitoring:", layout="wide")
    options = common.store_options(config.database_url())
    if options is not None and options.get("outdated"):
        options = None  # the page says to run `python -m kpi init`
    if options is not None:
        load_url(options)
    lang = common.language()
    if options is not None:
        filters(options, lang)
    else:
        st.session_state.setdefault("lang_en", False)
        kept(st.sidebar.toggle, "lang_en", "English")

    def page(path: str, label: str, slug: str, icon: str, default: bool = False) -> st.Page:
        return st.Page(path, title=t(label, lang), url_path=slug, icon=icon, default=default)

    navigation = st.navigation(
        {
            t("section_view", lang): [page(*p, default=i == 0) for i, p in enumerate(PAGES)],
            t("section_data", lang): [page(*p) for p in DATA_PAGES],
        }
    )
    if options is not None:
        write_url(options)  # after st.navigation, which owns the page part of the address
    navigation.run()


main()
