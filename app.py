"""The dashboard: the district's headline indicators for a year, from the store.

The page only reads the user's choices, calls `kpi`, and draws.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kpi import catalog, config, db, engine, fmt, reads
from kpi.i18n import t


@st.cache_data(ttl=300, show_spinner=False)
def headline(url: str, district: str, year: int) -> pd.DataFrame:
    """The headline indicators of a district for a year (cached per store, shared by all users)."""
    ids = tuple(i.id for i in catalog.indicators().values() if i.headline)
    query = engine.Query(ids, district, date(year, 1, 1), date(year + 1, 1, 1))
    return engine.compute(query, db.get_engine(url))


@st.cache_data(ttl=60, show_spinner=False)
def store_state(url: str) -> tuple[bool, dict | None, list[int], str | None]:
    """Whether the store is set up, its district, the years with data and the demo state."""
    store = db.get_engine(url)
    if not reads.is_ready(store):
        return False, None, [], None
    code = reads.setting("district", store)
    district = reads.unit(code, store) if code else None
    years = engine.data_years(code, store) if code else []
    return True, district, years, reads.setting(f"demo:{code}", store)


def main() -> None:
    st.set_page_config(page_title="KPI chuyển đổi số", layout="wide")
    lang = "en" if st.sidebar.toggle("English", key="english") else "vi"
    st.title(t("app_title", lang))
    url = config.database_url()
    ready, unit, years, demo_state = store_state(url)
    if not ready or not unit:
        st.info(t("err_no_store", lang))
        return
    if not years:
        st.info(t("err_no_data", lang, unit=unit["name"]))
        return
    if demo_state == "loaded":
        st.warning(t("demo_note", lang), icon="⚠️")
    year = st.sidebar.selectbox(t("year", lang), years[::-1], key="year")
    st.subheader(f"{unit['name']} — {year}")
    frame = headline(url, unit["code"], year)
    columns = st.columns(3)
    for index, row in enumerate(frame.itertuples()):
        definition = catalog.indicators()[row.indicator]
        with columns[index % 3]:
            st.metric(
                definition.name(lang),
                fmt.value(row.value, definition.unit, lang),
                delta=None if pd.isna(row.change) else fmt.signed(row.change, lang, definition.unit),
                help=definition.description(lang),
            )
            target = fmt.value(row.target, definition.unit, lang)
            reported = f"{row.units_reported}/{row.units_expected}"
            st.caption(f"{t('target', lang)}: {target} · {t('reported', lang)}: {reported}")


main()
