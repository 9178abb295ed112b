"""The pack's sentences, in the district's administrative style and number formats: templates
from labels.toml filled with the figures, and nothing the figures do not support (no
comparison without a previous value, no target sentence without a target)."""

from __future__ import annotations

import pandas as pd

from kpi import catalog, fmt
from kpi.i18n import t
from kpi.meeting.content import Headline, Pack, any_illustrative, is_set
from kpi.periods import Period, Range

#: How many units a sentence names before "…" (a slide has room for few).
NAMED = 8


def period_label(span: Range, lang: str) -> str:
    """'năm 2023' for a calendar year, 'quý I/2023' for a quarter, else the months, written
    to stand inside a sentence."""
    for kind in ("year", "quarter", "month"):
        period = Period.containing(span.start, kind)
        if Range(period.start, period.end) == span:
            return period.inline_label(lang)
    return f"{span.first.inline_label(lang)} – {span.last.inline_label(lang)}"


def value_text(h: Headline, value: float | None, lang: str, illustrative: object = False) -> str:
    """A value in the indicator's unit, marked when illustrative ('41,00 %, minh họa')."""
    shown = fmt.value(value, h.indicator.unit, lang)
    return t("pack_inline_illustrative", lang, value=shown) if is_set(illustrative) else shown


def result(h: Headline, lang: str) -> str:
    """'Tỷ lệ số hóa hồ sơ khi tiếp nhận đạt 64,39 % (21.777 hồ sơ).'"""
    ind, row = h.indicator, h.total
    name = ind.name(lang)
    if not h.has_value:
        return t("pack_sentence_none", lang, name=name)
    value = fmt.value(row.value, ind.unit, lang)
    if ind.is_rate:
        unit = catalog.elements()[ind.numerator[0]].unit(lang)
        numerator = fmt.count(row.numerator, row.numerator_kind, lang)
        said = t("pack_sentence_rate", lang, name=name, value=value, numerator=numerator, unit=unit)
    else:
        said = t("pack_sentence_count", lang, name=name, value=fmt.count(row.value, row.numerator_kind, lang))
    return t("pack_sentence_illustrative", lang, sentence=said) if is_set(row.illustrative) else said


def comparison(h: Headline, span: Range, lang: str) -> str | None:
    """The change from the period before, when both have a value."""
    row = h.total
    if not h.has_value or pd.isna(row.previous_value) or pd.isna(row.change):
        return None
    key = (
        "pack_sentence_up"
        if row.change > 0
        else "pack_sentence_down"
        if row.change < 0
        else "pack_sentence_same"
    )
    return t(
        key,
        lang,
        period=period_label(span.previous(), lang),
        previous=value_text(h, row.previous_value, lang, row.previous_illustrative),
        change=_magnitude(abs(row.change), h.indicator.unit, lang),
    )


def target(h: Headline, lang: str) -> str | None:
    """Where the value stands against the target, when there is one."""
    row = h.total
    if not h.has_value or pd.isna(row.target) or pd.isna(row.gap):
        return None
    key = "pack_sentence_target_met" if row.gap >= 0 else "pack_sentence_target_short"
    shown = fmt.value(row.target, h.indicator.unit, lang)
    if is_set(row.target_illustrative):
        shown = t("mark_illustrative", lang, value=shown)
    return t(key, lang, target=shown, gap=_magnitude(abs(row.gap), h.indicator.unit, lang))


def below_target(h: Headline, lang: str) -> str | None:
    """The units short of the target, named, lowest first; or that every unit met it."""
    if not h.has_value or pd.isna(h.total.target) or h.units.gap.isna().all():
        return None
    short = h.below_target
    if short.empty:
        return _marked(t("pack_sentence_all_met", lang), h.units, lang)
    sentence = t("pack_sentence_below_target", lang, count=len(short), units=unit_list(short, h, lang))
    return _marked(sentence, short, lang)


def lowest(h: Headline, lang: str, n: int = 3) -> str | None:
    """The n units furthest behind, when there is no target to measure them against."""
    if h.units.empty:
        return None
    rows = h.units.tail(n).iloc[::-1]
    return _marked(t("pack_sentence_lowest", lang, units=unit_list(rows, h, lang)), rows, lang)


def _marked(sentence: str, rows: pd.DataFrame, lang: str) -> str:
    """A sentence about units, marked when any of their values is illustrative."""
    if any_illustrative(rows):
        return t("pack_sentence_illustrative", lang, sentence=sentence)
    return sentence


