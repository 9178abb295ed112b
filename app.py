"""The dashboard's entry: page config, the filters every page shares, the URL, navigation.

Start it with `scripts/start` (or `python scripts/serve.py`): that runs `streamlit run app.py`
with Streamlit's legacy discovery of pages/ turned off from the very first request, so that a
deep link opened first after a restart shows its page (see scripts/serve.py).
"""

from __future__ import annotations

import streamlit as st

from kpi import config
from kpi.i18n import t
from pages.shared import cached, filters, signin

# (file, title label, url path, icon)
PAGES = [
    ("pages/overview.py", "page_overview", "tong-quan", ":material/dashboard:"),
    ("pages/digitisation.py", "page_digitisation", "so-hoa-tthc", ":material/description:"),
    ("pages/satisfaction.py", "page_satisfaction", "hai-long", ":material/sentiment_satisfied:"),
    ("pages/contests.py", "page_contests", "thi-khkt", ":material/science:"),
    ("pages/science.py", "page_science", "khcn-dmst", ":material/biotech:"),
    ("pages/scorecard.py", "page_scorecard", "chi-so-766", ":material/military_tech:"),
]
DATA_PAGES = [
    ("pages/upload.py", "page_upload", "nhap-du-lieu", ":material/upload_file:"),
    ("pages/reporting.py", "page_reporting", "bao-cao", ":material/fact_check:"),
    ("pages/catalogue.py", "page_catalogue", "chi-so", ":material/menu_book:"),
    ("pages/administration.py", "page_administration", "quan-tri", ":material/admin_panel_settings:"),
]


def main() -> None:
    st.set_page_config(page_title="KPI chuyển đổi số", page_icon=":material/monitoring:", layout="wide")
    state = cached.store_state(config.database_url())
    data = state.range if state.status == "ready" else None
    communes = {m: state.unit_names(m) for m in state.children}
    filters.load_url(data, {c for names in communes.values() for c in names})
    lang = filters.language()
    filters.sidebar(data, communes, lang)
    if state.status == "ready":
        signin.status(config.database_url(), lang)

    def page(path: str, label: str, slug: str, icon: str, default: bool = False) -> st.Page:
        return st.Page(path, title=t(label, lang), url_path=slug, icon=icon, default=default)

    navigation = st.navigation(
        {
            t("section_view", lang): [page(*p, default=i == 0) for i, p in enumerate(PAGES)],
            t("section_data", lang): [page(*p) for p in DATA_PAGES],
        }
    )
    filters.write_url(data)  # after st.navigation, which owns the page part of the address
    navigation.run()


main()
