"""The meeting pack as a Word report (python-docx) in the district's administrative style: the
issuing committee and the national motto side by side, the title, numbered sections whose
sentences are filled from the figures ("Tỷ lệ số hóa hồ sơ khi tiếp nhận đạt 64,39 % (21.777
hồ sơ)"), a table of the units for each indicator, and the place, date, recipients and signer
left for the analyst to complete and sign."""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Emu, Pt

from kpi import fmt
from kpi.i18n import t
from kpi.meeting import sentences as said
from kpi.meeting.content import Headline, Pack

PLACE_KIND = re.compile(r"^(Huyện|Xã|Thị trấn|Phường|Tỉnh|Thành phố|Khu vực)\s+")  # "Bình Sơn, ngày …"
FONT = "Times New Roman"  # the font of administrative documents (Nghị định 30/2020/NĐ-CP)
ROMAN = ("I", "II", "III", "IV", "V", "VI")
TABLE_UNITS = 40


def build(pack: Pack) -> bytes:
    """The .docx file of the pack."""
    doc = Document()
    _page(doc)
    _heading_block(doc, pack)
    _sections(doc, pack)
    _closing(doc, pack)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc: Document) -> None:
    """A4, the margins and the 13-point Times New Roman of administrative documents."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.paragraph_format.space_after = Pt(6)


def _para(where, text: str, bold: bool = False, align=None, size: int | None = None, italic: bool = False):
    """A paragraph of one run, in the document or a table cell."""
    paragraph = where.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.name = FONT
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _heading_block(doc: Document, pack: Pack) -> None:
    """Issuer and motto side by side, then the title and the subject."""
    lang = pack.lang
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _widths(table, (Cm(6), Cm(10)))
    for cell, text in ((left, said.issuer(pack.root, lang)), (right, t("pack_nation", lang))):
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(12)  # the national title on one line, as in the report
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, t("pack_motto", lang), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    today = date.today()
    place = PLACE_KIND.sub("", pack.root["name"])
    when = t("pack_place_date", lang, place=place, date=fmt.long_day(today, lang))
    _para(right, when, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12)
    _para(doc, t("pack_report", lang), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    subject = t("pack_report_subject", lang, period=said.period_label(pack.span, lang))
    _para(doc, subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, said.filters_line(pack), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12)


def _sections(doc: Document, pack: Pack) -> None:
    lang = pack.lang
    parts = [
        (t("pack_section_results", lang), _results),
        (t("pack_section_766", lang), _scorecard),
        (t("pack_section_reporting", lang), _reporting),
        (t("pack_section_sources", lang), _sources),
    ]
    for number, (title, write) in zip(ROMAN, parts, strict=False):
        _para(doc, f"{number}. {title.upper()}", bold=True)  # the headings of an administrative report
        write(doc, pack)


def _results(doc: Document, pack: Pack) -> None:
    """A numbered paragraph per indicator, and its units' table."""
    lang = pack.lang
    for number, h in enumerate(pack.headlines, start=1):
        _para(doc, f"{number}. {h.indicator.name(lang)}", bold=True, italic=True)
        lines = [said.result(h, lang), said.comparison(h, pack.span, lang), said.target(h, lang)]
        lines.append(said.below_target(h, lang))
        _para(doc, " ".join(x for x in lines if x)).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if not h.units.empty:
            _units_table(doc, h, lang)


def _units_table(doc: Document, h: Headline, lang: str) -> None:
    """Unit, value, numerator and denominator (a rate), target gap: best first."""
    columns = [t("pack_table_unit", lang), t("value", lang)]
    if h.indicator.is_rate:
        columns += [t("numerator", lang), t("denominator", lang)]
    columns.append(t("gap", lang))
    rows = h.units.head(TABLE_UNITS)
    table = doc.add_table(rows=len(rows) + 1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rest = Emu((Cm(16) - Cm(5.5)) // (len(columns) - 1))
    _widths(table, (Cm(5.5), *[rest] * (len(columns) - 1)))
    for column, head in enumerate(columns):
        table.cell(0, column).paragraphs[0].add_run(head).bold = True
    for index, r in enumerate(rows.itertuples(), start=1):
        cells = [r.unit_name, fmt.value(r.value, h.indicator.unit, lang)]
        if h.indicator.is_rate:
            cells += [
                fmt.count(r.numerator, r.numerator_kind, lang),
                fmt.count(r.denominator, r.denominator_kind, lang),
            ]
        cells.append(fmt.signed(r.gap, lang, h.indicator.unit))
        for column, text in enumerate(cells):
            table.cell(index, column).text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(11)
    if h.units_illustrative:
        _para(doc, t("pack_units_illustrative", lang).capitalize() + ".", italic=True, size=11)
    else:
        doc.add_paragraph()


def _widths(table, widths) -> None:
    """Column widths that Word and LibreOffice both keep (the grid and every cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _scorecard(doc: Document, pack: Pack) -> None:
    lang = pack.lang
    if line := said.score_total(pack):
        _para(doc, line)
    for g in pack.score[pack.score.group != "total"].itertuples():
        points = said.group_points(g, lang)
        _para(doc, f"- {t(f'group_{g.group}', lang)}: {points} / {fmt.number(g.measured_points, lang)}")


def _reporting(doc: Document, pack: Pack) -> None:
    _para(doc, said.reporting(pack))
    _para(doc, said.to_call(pack))


def _sources(doc: Document, pack: Pack) -> None:
    lang = pack.lang
    _para(doc, t("pack_sources", lang, day=fmt.day(date.today(), lang)))
    for line in said.status_lines(pack):
        _para(doc, f"- {line}")
    _para(doc, t("pack_live", lang, link=pack.link), italic=True, size=11)


def _closing(doc: Document, pack: Pack) -> None:
    """Recipients on the left, the signer on the right, for the analyst to complete."""
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    recipients = t("pack_recipients", pack.lang).split("\n")
    left.paragraphs[0].add_run(recipients[0]).bold = True
    for line in recipients[1:]:
        _para(left, line, size=11)
    for index, line in enumerate(t("pack_signer", pack.lang).split("\n")):
        paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
        paragraph.add_run(line).bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
