"""Mức độ hài lòng: survey answers by level for each agency and commune, and the rate over time."""

import streamlit as st

from kpi import catalog, charts, fmt
from kpi.i18n import t
from pages import common

view = common.page_setup("page_satisfaction")
lang = view.lang
root = view.root["code"]
common.heading(view)

rates = common.compute(view.url, ("satisfaction_rate", "very_satisfied_rate"), root, view.span)
if not common.nothing(view, rates):
    columns = common.metrics(rates, view, columns=3)
    columns[2].metric(t("answers", lang), fmt.number(rates.denominator.iloc[0], lang))

    levels = common.survey_levels(view.url, root, view.span)
    if not common.nothing(view, levels, "survey_very_satisfied"):
        common.chart(charts.survey_stacked(levels, lang, view.present))
        names = {e: catalog.elements()[e].name(lang) for e in levels.columns if e.startswith("survey_")}
        shown = levels.drop(columns="unit_code").rename(columns={"unit_name": t("unit", lang), **names})
        st.dataframe(
            shown.set_index(t("unit", lang)).map(lambda v: fmt.number(v, lang)),
            width="stretch",
        )

    ind = catalog.indicators()["satisfaction_rate"]
    over_time = common.compute(view.url, (ind.id,), root, view.span, grain=view.grain)
    if not common.nothing(view, over_time):
        common.chart(charts.trend(over_time, ind, lang, view.grain, view.present))
