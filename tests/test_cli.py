"""The command line, as an analyst uses it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from kpi import catalog, config
from kpi.cli import main
from kpi.store import db
from tests.helpers import count


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_store(use_store, demo_url):
    return use_store(demo_url)


def test_the_report_figures_of_2023(capsys, demo_store):
    code, out, _ = run(capsys, "indicators", "--year", "2023", "--format", "json")
    assert code == 0
    rows = {r["indicator"]: r for r in json.loads(out)}
    assert rows["intake_digitization_rate"]["value"] == 64.39
    assert rows["result_digitization_rate"]["value"] == 28.42
    assert rows["satisfaction_rate"]["value"] == 98.78
    assert rows["contest_prizes"]["value"] == 28
    assert rows["province_contest_prizes"]["value"] == 2
    needed = {"indicator", "unit_code", "unit_name", "period", "value", "numerator", "denominator"}
    assert all(needed <= set(r) for r in rows.values())
    assert {r["period"] for r in rows.values()} == {"2023"}


def test_the_commune_breakdown_adds_up_to_the_district(capsys, demo_store):
    wanted = ["--indicator", "intake_digitization_rate", "--indicator", "satisfaction_rate", "--year", "2023"]
    _, whole, _ = run(capsys, "indicators", *wanted, "--format", "json")
    code, parts, _ = run(capsys, "indicators", *wanted, "--by", "unit", "--format", "json")
    assert code == 0
    for total in json.loads(whole):
        rows = [r for r in json.loads(parts) if r["indicator"] == total["indicator"]]
        assert len(rows) >= 6
        assert sum(r["numerator"] or 0 for r in rows) == total["numerator"]
        assert sum(r["denominator"] or 0 for r in rows) == total["denominator"]


def test_by_month_and_quarter(capsys, demo_store):
    code, out, _ = run(
        capsys,
        "indicators",
        "--indicator",
        "on_time_rate",
        "--year",
        "2023",
        "--by",
        "month",
        "--format",
        "json",
    )
    assert code == 0 and [r["period"] for r in json.loads(out)] == [f"2023-{m:02d}" for m in range(1, 13)]
    code, out, _ = run(
        capsys,
        "indicators",
        "--indicator",
        "on_time_rate",
        "--year",
        "2023",
        "--by",
        "quarter",
        "--format",
        "csv",
    )
    assert code == 0 and out.splitlines()[0].startswith("indicator,unit_code") and "2023-Q4" in out


def test_a_period_a_range_and_a_commune(capsys, demo_store):
    code, out, _ = run(
        capsys,
        "indicators",
        "--indicator",
        "intake_digitization_rate",
        "--period",
        "2023-Q2",
        "--unit",
        "21040",
        "--format",
        "json",
    )
    row = json.loads(out)[0]
    assert code == 0 and (row["unit_name"], row["period"]) == ("Thị trấn Châu Ổ", "2023-Q2")
    code, out, _ = run(
        capsys,
        "indicators",
        "--indicator",
        "intake_digitization_rate",
        "--from",
        "2022-11",
        "--to",
        "2023-02",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)[0]["period"] == "2022-11..2023-02"


def test_table_is_vietnamese_by_default_and_english_on_request(capsys, demo_store):
    _, out, _ = run(capsys, "indicators", "--year", "2023")
    assert "Tỷ lệ số hóa hồ sơ khi tiếp nhận" in out and "64,39 %" in out and "21.777" in out
    _, out, _ = run(capsys, "--lang", "en", "indicators", "--year", "2023")
    assert "Intake digitisation rate" in out and "64.39 %" in out and "21,777" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["indicators", "--unit", "99999"], "99999"),
        (["indicators", "--year", "2019"], "2019"),
        (["indicators", "--indicator", "nope"], "nope"),
        (["indicators", "--by", "commune"], "commune"),
        (["indicators", "--period", "2023-13"], "2023-13"),
        (["indicators", "--unit", "21040", "--year", "2024", "--by", "unit"], "Châu Ổ"),
        (["indicators", "--to", "2023-03"], "--from"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_arguments_give_one_line_and_a_non_zero_exit(capsys, demo_store, args, message):
    code, out, err = run(capsys, *args)
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_units_and_elements(capsys, demo_store):
    code, out, _ = run(capsys, "units", "--as-of", "2024-06-01", "--format", "json")
    units = {u["code"]: u for u in json.loads(out)}
    assert code == 0 and units["21040"] == {
        "code": "21040",
        "name": "Thị trấn Châu Ổ",
        "kind": "thi_tran",
        "parent_code": "524",
        "valid_from": None,
        "valid_to": "2025-07-01",
    }
    assert sum(1 for u in units.values() if u["parent_code"] == "524" and u["kind"] != "co_quan") == 22
    code, out, _ = run(capsys, "units", "--as-of", "2024-06-01")
    assert code == 0 and "    21040       Thị trấn Châu Ổ (xã)" in out
    code, out, _ = run(capsys, "--lang", "en", "units", "--as-of", "2024-06-01")
    assert code == 0 and "    21040       Thị trấn Châu Ổ (commune)" in out
    code, out, _ = run(capsys, "elements", "--format", "json")
    elements = {e["id"]: e for e in json.loads(out)}
    assert elements["dossiers_received"]["name_vi"] == "Hồ sơ TTHC tiếp nhận"
    assert {"id", "name_vi", "name_en", "unit"} <= set(elements["results_digitized"])
    code, out, _ = run(capsys, "--lang", "en", "elements")
    assert code == 0 and "Results digitised" in out


def test_a_store_that_is_not_set_up(capsys, use_store, fresh_url):
    use_store(fresh_url)
    code, _, err = run(capsys, "indicators")
    assert code != 0 and "python -m kpi init" in err


def test_init_and_demo_remove_from_the_command_line(capsys, use_store, fresh_url):
    use_store(fresh_url)
    code, out, _ = run(capsys, "init", "--no-demo")
    reported = len(catalog.report_figures())
    assert code == 0 and "Huyện Bình Sơn" in out and f"{reported} số liệu từ báo cáo" in out
    code, out, _ = run(capsys, "demo", "load")
    assert code == 0 and "minh họa" in out
    code, out, _ = run(capsys, "--lang", "en", "init", "--refill-cells")
    assert re.search(r"rebuilt from the stored values: \d{1,2},\d{3}\.", out), out  # e.g. 12,222: a number
    code, out, _ = run(capsys, "demo", "remove")
    assert code == 0 and "Số liệu thật được giữ nguyên" in out
    code, _, err = run(capsys, "init", "--district", "000")
    assert code == 2 and "000" in err


def test_init_refills_the_cells_after_values_were_changed_in_the_database(capsys, use_store, fresh_url):
    use_store(fresh_url)
    run(capsys, "init", "--no-demo")
    year = ["indicators", "--unit", "524", "--period", "2023", "--format", "json"]
    with db.get_engine(fresh_url).begin() as conn:  # by hand: no write of the product follows it
        conn.exec_driver_sql("update observations set value = 43642 where element_id = 'dossiers_received'")
    _, out, _ = run(capsys, *year)
    assert json.loads(out)[0]["denominator"] == 33821  # the cells still hold what was written before
    code, out, _ = run(capsys, "init", "--refill-cells")
    assert code == 0 and "Đã tính lại các ô chỉ số từ số liệu đã lưu" in out
    _, out, _ = run(capsys, *year)
    assert json.loads(out)[0]["denominator"] == 43642
    assert count(fresh_url, "select count(*) from audit_log where action = 'cells_refill'") == 1


def test_python_m_kpi_prints_no_traceback(fresh_url):
    env = {**os.environ, "KPI_DATABASE_URL": fresh_url}
    done = subprocess.run(
        [sys.executable, "-m", "kpi", "indicators", "--unit", "nowhere"],
        cwd=config.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_output_cut_short_by_the_reader_ends_without_a_traceback(demo_url):
    # `python -m kpi … | head`: the reader goes away before the output ends.
    args = ["indicators", "--from", "2021-01", "--to", "2024-12", "--by", "month", "--format", "json"]
    cli = subprocess.Popen(
        [sys.executable, "-m", "kpi", *args],
        cwd=config.PROJECT_DIR,
        env={**os.environ, "KPI_DATABASE_URL": demo_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert cli.stdout.read(100).startswith(b"[")
    cli.stdout.close()
    assert cli.wait(timeout=60) != 0
    assert b"Traceback" not in cli.stderr.read()


def test_units_in_force_on_a_day_of_the_current_map(capsys, demo_store):
    code, out, _ = run(capsys, "units", "--as-of", "2026-01-01", "--format", "json")
    rows = json.loads(out)
    communes = {u["code"]: u for u in rows if u["parent_code"] == "51" and u["kind"] == "xa"}
    assert code == 0 and {c: u["name"] for c, u in communes.items()} == {
        "21040": "Xã Bình Sơn",
        "21061": "Xã Vạn Tường",
        "21085": "Xã Bình Minh",
        "21100": "Xã Bình Chương",
        "21109": "Xã Đông Sơn",
    }
    assert communes["21040"]["valid_from"] == "2025-07-01" and communes["21040"]["valid_to"] is None
    assert set(rows[0]) == {"code", "name", "kind", "parent_code", "valid_from", "valid_to"}
    assert not any(u["parent_code"] == "524" or u["code"] == "524" for u in rows)
    code, out, _ = run(capsys, "units", "--as-of", "2026-01-01")
    assert code == 0 and "binh-son" in out


def test_a_code_names_the_unit_of_the_day_asked(capsys, demo_store):
    asked = ("indicators", "--indicator", "intake_digitization_rate", "--year", "2024", "--format", "json")
    code, out, _ = run(capsys, *asked, "--unit", "21061")
    assert code == 0 and json.loads(out)[0]["unit_name"] == "Xã Bình Trị"
    code, out, _ = run(capsys, *asked, "--unit", "21061", "--as-of", "2025-07-01")
    (van_tuong,) = json.loads(out)
    assert (van_tuong["unit_name"], van_tuong["units_expected"]) == ("Xã Vạn Tường", 6)
    code, _, err = run(capsys, *asked, "--unit", "524", "--as-of", "2026-01-01")
    assert code == 2 and "Huyện Bình Sơn (đến 30/6/2025)" in err
    code, _, err = run(capsys, "--lang", "en", *asked, "--unit", "21061", "--as-of", "2025-13-01")
    assert code == 2 and "is not a date" in err
