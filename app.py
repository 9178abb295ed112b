"""The dashboard's entry: page config, the filters every page shares, the URL, navigation.

Start it with `scripts/start` (or `python scripts/serve.py`): that runs `streamlit run app.py`
with Streamlit's legacy discovery of pages/ turned off from the very first request, so that a
deep link opened first after a restart shows its page (see scripts/serve.py).
"""

from __future__ import annotations

import streamlit as st

from kpi import config
from kpi.i18n import t
from kpi.meeting import links
from pages.shared import cached, filters, signin

# (page, icon): the script pages/<page>.py, titled by the label page_<page>, at links.SLUGS[page]
PAGES = [
    ("overview", ":material/dashboard:"),
    ("digitisation", ":material/description:"),
    ("satisfaction", ":material/sentiment_satisfied:"),
    ("contests", ":material/science:"),
    ("science", ":material/biotech:"),
    ("scorecard", ":material/military_tech:"),
]
DATA_PAGES = [
    ("upload", ":material/upload_file:"),
    ("reporting", ":material/fact_check:"),
    ("catalogue", ":material/menu_book:"),
    ("administration", ":material/admin_panel_settings:"),
]


def main() -> None:
    st.set_page_config(page_title="KPI chuyển đổi số", page_icon=":material/monitoring:", layout="wide")
    state = cached.store_state(cached.current(config.database_url()))
    data = state.range if state.status == "ready" else None
    communes = {m: state.unit_names(m) for m in state.children}
    filters.load_url(data, {c for names in communes.values() for c in names})
    lang = filters.language()
    filters.sidebar(data, communes, lang)
    if state.status == "ready":
        signin.status(config.database_url(), lang)

    def page(name: str, icon: str) -> st.Page:
        slug, default = links.SLUGS[name], name == links.START
        return st.Page(
            f"pages/{name}.py", title=t(f"page_{name}", lang), url_path=slug, icon=icon, default=default
        )

    navigation = st.navigation(
        {
            t("section_view", lang): [page(*p) for p in PAGES],
            t("section_data", lang): [page(*p) for p in DATA_PAGES],
        }
    )
    filters.write_url(data)  # after st.navigation, which owns the page part of the address
    navigation.run()


main()
