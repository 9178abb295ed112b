"""The whole 2023 report on screen: every number of the district's report is a stored figure
or is said not to be one (and why), and every stored figure is shown, as written, on the page
where a leader would look for it."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kpi import catalog, config, fmt
from kpi.dashboard import figures
from tests.helpers import run_page

pytestmark = pytest.mark.slow

REPORT = config.DEFINITIONS_DIR / "source" / "bao-cao-khcn-2023-binh-son.txt"
#: Numbers whose shape says they count nothing: dates, months, years, document numbers and
#: standards (section numbers, "4.1. Về tình hình…" at the start of a line, are dropped first).
NOT_COUNTS = (
    r"\b\d{1,2}/\d{1,2}/\d{4}\b",
    r"\b\d{1,2}/\d{4}\b",
    r"\bsố \d+/[^\s,;.)]+",
    r"\b(?:ISO |TCVN )+\d+:\d{4}\b",
    r"\b\d{4}\b",
)
SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.\s+", re.MULTILINE)
#: The page a leader looks at for an element's group.
PAGE_OF_GROUP = {"tthc": "digitisation", "survey": "satisfaction", "contest": "contests", "report": "science"}


def report_text() -> str:
    """The report's words in one line, without emphasis marks or section numbers."""
    text = SECTION_NUMBER.sub("", REPORT.read_text(encoding="utf-8").replace("*", ""))
    return " ".join(text.split())


def quoted_spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    """Where each piece of each quote stands in the report (every place it is said)."""
    spans = []
    for quote in quotes:
        for piece in quote.split("..."):
            found = [(m.start(), m.end()) for m in re.finditer(re.escape(piece.strip()), text)]
            assert found, piece
            spans += found
    return spans


def test_every_number_of_the_report_is_a_figure_or_said_not_to_be_one():
    text = report_text()
    quotes = [f.quote for f in catalog.report_figures()]
    quotes += [n["quote"] for n in catalog.report_2023()["not_figures"]]
    spans = quoted_spans(text, quotes)
    masked = text
    for shape in NOT_COUNTS:
        masked = re.sub(shape, lambda m: " " * len(m.group()), masked)
    left = [
        text[max(0, m.start() - 50) : m.end() + 30]
        for m in re.finditer(r"\d+(?:[.,]\d+)*", masked)
        if not any(start <= m.start() < end for start, end in spans)
    ]
    assert not left, left


def page_text(at: AppTest) -> str:
    """What a page shows as text: cards, captions, headings, notes and tables (cells joined by
    '|', so that a name and its value are found side by side)."""
    parts = [f"{m.label}|{m.value}" for m in at.metric]
    parts += [str(e.value) for e in [*at.caption, *at.markdown, *at.subheader, *at.info]]
    parts += [d.value.to_csv(sep="|", index=False) for d in at.dataframe]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def shown(demo_url, monkeypatch_module) -> dict[tuple[str, int], str]:
    """The text of each page for each year the report gives figures of."""
    texts = {}
    for year in sorted({f.year for f in catalog.report_figures()}):
        for page in PAGE_OF_GROUP.values():
            st.cache_data.clear()
            at = run_page(page, demo_url, monkeypatch_module, span=(f"{year}-01", f"{year}-12"))
            assert not at.exception, (page, year)
            texts[(page, year)] = page_text(at)
    return texts


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("figure", catalog.report_figures(), ids=lambda f: f.id)
def test_every_figure_of_the_report_is_on_its_page(figure, shown):
    element = catalog.elements()[figure.element]
    text = shown[(PAGE_OF_GROUP[element.group], figure.year)]
    if element.group == "tthc":  # the counts under the rate's card: "21.777 / ≈ 33.821 hồ sơ"
        assert fmt.count(figure.value, figure.kind) in text, figure.id
    else:  # a row of a listing: the element's name beside the value as written
        value = figures.value_text(figure.value, figure.kind, element, "vi")
        assert f"{element.name('vi')}|{value}|" in text, (figure.id, value)
