"""Ordinary file mistakes that used to store part of a file: each is refused with the row and
column named, and nothing is stored (issue: imports that cannot be fooled)."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from kpi.imports import checking, reading, storing
from kpi.imports.reading import ReadError
from kpi.store import db, setup
from tests.conftest import copied
from tests.helpers import assert_same, snapshot

TODAY = date(2026, 11, 29)
HEADER = "Mã xã,Tên đơn vị,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory, demo_template) -> str:
    """One copy of the built-in store for the module: every refusal leaves it as it was."""
    return copied(demo_template, tmp_path_factory.mktemp("refusals"))


def refused(store: str, data: bytes, name: str = "x.csv") -> checking.Report:
    """Check a file, and prove that applying it is refused and stores nothing."""
    before = snapshot(store)
    report = checking.check(data, name, db.get_engine(store), today=TODAY)
    assert report.errors
    with pytest.raises(storing.ImportRefused):
        storing.apply(report, db.get_engine(store))
    assert_same(before, snapshot(store))
    return report


def at(report: checking.Report, row: int) -> list[tuple[str | None, str]]:
    return [(p.column, p.message()) for p in report.errors if p.row == row]


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ("Năm 0001", "trước năm 2015"),
        ("2026", "chưa kết thúc"),
        ("Quý IV/2026", "chưa kết thúc"),
        ("2026-11", "chưa kết thúc"),
        ("2027-01", "chưa đến"),
        ("45809", "ngày Excel lưu dưới dạng số (tháng 6/2025)"),
    ],
)
def test_a_period_that_is_not_plausible_or_not_over(store, when, words):
    report = refused(store, (HEADER + f"21040,,{when},10,5\n").encode())
    ((column, message),) = at(report, 2)
    assert column == "Kỳ" and words in message


def test_a_file_with_a_header_and_no_figures(store):
    report = refused(store, (HEADER + ",,,,\nNgười lập biểu,,,,\n").encode())
    assert [p.key for p in report.errors] == ["err_file_no_figures"]
    assert "không có số liệu nào" in report.errors[0].message()


def test_figures_without_a_unit_are_refused_not_dropped(store):
    report = refused(store, (HEADER + "21043,,2025-03,10,5\n,,2025-03,20,6\n").encode())
    assert at(report, 3) == [("Mã xã", at(report, 3)[0][1])] and "không có mã hay tên" in at(report, 3)[0][1]


def test_a_vertically_merged_unit_cell_is_refused(store):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã xã", "Kỳ", "Số hồ sơ tiếp nhận", "Số hồ sơ số hóa"])
    sheet.append(["21043", "2025-03", 10, 5])
    sheet.append([None, "2025-04", 12, 6])
    sheet.merge_cells("A2:A3")
    buffer = io.BytesIO()
    book.save(buffer)
    report = refused(store, buffer.getvalue(), "merged.xlsx")
    assert [p.row for p in report.errors] == [3] and "ô gộp" in report.errors[0].message()


def test_two_tables_side_by_side(store):
    text = "Mã xã,Kỳ,Số hồ sơ tiếp nhận,,Mã xã,Kỳ,Số hồ sơ tiếp nhận\n21043,2025-03,10,,21049,2025-03,20\n"
    report = refused(store, text.encode())
    assert {(p.row, p.column, p.key) for p in report.errors} == {
        (1, "Mã xã", "err_header_twice"),
        (1, "Kỳ", "err_header_twice"),
        (1, "Số hồ sơ tiếp nhận", "err_header_twice"),
    }


def test_code_and_name_that_disagree(store):
    report = refused(store, (HEADER + "21040,Xã Bình Thuận,2024-03,10,5\n").encode())
    ((column, message),) = at(report, 2)
    assert column == "Mã xã"
    assert "Thị trấn Châu Ổ (21040)" in message and "'Xã Bình Thuận' là Xã Bình Thuận (21043)" in message


def test_a_hidden_first_sheet_is_not_read(store):
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "Cũ"
    hidden.append(["Mã xã", "Kỳ", "Số hồ sơ tiếp nhận"])
    hidden.append(["21043", "2025-03", 999])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("Số liệu")
    shown.append(["Mã xã", "Kỳ", "Số hồ sơ tiếp nhận"])
    shown.append(["21049", "2025-03", 15])
    buffer = io.BytesIO()
    book.save(buffer)
    report = checking.check(buffer.getvalue(), "two.xlsx", db.get_engine(store), today=TODAY)
    assert report.grid.sheet == "Số liệu" and not report.errors
    assert list(report.values.unit_code) == ["21049"]
    assert any(p.key == "note_hidden_sheets" and "Cũ" in p.message() for p in report.notes)
    named = checking.check(buffer.getvalue(), "two.xlsx", db.get_engine(store), sheet="Cũ", today=TODAY)
    assert list(named.values.value) == [999]  # read when asked for by name


def test_a_year_far_outside_the_units_history_is_a_warning(fresh_url):
    engine = db.get_engine(fresh_url)
    setup.initialise(engine, with_demo=False)
    months = "".join(f"21043,,2023-{m:02d},100,50\n" for m in range(1, 13))
    storing.apply(checking.check((HEADER + months).encode(), "2023.csv", engine, today=TODAY), engine)
    text = HEADER + "21043,,2024,99999999,5\n21049,,2024,1300,100\n"
    report = checking.check(text.encode(), "x.csv", engine, today=TODAY)
    assert not report.errors
    assert [(p.row, p.column) for p in report.warnings] == [(2, "Số hồ sơ tiếp nhận")]
    assert "loại kỳ này (1.200)" in report.warnings[0].message()  # twelve months of at most 100


def test_a_year_or_quarter_that_disagrees_with_its_months(store):
    """The demo holds every month of 2024 for Bình Thuận: a year total must add up to them."""
    engine = db.get_engine(store)
    months = checking.check((HEADER + "21043,,2024-01,1,0\n").encode(), "m.csv", engine, today=TODAY)
    stored = months.changes.old_value.iloc[0]  # January 2024 of the demo, for the arithmetic below
    assert stored > 0
    report = refused(store, (HEADER + "21043,,2024,10,5\n").encode())
    ((_, message),) = [m for m in at(report, 2) if m[0] == "Số hồ sơ tiếp nhận"]
    assert "12 tháng của kỳ đã có cộng lại" in message and "phải khớp" in message
    # A quarter and its months in one file, disagreeing, are refused too.
    text = HEADER + "21049,,Quý I/2025,30,5\n21049,,2025-01,10,1\n21049,,2025-02,10,1\n21049,,2025-03,20,1\n"
    report = refused(store, text.encode())
    assert {p.row for p in report.errors if p.key == "err_coarse_disagrees_month"} == {2}


def _workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML changed (as a hostile or broken file would be)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item, change(body) if item.filename == "xl/worksheets/sheet1.xml" else body)
    return out.getvalue()


TABLE = [["Mã xã", "Kỳ", "Số hồ sơ tiếp nhận"], ["21043", "2025-03", 10]]


def test_a_sheet_that_declares_190000_rows_to_column_xfd_is_read_as_the_cells_it_has(store):
    def huge(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD190000"/>', xml)
        stray = b'<row r="190000"><c r="XFD190000" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", stray + b"</sheetData>")

    data = _with_sheet_xml(_workbook(TABLE), huge)
    tracemalloc.start()
    report = checking.check(data, "huge.xlsx", db.get_engine(store), today=TODAY)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MiB"  # padded out it took gigabytes
    assert not report.errors and list(report.values.unit_code) == ["21043"]
    rows = report.grid.rows
    assert len(rows) == 190_000 and max(len(r) for r in rows) <= reading.MAX_COLUMNS


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_that_takes_too_long_to_read_is_stopped(store, monkeypatch, kind):
    rows = [TABLE[0], *(["21043", "2025-03", n] for n in range(2000))]
    data = _workbook(rows) if kind == "xlsx" else "\n".join(",".join(map(str, r)) for r in rows).encode()
    monkeypatch.setenv("KPI_IMPORT_MAX_SECONDS", "0")
    with pytest.raises(ReadError) as caught:
        checking.check(data, f"slow.{kind}", db.get_engine(store), today=TODAY)
    assert caught.value.key == "err_file_too_slow" and "đến dòng 1024" in caught.value.text()


def test_a_workbook_over_the_row_limit_or_with_uncomputed_formulas_says_which(store, monkeypatch):
    monkeypatch.setenv("KPI_IMPORT_MAX_ROWS", "5")
    too_long = _workbook([TABLE[0], *(["21043", "2025-03", n] for n in range(60))])
    formula = _workbook([TABLE[0], ["21043", "2025-03", "=1+1"]])  # saved without its value
    for data, key in ((too_long, "err_file_too_many_rows"), (formula, "err_file_formula")):
        with pytest.raises(ReadError) as caught:
            checking.check(data, "x.xlsx", db.get_engine(store), today=TODAY)
        assert caught.value.key == key


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml[: len(xml) // 2],  # cut off: malformed XML
        lambda xml: b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + xml,  # entities
    ],
)
def test_a_broken_or_hostile_workbook_is_a_message(store, change):
    data = _with_sheet_xml(_workbook(TABLE), change)
    with pytest.raises(ReadError) as caught:
        checking.check(data, "bad.xlsx", db.get_engine(store), today=TODAY)
    assert caught.value.key == "err_file_broken_xlsx"


def test_an_unclosed_quote_is_refused_not_read_as_fewer_rows(store):
    rows = [
        "Mã xã,Kỳ,Số hồ sơ tiếp nhận,Ghi chú",
        '21043,2025-03,10,"đã kiểm tra',
        "21046,2025-03,20,",
        "21049,2025-03,30,",
    ]
    text = "\n".join(rows) + "\n"
    with pytest.raises(ReadError) as caught:
        checking.check(text.encode(), "quote.csv", db.get_engine(store), today=TODAY)
    assert caught.value.key == "err_file_open_quote" and caught.value.values == {"row": 2, "column": 4}


def test_lone_carriage_returns_and_a_cell_over_the_field_limit(store):
    engine = db.get_engine(store)
    report = checking.check(
        b"Ma xa,Ky,So ho so tiep nhan\r21043,2025-03,10\r", "mac.csv", engine, today=TODAY
    )
    assert not report.errors and list(report.values.row) == [2]
    long = "Mã xã,Kỳ,Số hồ sơ tiếp nhận\n21043,2025-03," + '"' + "9" * 200_000 + '"\n'
    with pytest.raises(ReadError) as caught:
        checking.check(long.encode(), "long.csv", engine, today=TODAY)
    assert caught.value.key == "err_file_cell_too_long"


def test_what_came_from_a_file_is_never_markup_nor_a_terminal_escape(store, use_store, tmp_path, capsys):
    from kpi.cli import main
    from pages.shared.widgets import plain

    assert plain("![x](http://evil/a.png) [y](http://z) :red[z]") == (
        "\\!\\[x\\]\\(http\\://evil/a\\.png\\) \\[y\\]\\(http\\://z\\) \\:red\\[z\\]"
    )
    use_store(store)
    path = tmp_path / "escape.csv"
    path.write_text(HEADER + ",\x1b[2J\x1b]0;pwned\x07Xã Bình Hiệpp,2025-03,10,5\n", encoding="utf-8")
    assert main(["import", str(path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Bình Hiệpp" in out


def test_undo_never_brings_back_values_whose_source_was_removed(demo_copy_url):
    engine = db.get_engine(demo_copy_url)
    report = checking.check((HEADER + "21043,,2025-03,10,5\n").encode(), "x.csv", engine, today=TODAY)
    assert set(report.changes.status) == {"changed"}  # it replaces the demo's March 2025
    result = storing.apply(report, engine, accept_warnings=True)
    setup.remove_demo(engine)
    before = snapshot(demo_copy_url)
    with pytest.raises(storing.UndoRefused) as refused_undo:
        storing.undo(result.import_id, engine)
    assert refused_undo.value.key == "err_undo_source_gone" and "demo remove" in refused_undo.value.text()
    assert_same(before, snapshot(demo_copy_url))
    orphans = "select count(*) from observations where source_id not in (select id from sources)"
    with engine.connect() as conn:
        assert conn.exec_driver_sql(orphans).scalar_one() == 0


def test_the_database_refuses_a_value_or_target_without_its_source(demo_copy_url):
    engine = db.get_engine(demo_copy_url)
    setup.remove_demo(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from sources where is_demo").scalar_one() == 0
    before = snapshot(demo_copy_url)
    statements = [
        "insert into observations (unit_code, element_id, period_type, period_start, period_end, value,"
        " source_id) values ('21043', 'dossiers_received', 'month', '2025-03-01', '2025-04-01', 1, 999)",
        "insert into indicator_targets (indicator_id, year, target, source_id) values ('x', 2030, 1, 999)",
        "delete from sources",  # the district's report still has its values
    ]
    for sql in statements:
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
            conn.exec_driver_sql(sql)
    assert_same(before, snapshot(demo_copy_url))
