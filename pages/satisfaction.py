"""Mức độ hài lòng: survey answers by level for each agency and commune, and the rate over time."""

import pandas as pd
import streamlit as st

from kpi import catalog, fmt
from kpi.dashboard import charts
from kpi.i18n import t
from pages.shared import cached, widgets
from pages.shared.setup import View, page_setup

RATES = catalog.vocabulary().page_indicators["satisfaction"]
OWN = ("survey_responses", *catalog.vocabulary().survey_levels)  # the district's own answers


def levels(view: View, answers: pd.DataFrame) -> None:
    """Answers by level for each unit: a stacked chart and its table."""
    if widgets.nothing(view, answers, catalog.vocabulary().survey_levels[0]):
        return
    widgets.chart(charts.survey_stacked(answers, view.lang, view.present))
    names = {e: catalog.elements()[e].name(view.lang) for e in catalog.vocabulary().survey_levels}
    shown = answers.drop(columns="unit_code").rename(columns={"unit_name": t("unit", view.lang), **names})
    st.dataframe(
        shown.set_index(t("unit", view.lang)).map(lambda v: fmt.number(v, view.lang)), width="stretch"
    )


def over_time(view: View, rate: pd.DataFrame) -> None:
    ind = catalog.indicators()[RATES[0]]
    if not widgets.nothing(view, rate):
        widgets.chart(charts.trend(rate, ind, view.lang, view.grain, view.present))


view = page_setup("page_satisfaction")
widgets.heading(view)
# The page's three reads at once; the own figures are then found in their cache below.
(rates, over_months), answers, _ = cached.together(
    cached.computed_soon(view.store, (view.query(RATES), view.query(RATES[:1], grain=view.grain))),
    cached.survey_levels_soon(view.store, view.root_code, view.range, view.communes, view.map_id),
    cached.own_figures_soon(view.store, view.root_code, view.range, OWN, view.map_id),
)
if not widgets.nothing(view, rates):
    free = widgets.metrics(rates, view, columns=3)
    free[0].metric(t("answers", view.lang), fmt.number(rates.denominator.iloc[0], view.lang))
    levels(view, answers)
    widgets.own_figures(view, OWN)
    over_time(view, over_months)
    widgets.pack_downloads(view, RATES, "hai-long")
