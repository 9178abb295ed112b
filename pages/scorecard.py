"""Chỉ số 766: the unit's score on the national index over what the store measures, each
commune's score and groups, and what it would take to reach each threshold."""

import pandas as pd
import streamlit as st

from kpi import fmt, scorecard
from kpi.dashboard import charts
from kpi.i18n import t
from kpi.meeting.content import any_illustrative
from pages.shared import cached, widgets
from pages.shared.setup import View, page_setup


def scores(view: View, totals: pd.DataFrame) -> None:
    """The total over the points measured, then each group's."""
    lang = view.lang
    row = totals[totals.group == "total"].iloc[0]
    groups = totals[(totals.group != "total")]
    st.metric(
        t("score_metric", lang),
        t(
            "score_points",
            lang,
            points=fmt.number(row.points, lang, 2),
            max=fmt.number(row.measured_points, lang),
        ),
        help=t("score_metric_help", lang),
    )
    slots = st.columns(2 if view.present else 3)
    for index, group in enumerate(groups.itertuples()):
        measured = group.measured_points > 0
        shown = fmt.number(group.points, lang, 2) if measured else "—"
        slots[index % len(slots)].metric(
            t(f"group_{group.group}", lang).capitalize(),
            t("score_points", lang, points=shown, max=fmt.number(group.max_points, lang)),
            help=None if measured else t("score_not_measured", lang),
        )


def what_it_takes(view: View, by_unit: pd.DataFrame) -> None:
    """The items below their threshold, unit by unit, where a dossier earns the most points."""
    lang = view.lang
    st.subheader(t("score_gaps", lang))
    st.caption(t("score_gaps_note", lang))
    gaps = by_unit[by_unit.to_threshold.fillna(0) > 0].sort_values("points_per_dossier", ascending=False)
    if gaps.empty:
        st.success(t("score_no_gaps", lang))
        return
    shown = cached.scorecard_table(gaps, lang).copy()
    shown[t("score_col_points_to_gain", lang)] = [fmt.number(v, lang, 2) for v in gaps.points_to_gain]
    st.dataframe(shown, hide_index=True, width="stretch")


view = page_setup("page_scorecard")
lang = view.lang
widgets.heading(view)
version = scorecard.version_on(view.range.end)
st.caption(t("score_source", lang, source=version.source(lang), note=version.note(lang)))
card, by_unit, card_totals, unit_totals = cached.scorecards(
    view.store, view.root_code, view.range, view.map_id
)
if not widgets.nothing(view, card.assign(value=card.value.astype(float)), "value"):
    if any_illustrative(card):  # some items summed demo values
        st.badge(t("figures_illustrative", lang), icon=":material/science:", color="orange")
    scores(view, card_totals)
    st.dataframe(cached.scorecard_table(card, lang), hide_index=True, width="stretch")
    if view.communes:
        by_unit = by_unit[by_unit.unit_code.isin(view.communes)]
        unit_totals = unit_totals[unit_totals.unit_code.isin(view.communes)]
    if by_unit.measured.any():
        widgets.chart(charts.scores(unit_totals, lang, view.present))
        what_it_takes(view, by_unit)
    widgets.pack_downloads(view, None, "chi-so-766")
