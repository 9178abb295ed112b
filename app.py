"""The dashboard: the district's headline indicators for a year, from the store.

The page only reads the user's choices, calls `kpi`, and draws.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kpi import catalog, engine, fmt, reads
from kpi.i18n import t


@st.cache_data(ttl=300, show_spinner=False)
def headline(district: str, year: int) -> pd.DataFrame:
    """The headline indicators of a district for a year (cached: shared by all users)."""
    ids = tuple(i.id for i in catalog.indicators().values() if i.headline)
    return engine.compute(engine.Query(ids, district, date(year, 1, 1), date(year + 1, 1, 1)))


@st.cache_data(ttl=300, show_spinner=False)
def store_state() -> tuple[bool, str | None, list[int], str | None]:
    """Whether the store is set up, its district, the years with data and the demo state."""
    if not reads.is_ready():
        return False, None, [], None
    district = reads.setting("district")
    years = engine.data_years(district) if district else []
    return True, district, years, reads.setting(f"demo:{district}")


def main() -> None:
    st.set_page_config(page_title="KPI chuyển đổi số", layout="wide")
    lang = "en" if st.sidebar.toggle("English", key="english") else "vi"
    st.title(t("app_title", lang))
    ready, district, years, demo_state = store_state()
    if not ready or not district:
        st.info(t("err_no_store", lang))
        return
    unit = reads.unit(district) or {"name": district}
    if not years:
        st.info(t("err_no_data", lang, unit=unit["name"]))
        return
    if demo_state == "loaded":
        st.warning(t("demo_note", lang), icon="⚠️")
    year = st.sidebar.selectbox(t("period", lang), years[::-1], key="year")
    st.subheader(f"{unit['name']} — {year}")
    frame = headline(district, year)
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
