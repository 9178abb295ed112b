"""Số liệu đã báo cáo: which commune sent which month, late or not at all — whom to call."""

import pandas as pd
import streamlit as st

from kpi import catalog, config
from kpi.dashboard import charts, frames
from kpi.i18n import t
from kpi.periods import Period
from pages.shared import cached, widgets
from pages.shared.setup import View, page_setup


def whom_to_call(grid: pd.DataFrame, view: View) -> None:
    st.subheader(t("whom_to_call", view.lang))
    to_call = frames.whom_to_call(grid)
    if to_call.empty:
        st.success(t("all_on_time", view.lang))
        return
    statuses = {s: f"status_{s}" for s in catalog.vocabulary().statuses_to_call}
    widgets.labelled(to_call.drop(columns="unit_code"), view.lang, {"unit_name": "unit", **statuses})


def approved(view: View) -> None:
    """The periods approved for the view's units: their figures no longer change."""
    st.subheader(t("approved_periods", view.lang))
    found = cached.approvals(view.store, view.root_code, view.range)
    if found.empty:
        st.caption(t("approved_none", view.lang))
        return
    shown = found.assign(
        period=[Period.parse(c).label(view.lang) for c in found.period],
        approved_at=found.approved_at.map(lambda d: pd.Timestamp(d).strftime("%d/%m/%Y %H:%M")),
    )[["unit_name", "period", "approved_by", "approved_at"]]
    labels = {
        "unit_name": "unit",
        "period": "period",
        "approved_by": "approved_by",
        "approved_at": "approved_at",
    }
    widgets.labelled(shown, view.lang, labels)


view = page_setup("page_reporting")
lang = view.lang
widgets.heading(view)
st.caption(t("reporting_note", lang, days=config.report_deadline_days()))
grid = cached.reporting_grid(view.store, view.root_code, view.range, view.communes, view.map_id)
if not widgets.nothing(view, grid, "status"):
    counts = frames.status_counts(grid)
    for column, (status, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        column.metric(t(f"status_{status}", lang), count)
    widgets.chart(charts.reporting(grid, lang, view.present))
    symbols = catalog.vocabulary().report_statuses
    st.caption(" · ".join(f"{symbols[s]} {t(f'status_{s}', lang)}" for s in counts))
    whom_to_call(grid, view)
    approved(view)
    widgets.pack_downloads(view, None, "bao-cao")
