"""Khoa học, công nghệ và ĐMST: the report's figures that no other page shows (documents, ISO,
inspections, classes, extension, models, the start-up club and OCOP, the 100 % shares), each
as stored, with its date or period, its kind and the report's words."""

import streamlit as st

from kpi import catalog
from kpi.dashboard import figures
from kpi.i18n import t
from pages.shared import cached, filters, widgets
from pages.shared.setup import View, page_setup

COUNTS = catalog.vocabulary().page_indicators["science"]


def sections(view: View, listed) -> None:
    """One table per section of the page, in the order of the definitions."""
    st.caption(t("science_intro", view.lang))
    for section in catalog.vocabulary().science_sections:
        rows = listed[listed.section == section]
        if rows.empty:
            continue
        st.subheader(t(f"science_{section}", view.lang))
        st.dataframe(figures.table(rows, view.lang), hide_index=True, width="stretch")


def latest_figures(view: View) -> None:
    """The figures are yearly and a range may hold none: say which year has the latest, and
    offer to show it."""
    year = cached.latest_figures_year(view.store, view.root_code, view.map_id)
    if year is None:
        return
    st.info(t("science_latest", view.lang, year=year))
    st.button(t("contests_show_year", view.lang, year=year), on_click=filters.show_year, args=(year,))


view = page_setup("page_science")
widgets.heading(view)
(totals,) = cached.computed(view.store, (view.query(COUNTS),))
listed = cached.listed_figures(view.store, view.root_code, view.range, view.communes, view.map_id)
if listed.empty and totals.value.isna().all():
    widgets.nothing(view, totals)
    latest_figures(view)
else:
    widgets.metrics(totals, view)
    sections(view, listed)
    widgets.pack_downloads(view, COUNTS, "khcn-dmst")
