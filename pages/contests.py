"""Thi khoa học kỹ thuật: prizes by rank, level and year, and the communes that won them."""

import streamlit as st

from kpi import charts
from kpi.i18n import t
from pages import common

view = common.page_setup("page_contests")
lang = view.lang
root = view.root["code"]
common.heading(view)

totals = common.compute(view.url, ("contest_prizes", "province_contest_prizes"), root, view.span)
if not common.nothing(view, totals):
    common.metrics(totals, view)

    prizes = common.prizes(view.url, root, view.span)
    if not common.nothing(view, prizes):
        common.chart(charts.prizes_by_rank(prizes, lang, view.present))
        won = prizes[prizes.value > 0]
        if view.communes:
            won = won[won.unit_code.isin(view.communes)]
        table = won.pivot_table(
            index=["year", "unit_name", "level"], columns="rank", values="value", aggfunc="sum", fill_value=0
        ).reindex(columns=["first", "second", "third", "consolation"], fill_value=0)
        table["total"] = table.sum(axis=1)
        table = table.reset_index().sort_values(["year", "total"], ascending=[False, False])
        st.subheader(t("winners", lang))
        st.caption(t("winners_note", lang))
        st.dataframe(
            table.assign(level=table.level.map(lambda lv: t(f"level_{lv}", lang))).rename(
                columns={
                    "year": t("year", lang),
                    "unit_name": t("unit", lang),
                    "level": t("contest_level", lang),
                    **{r: t(f"rank_{r}", lang) for r in ("first", "second", "third", "consolation")},
                    "total": t("total", lang),
                }
            ),
            hide_index=True,
            width="stretch",
        )