def unit_list(rows: pd.DataFrame, h: Headline, lang: str) -> str:
    """'Xã Bình Hải (41,20 %), Xã Bình Thuận (44,02 %), …'"""
    named = [
        f"{r.unit_name} ({fmt.value(r.value, h.indicator.unit, lang)})" for r in rows.head(NAMED).itertuples()
    ]
    return ", ".join(named) + (", …" if len(rows) > NAMED else "")


def status_lines(pack: Pack) -> list[str]:
    """What the data are: real, illustrative, complete or not."""
    lang, lines = pack.lang, []
    if pack.real:
        lines.append(t("pack_status_real", lang, names=", ".join(pack.real)))
    if pack.illustrative:
        lines.append(t("pack_status_illustrative", lang, names=", ".join(pack.illustrative)))
    if pack.illustrative_context:
        lines.append(t("pack_status_context", lang))
    incomplete = pack.incomplete
    lines.append(
        t("pack_status_incomplete", lang, names=", ".join(incomplete))
        if incomplete
        else t("pack_status_complete", lang)
    )
    return lines


def figures_status(illustrative: bool, lang: str, reported: str | None = None, by_unit: bool = False) -> str:
    """One line for a slide: whether its figures are illustrative (the total's, and those of the
    units under it), and how many units reported."""
    parts = [t("figures_illustrative" if illustrative else "figures_real", lang)]
    if by_unit and not illustrative:
        parts.append(t("pack_units_illustrative", lang))
    if reported:
        parts.append(f"{t('reported', lang)}: {reported}")
    return f"{t('figures', lang)}: " + " · ".join(parts)


def headline_status(h: Headline, lang: str) -> str:
    row = h.total
    reported = f"{row.units_reported}/{row.units_expected}" if h.has_value else None
    return figures_status(is_set(row.illustrative), lang, reported, h.units_illustrative)


def score_total(pack: Pack) -> str | None:
    """'Huyện Bình Sơn: 36,11 trên 57 điểm đo được', when anything is measured."""
    total = pack.score[pack.score.group == "total"].iloc[0]
    if not total.measured_points > 0:
        return None
    points, measured = fmt.number(total.points, pack.lang, 2), fmt.number(total.measured_points, pack.lang)
    return t("score_total", pack.lang, unit=pack.root["name"], points=points, measured=measured)


def group_points(group, lang: str) -> str:
    """A group's points, or that the store measures none of it."""
    return fmt.number(group.points, lang, 2) if group.measured_points > 0 else t("score_not_measured", lang)


def reporting(pack: Pack) -> str:
    """Unit-months on time, late, incomplete and missing."""
    return t(
        "pack_sentence_reporting",
        pack.lang,
        **{k: fmt.number(v, pack.lang) for k, v in pack.reporting.items()},
    )


def to_call(pack: Pack) -> str:
    """The units to call, the worst first, with what is missing."""
    if pack.to_call.empty:
        return t("pack_sentence_none_to_call", pack.lang)
    statuses = [s for s in pack.to_call.columns if s not in ("unit_code", "unit_name")]
    named = [
        f"{r['unit_name']} ("
        + ", ".join(f"{t(f'status_{s}', pack.lang).lower()} {r[s]}" for s in statuses if r[s])
        + ")"
        for r in pack.to_call.head(NAMED).to_dict("records")
    ]
    return t(
        "pack_sentence_to_call",
        pack.lang,
        units="; ".join(named) + ("; …" if len(pack.to_call) > NAMED else ""),
    )


def filters_line(pack: Pack) -> str:
    lang = pack.lang
    names = ", ".join(pack.chosen) if pack.chosen else t("pack_units_all", lang)
    return t("pack_filters", lang, map=t(f"map_{pack.map_id}", lang), units=names)


def issuer(root: dict, lang: str) -> str:
    """Who issues the report: the People's Committee of a district or commune; an area or the
    country by its name (an area has no committee)."""
    if root.get("level") in ("province", "district", "commune"):
        return t("pack_issuer", lang, unit_upper=root["name"].upper())
    return root["name"].upper()


def _magnitude(value: float, unit: str, lang: str) -> str:
    """A change or gap without its sign: '15,61 điểm %' for a rate."""
    if unit == "percent":
        return t("points", lang, points=fmt.number(value, lang, 2))
    return fmt.value(value, unit, lang)
