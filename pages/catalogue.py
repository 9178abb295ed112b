"""Chỉ số: every indicator with its definition, formula, unit, targets and data sources,
generated from the one definition in kpi/definitions."""

import streamlit as st

from kpi import catalog, fmt, scorecard
from kpi.i18n import t
from pages.shared import cached
from pages.shared.setup import View, page_setup


def index_766_line(item: scorecard.Item, view: View) -> str:
    """Where the 766 index scores an indicator: group, points, threshold, and the basis in full;
    a choice of the product's is said to be one."""
    lang = view.lang
    version = scorecard.version_on(view.range.end)
    threshold = fmt.percent(item.threshold, lang)
    if item.threshold_basis == "assumption":
        threshold = t("score_assumption", lang, value=threshold)
    points = fmt.number(item.points, lang)
    if item.points_basis == "assumption":
        points = t("score_assumption", lang, value=points)
    return (
        f"**{t('index_766', lang)}:** {t(f'group_{item.group}', lang)} · {points} "
        f"{t('score_col_points', lang).lower()} · {t('full_marks_at', lang)} {threshold} · "
        f"{version.source(lang)}"
    )


def basis_lines(ind: catalog.Indicator, lang: str) -> str:
    """The legal texts the indicator rests on, in full, or that none defines it."""
    if not ind.basis:
        return f"**{t('legal_basis', lang)}:** {t('legal_basis_none', lang)}"
    texts = [catalog.legal_bases()[b] for b in ind.basis]
    cited = [t("legal_basis_sets", lang, citation=b.citation(lang), sets=b.sets(lang)) for b in texts]
    return f"**{t('legal_basis', lang)}:**\n" + "\n".join(f"- {c}" for c in cited)


view = page_setup("page_catalogue")
lang = view.lang
elements = catalog.elements()
for row in cached.catalogue(view.store).itertuples():
    ind = row.indicator
    with st.expander(f"**{ind.name(lang)}** — `{ind.id}`", expanded=view.present):
        st.write(ind.description(lang))
        st.markdown(f"**{t('formula', lang)}:** {ind.formula(lang)}")
        st.markdown(
            f"**{t('indicator_unit', lang)}:** {t(f'unit_{ind.unit}', lang)} · "
            f"{t('direction_up' if ind.higher_is_better else 'direction_down', lang)}"
        )
        st.markdown(basis_lines(ind, lang))
        if item := scorecard.item_of(ind.id, view.range.end):
            st.markdown(index_766_line(item, view))
        if row.targets:
            targets = ", ".join(
                f"{year}: {fmt.value(v, ind.unit, lang)}" for year, v in sorted(row.targets.items())
            )
            note = f" ({t('illustrative', lang)})" if row.targets_demo else ""
            st.markdown(f"**{t('target', lang)}:** {targets}{note}")
        else:
            st.markdown(f"**{t('target', lang)}:** —")
        sources = []
        for e in ind.element_ids:
            who = ", ".join(
                t(f"level_{level}", lang) + (f" ({fmt.lifetime(start, end, lang)})" if start or end else "")
                for level, start, end in elements[e].reporters()
            )
            often = t(f"grain_{elements[e].frequency}", lang).lower()
            sources.append(f"{elements[e].name(lang)} (`{e}`) — {who}, {often}")
        st.markdown(f"**{t('data_sources', lang)}:**\n" + "\n".join(f"- {s}" for s in sources))
