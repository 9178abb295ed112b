"""Whatever bytes arrive, the importer answers with a report or a readable refusal: never an
exception of its own, never a value stored from a file with errors (Hypothesis)."""

from __future__ import annotations

import io
import random
import tracemalloc
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from kpi.imports import checking, storing
from kpi.imports.reading import ReadError
from kpi.store import db, setup
from tests.helpers import assert_same, snapshot

TODAY = date(2026, 11, 29)
CELLS = st.one_of(
    st.sampled_from(["21043", "21040", "Xã Bình Thạnh", "2025-03", "Quý I/2025", "Năm 2024", "10", "21.777"]),
    st.sampled_from(
        ["1,234", "64,39%", "-3", "45809", "Năm 0001", '"', "\n", ";", "\t", "=1+1", "", "x" * 300]
    ),
    st.text(max_size=12),
)
HEADERS = ["Mã xã", "Tên đơn vị", "Kỳ", "Số hồ sơ tiếp nhận", "Số hồ sơ số hóa", "Chỉ tiêu", "Giá trị", "Năm"]
TABLES = st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=8)
MEMORY = 64 * 2**20  # a file of a few hundred bytes; one that declared a huge sheet took gigabytes
pytestmark = pytest.mark.slow  # a few hundred files checked: minutes, left out of --quick
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    url = f"duckdb:///{tmp_path_factory.mktemp('fuzz') / 'kpi.duckdb'}"
    setup.initialise(db.get_engine(url))
    return url


def answers(store: str, data: bytes, name: str) -> None:
    """The importer reads the file or refuses it in words, within MEMORY; what has errors
    stores nothing. (Time is bounded by the importer itself: KPI_IMPORT_MAX_SECONDS.)"""
    engine = db.get_engine(store)
    tracemalloc.start()
    try:
        report = checking.check(data, name, engine, today=TODAY)
    except ReadError as refusal:
        assert refusal.text("vi") and refusal.text("en")
        return
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < MEMORY, f"{peak / 2**20:.0f} MiB for {len(data)} bytes"
    for problem in report.problems:
        assert problem.message("vi") and problem.message("en")
    if report.errors:
        before = snapshot(store)
        with pytest.raises(storing.ImportRefused):
            storing.apply(report, engine)
        assert_same(before, snapshot(store))


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(store, data):
    answers(store, data, "random.csv")


@FUZZ
@given(TABLES, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-16", "cp1258"]))
def test_random_csv_under_a_real_header(store, rows, delimiter, encoding):
    header = random.Random(len(rows)).sample(HEADERS, 4)
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    answers(store, "\n".join(lines).encode(encoding, errors="replace"), "fuzz.csv")


@FUZZ
@given(TABLES, st.integers(min_value=0, max_value=3))
def test_random_xlsx_under_a_real_header(store, rows, hidden):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS[:5])
    try:
        for row in rows:
            sheet.append(row)
    except IllegalCharacterError:  # openpyxl will not write control characters: no one sends them
        return
    if hidden == 1:
        book.create_sheet("Khác").append(["x"])
        sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    answers(store, buffer.getvalue(), "fuzz.xlsx")
