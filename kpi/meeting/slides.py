"""The meeting pack as PowerPoint (python-pptx): a cover with the unit, the period, the filters
and what the data are; a slide per indicator with a native chart that PowerPoint and
LibreOffice can edit, its value, target, change and the units behind; the 766 scorecard; the
reporting status; sources and notes. Every slide says what its figures are and links (and
points a QR code) to the same view live."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.slide import Slide
from pptx.util import Inches, Pt

from kpi import fmt
from kpi.i18n import t
from kpi.meeting import links
from kpi.meeting import sentences as said
from kpi.meeting.content import Headline, Pack, any_illustrative

WIDE, HIGH = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
INK, MUTED = RGBColor(0x11, 0x11, 0x11), RGBColor(0x44, 0x44, 0x44)
BLUE, VERMILION = RGBColor(0x00, 0x72, 0xB2), RGBColor(0xD5, 0x5E, 0x00)  # Okabe–Ito, as on screen
CHART_UNITS = 32  # a bar per unit; more would be unreadable


def build(pack: Pack) -> bytes:
    """The .pptx file of the pack."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    cover(deck, pack)
    for headline in pack.headlines:
        indicator_slide(deck, pack, headline)
    scorecard_slide(deck, pack)
    reporting_slide(deck, pack)
    sources_slide(deck, pack)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _slide(deck: Presentation, title: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank: every shape is ours
    _text(slide, title, MARGIN, Inches(0.3), WIDE - 2 * MARGIN, Inches(0.9), 30, bold=True)
    return slide


def _text(slide: Slide, text: str, left, top, width, height, size: int, bold: bool = False, color=INK):
    """A text box, one paragraph per line of text."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
    return frame


def _footer(slide: Slide, status: str, link: str, lang: str) -> None:
    """What the figures are, and the link and QR code to the same view live."""
    top = HIGH - Inches(1.05)
    _text(slide, status, MARGIN, top, Inches(10.3), Inches(0.45), 13, color=MUTED)
    frame = _text(
        slide, t("pack_live", lang, link=""), MARGIN, top + Inches(0.45), Inches(10.3), Inches(0.4), 12
    )
    run = frame.paragraphs[0].add_run()
    run.text = link
    run.font.size = Pt(12)
    run.hyperlink.address = link
    side = Inches(0.95)
    slide.shapes.add_picture(
        io.BytesIO(links.qr_png(link)), WIDE - MARGIN - side, HIGH - side - Inches(0.1), side, side
    )


def cover(deck: Presentation, pack: Pack) -> None:
    lang = pack.lang
    slide = _slide(deck, t("pack_title", lang, unit=pack.root["name"]))
    period = t("pack_period", lang, period=said.period_label(pack.span, lang))
    _text(slide, period, MARGIN, Inches(1.4), WIDE - 2 * MARGIN, Inches(0.6), 26, bold=True)
    _text(slide, said.filters_line(pack), MARGIN, Inches(2.1), WIDE - 2 * MARGIN, Inches(0.5), 18)
    status = "\n".join(said.status_lines(pack))
    _text(slide, status, MARGIN, Inches(2.8), WIDE - 2 * MARGIN, Inches(3.2), 18)
    _footer(slide, fmt.day(date.today(), lang), pack.link, lang)


def indicator_slide(deck: Presentation, pack: Pack, h: Headline) -> None:
    """The value, target, change and the units short of it; a bar per unit beside them."""
    lang = pack.lang
    slide = _slide(deck, h.indicator.name(lang))
    value = said.value_text(h, h.total.value, lang, h.total.illustrative)
    _text(slide, value, MARGIN, Inches(1.2), Inches(5.2), Inches(1.1), 54, bold=True)
    lines = [said.result(h, lang), said.comparison(h, pack.span, lang), said.target(h, lang)]
    lines.append(said.below_target(h, lang) or said.lowest(h, lang))
    _text(slide, "\n".join(x for x in lines if x), MARGIN, Inches(2.4), Inches(5.2), Inches(3.8), 15)
    if not h.units.empty:
        _units_chart(slide, h, lang)
    _footer(slide, said.headline_status(h, lang), h.link, lang)


def _units_chart(slide: Slide, h: Headline, lang: str) -> None:
    """A native bar chart of the units' values, short of the target in vermilion."""
    rows = h.units.head(CHART_UNITS).iloc[::-1]  # the chart draws its first category at the bottom
    data = CategoryChartData(number_format="0.00" if h.indicator.unit == "percent" else "#,##0")
    data.categories = list(rows.unit_name)
    data.add_series(t("pack_chart_series", lang), [float(v) for v in rows.value])
    left, top = Inches(6.0), Inches(1.2)
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, left, top, WIDE - left - MARGIN, Inches(5.1), data
    ).chart
    chart.has_legend = False
    chart.has_title = True
    by_unit = t("pack_chart_by_unit", lang)
    if h.units_illustrative:
        by_unit = t("mark_illustrative", lang, value=by_unit)
    chart.chart_title.text_frame.text = by_unit
    chart.font.size = Pt(9)
    chart.value_axis.has_major_gridlines = True
    series = chart.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = BLUE
    for index, gap in enumerate(rows.gap):
        if pd.notna(gap) and gap < 0:  # below the target (no target: never below)
            point = series.points[index].format.fill
            point.solid()
            point.fore_color.rgb = VERMILION


