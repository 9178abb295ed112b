"""Importing communes' files: every case of the corpus in tests/imports/ (see make_corpus.py),
the exact values stored after each good file, an unchanged store after each bad one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kpi import config
from kpi.access.roles import Actor
from kpi.cli import main
from kpi.imports import checking, storing, unit_names
from kpi.imports.cells import ParseError, number, period
from kpi.imports.reading import ReadError
from kpi.store import db
from tests.helpers import assert_cells_current, assert_same, count, snapshot

CORPUS = Path(__file__).resolve().parent / "imports"


@pytest.fixture
def store(demo_copy_url, use_store):
    return use_store(demo_copy_url)


def data(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def stored(url: str, unit: str, kind: str, start: str, demo: bool = False) -> dict[str, float]:
    """The values of a unit and period; without demo, only those that are not illustrative (the
    demo covers the first half of 2025 too)."""
    with db.get_engine(url).connect() as conn:
        rows = conn.exec_driver_sql(
            "select element_id, value from observations join sources on sources.id = source_id "
            "where (? or not sources.is_demo) and unit_code = ? and period_type = ? and period_start = ?",
            (demo, unit, kind, date.fromisoformat(start)),
        ).fetchall()
    return dict(rows)


def imported(url: str, name: str, **options) -> checking.Report:
    report = checking.check(data(name), name, db.get_engine(url))
    assert not report.errors, [p.message() for p in report.errors]
    result = storing.apply(report, db.get_engine(url), actor=Actor("test", "admin"), accept_warnings=True)
    assert result.import_id is not None
    return report


def test_wide_utf8_bom_semicolons_with_title_and_note_rows(store):
    report = imported(store, "good_wide_bom_semicolon.csv")
    grid = report.grid
    assert (grid.encoding, grid.delimiter, report.shape, report.header_row) == ("utf-8-sig", ";", "wide", 4)
    assert (report.rows_read, report.rows_valid) == (3, 3)
    assert [p.row for p in report.notes] == [9, 10]
    assert stored(store, "21040", "month", "2025-01-01") == {
        "dossiers_received": 1009,
        "dossiers_digitized_at_intake": 612,
        "results_issued": 950,
        "results_digitized": 301,
    }
    # An empty cell is missing, not zero: Bình Thuận has no digitised count.
    assert stored(store, "21043", "month", "2025-01-01") == {
        "dossiers_received": 140,
        "results_issued": 131,
        "results_digitized": 20,
    }


def test_windows_1258_names_without_codes_and_year_month_columns(store):
    report = imported(store, "good_names_cp1258.csv")
    assert report.grid.encoding == "cp1258" and report.grid.delimiter == ","
    assert stored(store, "21040", "month", "2025-02-01") == {
        "dossiers_received": 210,
        "dossiers_digitized_at_intake": 150,
    }
    # "Xã Bình Tri" (the report's own spelling) is Bình Trị; "binh chuong" is Bình Chương.
    assert stored(store, "21061", "month", "2025-02-01") == {
        "dossiers_received": 98,
        "dossiers_digitized_at_intake": 60,
    }
    assert stored(store, "21100", "month", "2025-02-01") == {
        "dossiers_received": 77,
        "dossiers_digitized_at_intake": 70,
    }


def test_utf16_tabs_long_shape_decomposed_text_and_every_period_form(store):
    before = stored(store, "21058", "year", "2024-01-01", demo=True)["contest_district_first"]
    report = imported(store, "good_long_utf16_tab.txt")
    assert (report.grid.encoding, report.grid.delimiter, report.shape) == ("utf-16", "\t", "long")
    assert stored(store, "21049", "month", "2025-03-01") == {
        "dossiers_received": 21777,
        "dossiers_digitized_at_intake": 21000,
    }
    assert stored(store, "21052", "month", "2025-03-01") == {
        "dossiers_received": 50,
        "dossiers_digitized_at_intake": 12,
    }
    assert stored(store, "21055", "quarter", "2020-01-01") == {
        "dossiers_received": 300,
        "dossiers_digitized_at_intake": 120,
    }
    assert stored(store, "21058", "year", "2024-01-01")["contest_district_first"] == 2
    changed = report.changes[report.changes.status == "changed"]
    contest = changed[changed.element_id == "contest_district_first"]
    assert list(contest.old_value) == [before]
    history = count(store, "select count(*) from observation_history where old_value is not null")
    assert history == len(changed) > 1  # every replaced demo value (2025's months too) is kept


def test_xlsx_with_the_data_on_a_second_sheet(store):
    report = imported(store, "good_wide.xlsx")
    assert report.grid.sheet == "Số liệu" and report.notes[0].value == "Số liệu"
    assert stored(store, "21061", "month", "2025-01-01") == {
        "dossiers_received": 120,
        "dossiers_received_online": 30,
    }
    assert stored(store, "21064", "month", "2025-01-01") == {
        "dossiers_received": 88,
        "dossiers_received_online": 8,
    }
    assert stored(store, "524-KTHT", "month", "2025-01-01") == {
        "dossiers_received": 300,
        "dossiers_received_online": 90,
        "survey_responses": 40,
        "survey_very_satisfied": 35,
    }
    picked = checking.check(data("good_wide.xlsx"), "good_wide.xlsx", sheet="Hướng dẫn")
    assert picked.errors and picked.grid.sheet == "Hướng dẫn"


EXPECTED_PROBLEMS = [  # (row, column, words of the message)
    (2, "Số hồ sơ tiếp nhận", "có thể là 1.234 hoặc 1234"),
    (3, "Tên đơn vị", "Xã Bình Thạnh (21046), Xã Bình Thanh (21091)"),
    (4, "Tên đơn vị", "Gần nhất: Xã Bình Hiệp"),
    (5, "Số hồ sơ số hóa", "phần không thể lớn hơn tổng"),
    (6, "Số hồ sơ tiếp nhận", "không được âm"),
    (7, "Số hồ sơ tiếp nhận", "số nguyên"),
    (8, "Kỳ", "chưa đến"),
    (9, "Mã xã", "Thị trấn Trà Xuân, Huyện Trà Bồng"),
    (10, "Kỳ", "không đọc được"),
    (11, "Số hồ sơ số hóa", "Trùng với dòng 2"),  # its received count repeats a value that did not parse
    (12, "Số hồ sơ tiếp nhận", "là tỷ lệ"),
]


def test_every_problem_is_named_by_row_column_and_value(store):
    report = checking.check(data("bad_every_problem.csv"), "bad_every_problem.csv")
    for row, column, words in EXPECTED_PROBLEMS:
        found = [p for p in report.errors if p.row == row and p.column == column and words in p.message()]
        assert found, (row, column, words, [(p.row, p.column, p.message()) for p in report.errors])
        assert found[0].message("en") != found[0].message("vi") and found[0].value is not None
    assert report.rows_valid == 0
    ambiguous = next(p for p in report.errors if p.row == 3)
    assert ambiguous.candidates == ("Xã Bình Thạnh (21046)", "Xã Bình Thanh (21091)")


def test_a_month_column_without_a_year_column_names_the_year_too(store):
    """Tháng alone holds 3/2023 or 2023-03; a bare month, a month 13 or an empty cell is named
    by row and column, each with its own fix (before: 'the Period column is missing')."""
    text = "Mã đơn vị,Tháng,Số hồ sơ tiếp nhận\n21040,2023-03,120\n21043,3/2023,80\n21046,3,90\n"
    text += "21049,2023-13,70\n21052,,60\n"
    report = checking.check(text.encode(), "thang.csv")
    assert report.rows_valid == 2
    found = {p.row: (p.column, p.value, p.key) for p in report.errors}
    assert found == {
        4: ("Tháng", "3", "err_month_without_year"),
        5: ("Tháng", "2023-13", "err_period_text"),
        6: ("Tháng", "", "err_period_missing"),
    }
    bare = next(p for p in report.errors if p.row == 4)
    assert "3/2023" in bare.message("en") and "3/2023" in bare.message("vi")
    with_year = "Mã đơn vị,Năm,Tháng,Số hồ sơ tiếp nhận\n21040,2023,13,120\n"
    (problem,) = checking.check(with_year.encode(), "nam_thang.csv").errors
    assert (problem.column, problem.value, problem.key) == ("Tháng", "13/2023", "err_period_text")


@pytest.mark.parametrize("name", ["bad_every_problem.csv", "bad_no_header.csv", "warn_outlier.csv"])
def test_a_file_with_problems_stores_nothing(store, name, capsys):
    before = snapshot(store)
    report = checking.check(data(name), name)
    with pytest.raises(storing.ImportRefused):
        storing.apply(report)
    assert main(["import", str(CORPUS / name)]) == 1
    capsys.readouterr()
    assert_same(before, snapshot(store))


def test_the_outlier_threshold_is_configuration(store, monkeypatch):
    monkeypatch.setenv("KPI_OUTLIER_FACTOR", "1000")
    assert not checking.check(data("warn_outlier.csv"), "warn_outlier.csv").warnings
    monkeypatch.setenv("KPI_OUTLIER_FACTOR", "2")
    assert "2 lần" in checking.check(data("warn_outlier.csv"), "warn_outlier.csv").warnings[0].message()


def test_a_warning_once_confirmed_is_stored(store):
    report = checking.check(data("warn_outlier.csv"), "warn_outlier.csv")
    assert [(p.row, p.column) for p in report.warnings] == [(2, "Số hồ sơ tiếp nhận")] and not report.errors
    storing.apply(report, accept_warnings=True)
    assert stored(store, "21061", "month", "2025-05-01") == {"dossiers_received": 9000}


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("unreadable_empty.csv", "rỗng"),
        ("unreadable_broken.xlsx", "hỏng"),
        ("unreadable_old.xls", ".xls"),
        ("unreadable_tcvn3.csv", "TCVN3"),
    ],
)
def test_a_file_that_cannot_be_read(store, name, words, capsys):
    with pytest.raises(ReadError, match=words):
        checking.check(data(name), name)
    assert main(["import", str(CORPUS / name)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_importing_the_same_file_twice_changes_nothing(store):
    imported(store, "good_wide.xlsx")
    before = snapshot(store)
    again = checking.check(data("good_wide.xlsx"), "good_wide.xlsx")
    assert again.counts() == {"new": 0, "changed": 0, "unchanged": 8}
    assert storing.apply(again, accept_warnings=True).import_id is None
    assert_same(before, snapshot(store))


def test_a_corrected_file_replaces_values_keeps_the_old_and_undo_restores_exactly(store, tmp_path):
    original = snapshot(store)
    first = b"Ma xa,Ky,So ho so tiep nhan,So ho so so hoa\n21067,2025-04,100,50\n21070,2025-04,80,20\n"
    corrected = b"Ma xa,Ky,So ho so tiep nhan,So ho so so hoa\n21067,2025-04,100,60\n21070,2025-04,80,20\n"
    one = storing.apply(checking.check(first, "a.csv"))
    two = storing.apply(checking.check(corrected, "a-sua.csv"))
    assert (two.new, two.changed, two.unchanged) == (0, 1, 3)
    assert stored(store, "21067", "month", "2025-04-01")["dossiers_digitized_at_intake"] == 60
    assert_cells_current(store)
    with pytest.raises(storing.UndoRefused, match=str(two.import_id)):
        storing.undo(one.import_id)  # the later import changed one of its values
    assert storing.undo(two.import_id) == 1
    assert stored(store, "21067", "month", "2025-04-01")["dossiers_digitized_at_intake"] == 50
    assert_cells_current(store)
    assert storing.undo(one.import_id) == 4
    restored = snapshot(store)
    for table in ("observations", "units", "indicator_targets", "indicator_cells"):
        assert restored[table].equals(original[table]), table
    log = storing.log()
    assert log.undone_at.notna().all() and list(log.file_name) == ["a-sua.csv", "a.csv"]
    with pytest.raises(storing.UndoRefused):
        storing.undo(two.import_id)


def test_a_mapping_fixed_once_is_remembered(store):
    text = "Tên đơn vị,Kỳ,Số hồ sơ tiếp nhận\nUBND xã Bình Hiệp mới,2025-04,10\n".encode()
    assert checking.check(text, "x.csv").errors
    unit_names.save_alias("UBND xã Bình Hiệp mới", "21103")
    report = checking.check(text, "x.csv")
    assert not report.errors and set(report.values.unit_code) == {"21103"}


def test_limits_on_size_and_rows(store, monkeypatch):
    monkeypatch.setenv("KPI_IMPORT_MAX_BYTES", "100")
    with pytest.raises(ReadError, match="giới hạn"):
        checking.check(data("good_wide_bom_semicolon.csv"), "x.csv")
    monkeypatch.setenv("KPI_IMPORT_MAX_BYTES", "100000")
    monkeypatch.setenv("KPI_IMPORT_MAX_ROWS", "2")
    with pytest.raises(ReadError, match="5 dòng, vượt giới hạn 2"):  # 3 data rows and 2 note rows
        checking.check(data("good_wide_bom_semicolon.csv"), "x.csv")


def test_command_line_json(store, capsys):
    assert main(["import", str(CORPUS / "good_wide.xlsx"), "--dry-run", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows_read"], report["rows_valid"], report["import_id"]) == (3, 3, None)
    assert {"row", "column", "value", "message"} <= set(report["warnings"][0])
    first = report["changes"][0]  # January 2025 replaces an illustrative value
    assert first == {
        "row": 4,
        "unit_code": "21061",
        "element_id": "dossiers_received",
        "period": "2025-01",
        "old": first["old"],
        "new": 120.0,
        "status": "changed",
    }
    assert first["old"] == stored(store, "21061", "month", "2025-01-01", demo=True)["dossiers_received"]
    assert main(["import", str(CORPUS / "good_wide.xlsx"), "--accept-warnings", "--format", "json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["import_id"] == 1 and done["errors"] == []
    assert main(["imports", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["file_name"] == "good_wide.xlsx"
    assert main(["undo", "1"]) == 0 and "1" in capsys.readouterr().out
    assert main(["undo", "1"]) == 1 and "1" in capsys.readouterr().err
    assert main(["--lang", "en", "import", str(CORPUS / "bad_every_problem.csv")]) == 1
    assert "could mean 1.234 or 1234" in capsys.readouterr().out


@pytest.mark.slow
def test_the_dashboard_and_the_command_line_importing_at_once_neither_lose_nor_double(
    store, tmp_path, monkeypatch
):
    monkeypatch.setenv("KPI_FIRST_YEAR", "1990")  # the 1990s: clear of the demo's months
    files = []
    for n, unit in enumerate(["21073", "21079"]):
        rows = "".join(f"{unit},{m.isoformat()[:7]},{10 + i},5\n" for i, m in enumerate(_months(1990, 120)))
        path = tmp_path / f"f{n}.csv"
        path.write_text("Mã xã,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa\n" + rows, encoding="utf-8")
        files.append(path)
    env = {**os.environ, "KPI_DATABASE_URL": store}
    command = [sys.executable, "-m", "kpi", "import", "--accept-warnings"]
    processes = [
        subprocess.Popen([*command, str(p)], cwd=config.PROJECT_DIR, env=env) for p in [*files, files[0]]
    ]
    # Meanwhile the dashboard's process imports the same first file (the upload page calls this).
    report = checking.check(files[0].read_bytes(), files[0].name, db.get_engine(store))
    storing.apply(report, db.get_engine(store), accept_warnings=True)
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0]
    assert count(store, "select count(*) from observations where period_start < '2000-01-01'") == 2 * 120 * 2
    assert count(store, "select count(*) from imports") == 2  # the file sent three times was stored once
    assert count(store, "select count(*) from observation_history") == 2 * 120 * 2


def _months(year: int, n: int) -> list[date]:
    return [date(year + i // 12, i % 12 + 1, 1) for i in range(n)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("21.777", 21777), ("1.009", 1009), ("21 777", 21777), ("64,39", 64.39), ("1.234,5", 1234.5), ("7", 7)],
)
def test_vietnamese_numbers(text, value):
    assert number(text).value == value


@pytest.mark.parametrize("text", ["1,234", "12,345,678", "abc", "1234.567"])
def test_numbers_that_are_ambiguous_or_not_numbers(text):
    with pytest.raises(ParseError):
        number(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [("Tháng 3/2023", "2023-03"), ("T3/2023", "2023-03"), ("03/2023", "2023-03"), ("2023-03", "2023-03"),
     ("3-2023", "2023-03"), ("Quý I/2023", "2023-Q1"), ("Q1/2023", "2023-Q1"), ("Năm 2023", "2023"),
     ("THÁNG 12 / 2023", "2023-12"), ("quy iv/2023", "2023-Q4")],
)  # fmt: skip
def test_periods(text, code):
    assert period(text).code == code
