"""Số liệu đã báo cáo: which commune sent which month, late or not at all — whom to call."""

import streamlit as st

from kpi import charts, config
from kpi.i18n import t
from pages import common

view = common.page_setup("page_reporting")
lang = view.lang
common.heading(view)
st.caption(t("reporting_note", lang, days=config.report_deadline_days()))

grid = common.reporting_grid(view.url, view.root["code"], view.span)
if view.communes:
    grid = grid[grid.unit_code.isin(view.communes)]
if grid.empty:
    st.info(t("err_nothing_in_view", lang, unit=view.root["name"], span=common.span_label(view)))
else:
    counts = grid.status.value_counts()
    columns = st.columns(4)
    for column, status in zip(columns, ("on_time", "late", "partial", "not_reported"), strict=True):
        column.metric(t(f"status_{status}", lang), int(counts.get(status, 0)))
    common.chart(charts.reporting(grid, lang, view.present))
    st.caption(
        " · ".join(
            f"{charts.STATUS_SYMBOLS[s]} {t(f'status_{s}', lang)}"
            for s in charts.STATUS_SYMBOLS
            if s != "not_expected"
        )
    )
    to_call = (
        grid[grid.status.isin(["late", "partial", "not_reported"])]
        .groupby(["unit_code", "unit_name", "status"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=["not_reported", "partial", "late"], fill_value=0)
    )
    st.subheader(t("whom_to_call", lang))
    if to_call.empty:
        st.success(t("all_on_time", lang))
    else:
        to_call = to_call.sort_values(["not_reported", "partial", "late"], ascending=False).reset_index()
        st.dataframe(
            to_call.drop(columns="unit_code").rename(
                columns={
                    "unit_name": t("unit", lang),
                    **{s: t(f"status_{s}", lang) for s in ("not_reported", "partial", "late")},
                }
            ),
            hide_index=True,
            width="stretch",
        )