def scorecard_slide(deck: Presentation, pack: Pack) -> None:
    """Points per group of the 766 index over what is measured, as a native chart and a table."""
    lang = pack.lang
    slide = _slide(deck, t("pack_section_766", lang))
    groups = pack.score[pack.score.group != "total"]
    if line := said.score_total(pack):
        _text(slide, line, MARGIN, Inches(1.2), WIDE - 2 * MARGIN, Inches(0.6), 20, bold=True)
    data = CategoryChartData(number_format="0.00")
    data.categories = [t(f"group_{g}", lang) for g in groups.group]
    data.add_series(t("score_col_points", lang), [_or_zero(v) for v in groups.points])
    data.add_series(t("score_col_max", lang), [float(v) for v in groups.measured_points])
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, MARGIN, Inches(1.9), Inches(7.4), Inches(4.4), data
    ).chart
    chart.font.size = Pt(11)
    _score_table(slide, groups, lang)
    status = said.figures_status(any_illustrative(pack.card[pack.card.measured]), lang)
    _footer(slide, status, links.view_url("scorecard", pack.span, pack.map_id, lang), lang)


def _score_table(slide: Slide, groups, lang: str) -> None:
    heads = [t("score_col_group", lang), t("score_col_points", lang), t("score_col_max", lang)]
    shape = slide.shapes.add_table(len(groups) + 1, 3, Inches(8.2), Inches(1.9), Inches(4.6), Inches(3.5))
    table = shape.table
    for column, head in enumerate(heads):
        table.cell(0, column).text = head
    for row, g in enumerate(groups.itertuples(), start=1):
        cells = [
            t(f"group_{g.group}", lang),
            said.group_points(g, lang),
            f"{fmt.number(g.measured_points, lang)} / {fmt.number(g.max_points, lang)}",
        ]
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    _table_font(table, 12)


def reporting_slide(deck: Presentation, pack: Pack) -> None:
    """Unit-months by status, and whom to call."""
    lang = pack.lang
    slide = _slide(deck, t("pack_section_reporting", lang))
    _text(slide, said.reporting(pack), MARGIN, Inches(1.2), WIDE - 2 * MARGIN, Inches(1.0), 18)
    data = CategoryChartData(number_format="#,##0")
    data.categories = [t(f"status_{s}", lang) for s in pack.reporting]
    data.add_series(t("pack_chart_series", lang), [float(n) for n in pack.reporting.values()])
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, MARGIN, Inches(2.3), Inches(6.0), Inches(3.9), data
    ).chart
    chart.has_legend = False
    chart.font.size = Pt(12)
    _text(slide, said.to_call(pack), Inches(6.8), Inches(2.3), Inches(6.0), Inches(3.9), 15)
    _footer(
        slide,
        "\n".join(said.status_lines(pack)[-1:]),
        links.view_url("reporting", pack.span, pack.map_id, lang),
        lang,
    )


def sources_slide(deck: Presentation, pack: Pack) -> None:
    lang = pack.lang
    slide = _slide(deck, t("pack_section_sources", lang))
    body = [t("pack_sources", lang, day=fmt.day(date.today(), lang)), *said.status_lines(pack)]
    _text(slide, "\n".join(body), MARGIN, Inches(1.2), WIDE - 2 * MARGIN, Inches(4.8), 16)
    _footer(slide, said.filters_line(pack), pack.link, lang)


def _table_font(table, size: int) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _or_zero(value: float) -> float:
    """A group not measured draws no bar (its table row says so)."""
    return 0.0 if pd.isna(value) else float(value)
