"""Every dashboard page through Streamlit's AppTest: the figures it shows, the empty cases,
the language switch, and the filters taken from the URL."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kpi import computation, config, fmt
from kpi.imports import storing
from kpi.periods import Range
from kpi.store import db, demo, setup
from tests.helpers import run_page, signed_in

PAGES = {
    "overview": "Tổng quan",
    "digitisation": "Số hóa TTHC",
    "satisfaction": "Mức độ hài lòng",
    "contests": "Thi khoa học kỹ thuật",
    "science": "Khoa học, công nghệ và ĐMST",
    "scorecard": "Chỉ số 766",
    "reporting": "Số liệu đã báo cáo",
    "catalogue": "Chỉ số",
    "upload": "Nhập dữ liệu",
    "administration": "Quản trị",
}
ENGLISH = {
    "overview": "Overview",
    "digitisation": "Digitised procedures",
    "satisfaction": "Satisfaction",
    "contests": "Science contests",
    "science": "Science, technology & innovation",
    "scorecard": "766 scorecard",
    "reporting": "Reporting status",
    "catalogue": "Indicators",
    "upload": "Import data",
    "administration": "Administration",
}
YEAR_2023 = {"span": ("2023-01", "2023-12")}


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_its_title_and_the_demo_note(name, demo_url, monkeypatch):
    at = run_page(name, demo_url, monkeypatch)
    assert not at.exception
    assert at.title[0].value == PAGES[name]
    assert "Số liệu minh họa" in at.warning[0].value


@pytest.mark.parametrize("name", PAGES)
def test_every_page_speaks_english_on_request(name, demo_url, monkeypatch):
    at = run_page(name, demo_url, monkeypatch, lang_en=True)
    assert not at.exception
    assert at.title[0].value == ENGLISH[name]
    assert "Illustrative data" in at.warning[0].value


@pytest.mark.parametrize("name", PAGES)
def test_every_page_on_a_store_that_is_not_set_up(name, fresh_url, monkeypatch):
    at = run_page(name, fresh_url, monkeypatch)
    assert not at.exception and not at.metric
    assert "python -m kpi init" in at.info[0].value


@pytest.mark.parametrize("name", PAGES)
def test_every_page_on_a_store_without_data(name, fresh_url, monkeypatch):
    setup.initialise(db.get_engine(fresh_url), district="525", with_demo=False)
    at = run_page(name, fresh_url, monkeypatch, **signed_in(fresh_url))
    assert not at.exception and not at.metric and not at.warning
    if name == "upload":  # the page that brings data in works on an empty store
        assert at.file_uploader(key="upload") and "Chưa có lần nhập nào" in at.info[0].value
    elif name == "administration":
        assert len(at.tabs) == 4 and any("Chưa ghi nhớ tên đơn vị nào" in c.value for c in at.caption)
    else:
        assert "Chưa có số liệu" in at.info[0].value


def test_overview_2023(demo_url, monkeypatch):
    at = run_page("overview", demo_url, monkeypatch, **YEAR_2023)
    shown = metrics(at)
    assert shown["Tỷ lệ số hóa hồ sơ khi tiếp nhận"] == "64,39 %"
    assert shown["Tỷ lệ số hóa kết quả giải quyết"] == "28,42 %"
    assert shown["Tỷ lệ hài lòng"] == "98,78 %"
    assert shown["Giải cuộc thi KHKT cấp huyện"] == "28"
    behind, ahead = at.dataframe[0].value, at.dataframe[1].value
    assert len(behind) == len(ahead) == 3
    gaps = [float(g.split(" ")[0].replace(",", ".")) for g in behind["So với chỉ tiêu"]]
    assert gaps == sorted(gaps) and gaps[0] < 0


def test_digitisation_table_and_downloads(demo_url, monkeypatch):
    at = run_page("digitisation", demo_url, monkeypatch, **YEAR_2023, grain="year")
    assert metrics(at)["Tỷ lệ số hóa hồ sơ khi tiếp nhận"] == "64,39 %"
    # Only the open tab is drawn: the ranking's chart, not the table or the other charts.
    assert not at.dataframe and len(at.get("plotly_chart")) == 1
    at.session_state["digitisation_tab_vi"] = "Bảng số liệu"
    at.run()
    assert not at.get("plotly_chart")
    table = at.dataframe[0].value
    assert len(table) == 32 * 5  # every commune (22) and agency (10), five indicators, one year
    intake = table[table["Chỉ số"] == "Tỷ lệ số hóa hồ sơ khi tiếp nhận"]
    numerators = intake["Tử số"].str.replace(".", "", regex=False).astype(int)
    assert numerators.sum() == 21_777
    excel = "CSV cho Excel tiếng Việt (dấu ; và dấu phẩy thập phân)"
    pack = {"Slide họp (PowerPoint)", "Báo cáo (Word)"}  # the page's view as a meeting pack
    assert {b.proto.label for b in at.get("download_button")} == {"CSV", excel, "XLSX", *pack}


def test_the_open_tab_stays_open_when_the_language_changes(demo_url, monkeypatch):
    at = run_page("digitisation", demo_url, monkeypatch, **YEAR_2023, grain="year")
    at.session_state["digitisation_tab_vi"] = "Bảng số liệu"
    at.run()
    for lang, table in (("en", "Table"), ("vi", "Bảng số liệu")):
        at.session_state["lang_en"] = lang == "en"  # what the sidebar's English switch sets
        at.run()
        assert not at.exception and at.session_state[f"digitisation_tab_{lang}"] == table
        assert at.dataframe and not at.get("plotly_chart")  # the table, not the ranking


def test_digitisation_for_chosen_communes_without_data(demo_url, monkeypatch):
    # Bình Đông (21049) sent nothing in March-May 2021 in the demo set.
    at = run_page(
        "digitisation",
        demo_url,
        monkeypatch,
        span=("2021-03", "2021-05"),
        communes=["21049"],
        digitisation_tab_vi="Diễn biến",
    )
    assert not at.exception
    assert any("Xã Bình Đông" in i.value for i in at.info)


def test_satisfaction_2023(demo_url, monkeypatch):
    at = run_page("satisfaction", demo_url, monkeypatch, **YEAR_2023)
    shown = metrics(at)
    assert shown["Tỷ lệ hài lòng"] == "98,78 %" and shown["Lượt đánh giá"] == "658"
    levels = at.dataframe[0].value
    assert len(levels) == 10  # the ten agencies of the district one-stop desk
    assert levels["Lượt đánh giá rất hài lòng"].astype(int).sum() == 629


def test_satisfaction_reads_its_three_figures_at_once(demo_url, monkeypatch):
    """The indicators, the answers by level and the district's own figures are read side by
    side, away from the script's thread: each of the first three reads waits until all three
    have begun (read one after the other, the first would wait alone and fail). A rerun then
    finds all three in the caches."""
    from kpi.dashboard import figures, frames

    started = threading.Barrier(3, timeout=60)
    threads = []

    def side_by_side(read):
        def waiting(*args, **kwargs):
            threads.append(threading.current_thread().name)
            if len(threads) <= 3:
                started.wait()
            return read(*args, **kwargs)

        return waiting

    for module, name in ((computation, "compute_many"), (frames, "survey_levels"), (figures, "listed")):
        monkeypatch.setattr(module, name, side_by_side(getattr(module, name)))
    at = run_page("satisfaction", demo_url, monkeypatch, **YEAR_2023)
    assert not at.exception
    assert metrics(at)["Lượt đánh giá"] == "658"
    assert len(threads) == 3
    at.run()
    assert len(threads) == 3 and metrics(at)["Lượt đánh giá"] == "658"


def test_contests_2023(demo_url, monkeypatch):
    at = run_page("contests", demo_url, monkeypatch, **YEAR_2023)
    shown = metrics(at)
    assert shown["Giải cuộc thi KHKT cấp huyện"] == "28" and shown["Giải cuộc thi KHKT cấp tỉnh"] == "2"
    winners = at.dataframe[0].value
    assert winners["Tổng"].sum() == 30 and set(winners["Năm"]) == {2023}


def test_reporting_2024_names_whom_to_call(demo_url, monkeypatch):
    at = run_page("reporting", demo_url, monkeypatch, span=("2024-01", "2024-12"))
    assert metrics(at)["Chưa báo cáo"] == "6"  # three communes sent nothing for November and December
    to_call = at.dataframe[0].value
    assert (to_call["Chưa báo cáo"] == 2).sum() == 3


def test_catalogue_lists_every_indicator(demo_url, monkeypatch):
    from kpi import catalog

    at = run_page("catalogue", demo_url, monkeypatch)
    assert len(at.expander) == len(catalog.indicators())
    text = " ".join(m.value for m in at.markdown)
    assert "Σ Hồ sơ TTHC được số hóa khi tiếp nhận" in text and "số liệu minh họa" in text
    # Each basis in full where one exists, and plainly none where none does.
    intake = next(e for e in at.expander if "intake_digitization_rate" in e.label)
    intake_text = " ".join(m.value for m in intake.markdown)
    for cited in (
        "Quyết định số 766/QĐ-TTg ngày 23/6/2022",
        "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020",
        "Nghị định số 107/2021/NĐ-CP ngày 06/12/2021",
        "Thông tư số 01/2023/TT-VPCP ngày 05/4/2023",
    ):
        assert cited in intake_text
    contests = next(e for e in at.expander if "`contest_prizes`" in e.label)
    assert "không có văn bản quy định cách tính" in " ".join(m.value for m in contests.markdown)


def test_router_takes_the_view_from_the_url(demo_url, monkeypatch):
    monkeypatch.setenv("KPI_DATABASE_URL", demo_url)
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=90)
    at.query_params.update(
        {"from": "2023-04", "to": "2023-06", "grain": "quarter", "unit": ["21040"], "lang": "en"}
    )
    at.run()
    assert not at.exception
    assert at.session_state.span == ("2023-04", "2023-06")
    assert at.session_state.grain == "quarter" and at.session_state.communes == ["21040"]
    assert at.title[0].value == "Overview"
    assert metrics(at)["Intake digitisation rate"].endswith(" %")


def test_router_ignores_a_url_that_does_not_fit(demo_url, monkeypatch):
    monkeypatch.setenv("KPI_DATABASE_URL", demo_url)
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=90)
    at.query_params.update({"from": "1999-01", "to": "nonsense", "grain": "week", "unit": ["99999"]})
    at.run()
    assert not at.exception
    last = demo.last_full_month(date.today())  # the demo runs to the last full month
    assert at.session_state.span == (f"{last.start.year}-01", last.code)
    assert at.session_state.grain == "month" and at.session_state.communes == []


def test_a_store_of_an_older_version_asks_for_init(fresh_url, monkeypatch, tmp_path):
    import shutil

    from kpi.store import migrate

    older = tmp_path / "migrations"
    older.mkdir()
    shutil.copy(migrate.MIGRATIONS_DIR / "001_initial.sql", older)
    migrate.migrate(db.get_engine(fresh_url), older)
    for name in ("overview", "digitisation"):
        at = run_page(name, fresh_url, monkeypatch)
        assert not at.exception
        assert "python -m kpi init" in at.info[0].value and "nâng cấp" in at.info[0].value


def test_a_store_whose_cells_are_of_other_definitions_asks_for_init(demo_copy_url, monkeypatch):
    """Indicators changed since the cells were filled: figures from them would be wrong."""
    with db.get_engine(demo_copy_url).begin() as conn:
        conn.exec_driver_sql("update settings set value = 'other' where key = 'indicator_cells'")
    at = run_page("overview", demo_copy_url, monkeypatch)
    assert not at.exception and "python -m kpi init" in at.info[0].value and not at.metric


def test_upload_page_names_problems_and_stores_nothing(demo_copy_url, monkeypatch):
    from tests.helpers import assert_same, snapshot

    before = snapshot(demo_copy_url)
    at = run_page("upload", demo_copy_url, monkeypatch, **signed_in(demo_copy_url))
    bad = (config.PROJECT_DIR / "tests" / "imports" / "bad_every_problem.csv").read_bytes()
    at.file_uploader(key="upload").upload("bad_every_problem.csv", bad, "text/csv").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Lỗi"] == "14" and shown["Dòng hợp lệ"] == "0"
    problems = at.dataframe[0].value
    assert {2, 3, 4, 12} <= set(problems["Dòng"]) and "có thể là 1.234 hoặc 1234" in " ".join(
        problems["Cần làm gì"]
    )
    highlighted = at.dataframe[1].value  # the file's rows with their problem cells coloured
    assert list(highlighted.index[:3]) == [2, 3, 4]
    assert at.button(key="save_Xã Bình Thành") and not [b for b in at.button if b.key == "do"]
    assert_same(before, snapshot(demo_copy_url))


def test_upload_page_imports_and_undoes(demo_copy_url, monkeypatch):
    at = run_page("upload", demo_copy_url, monkeypatch, **signed_in(demo_copy_url))
    good = (config.PROJECT_DIR / "tests" / "imports" / "good_wide.xlsx").read_bytes()
    at.file_uploader(key="upload").upload("good_wide.xlsx", good).run()
    # January to March 2025 replace illustrative values of the old communes (the demo runs to the
    # last full month): shown as changes, with the old value, before anything is stored.
    assert not at.exception and metrics(at)["Số liệu thay đổi"] == "8"
    changes = next(d.value for d in at.dataframe if "Giá trị mới" in d.value.columns)
    assert len(changes) == 8 and set(changes["Loại"]) == {"Thay đổi"}
    assert changes.iloc[0][["Loại số liệu", "Giá trị mới"]].tolist() == ["Hồ sơ TTHC tiếp nhận", "120"]
    assert at.button(key="do").disabled  # two warnings are not confirmed yet
    at.checkbox(key="confirm").check().run()
    at.button(key="do").click().run()
    assert "Đã nhập, lần nhập số 1" in at.success[0].value
    history = at.dataframe[-1].value
    assert list(history["Tệp"]) == ["good_wide.xlsx"]
    at.button(key="undo").click().run()
    assert "Đã hoàn tác lần nhập 1" in at.success[0].value


def test_upload_page_says_plainly_that_another_import_is_running(demo_copy_url, monkeypatch):
    engine = db.get_engine(demo_copy_url)
    monkeypatch.setenv("KPI_LOCK_TIMEOUT", "0.2")
    at = run_page("upload", demo_copy_url, monkeypatch, **signed_in(demo_copy_url))
    good = (config.PROJECT_DIR / "tests" / "imports" / "good_wide.xlsx").read_bytes()
    at.file_uploader(key="upload").upload("good_wide.xlsx", good).run()
    at.checkbox(key="confirm").check().run()
    with db.writing(engine):  # another session is storing its file
        at.button(key="do").click().run()
    assert not at.exception and "đang ghi vào cơ sở dữ liệu" in at.error[0].value
    assert storing.log(engine).empty


def test_upload_page_maps_a_name_once(demo_copy_url, monkeypatch):
    at = run_page("upload", demo_copy_url, monkeypatch, **signed_in(demo_copy_url))
    text = "Tên đơn vị,Kỳ,Số hồ sơ tiếp nhận\nXã Bình Thành,2025-04,10\n".encode()
    at.file_uploader(key="upload").upload("x.csv", text, "text/csv").run()
    assert at.selectbox(key="map_Xã Bình Thành").value is None  # no guess between Bình Thạnh and Bình Thanh
    assert at.button(key="save_Xã Bình Thành").disabled
    at.selectbox(key="map_Xã Bình Thành").set_value("21091").run()
    at.button(key="save_Xã Bình Thành").click().run()
    assert not at.exception and metrics(at)["Lỗi"] == "0" and metrics(at)["Số liệu thay đổi"] == "1"


def test_upload_page_speaks_english_to_the_end(demo_copy_url, monkeypatch):
    at = run_page("upload", demo_copy_url, monkeypatch, lang_en=True, **signed_in(demo_copy_url))
    bad = (config.PROJECT_DIR / "tests" / "imports" / "bad_every_problem.csv").read_bytes()
    at.file_uploader(key="upload").upload("bad_every_problem.csv", bad, "text/csv").run()
    assert not at.exception and metrics(at)["Errors"] == "14"
    messages = " ".join(at.dataframe[0].value["What to do"])
    assert "could mean 1.234 or 1234" in messages and "không" not in messages.lower()
    old_excel = bytes.fromhex("D0CF11E0A1B11AE1") + b"x" * 64  # an .xls renamed: the content decides
    at.file_uploader(key="upload").upload("old.xlsx", old_excel).run()
    assert at.error[0].value.startswith("Old Excel files (.xls) are not supported")


VIEWING = ["overview", "digitisation", "satisfaction", "contests", "science", "reporting"]


@pytest.mark.parametrize("name", VIEWING)
@pytest.mark.parametrize(("map_id", "root"), [("legacy", "Huyện Bình Sơn"), ("2025", "Khu vực Bình Sơn")])
def test_every_viewing_page_on_either_map(name, map_id, root, demo_url, monkeypatch):
    at = run_page(name, demo_url, monkeypatch, map=map_id, span=("2024-01", "2025-12"), grain="quarter")
    assert not at.exception
    assert at.subheader[0].value.startswith(f"{root} — ")


def test_the_new_communes_past_beside_the_units_they_were_made_from(demo_url, monkeypatch):
    at = run_page("digitisation", demo_url, monkeypatch, map="2025", span=("2024-01", "2025-12"))
    assert not at.exception
    assert [tab.label for tab in at.tabs][-1] == "Trước sáp nhập"
    at.session_state["digitisation_tab_vi"] = "Trước sáp nhập"
    at.run()
    assert any("Xã Tịnh Hòa (21187)" in info.value for info in at.info)  # Đông Sơn's missing part
    at.selectbox(key="merger_commune").set_value("21061@2025").run()
    assert "Xã Vạn Tường là tỷ lệ của tổng số liệu 6 đơn vị cũ" in " ".join(c.value for c in at.caption)
    legacy = run_page("digitisation", demo_url, monkeypatch, map="legacy", span=("2024-01", "2025-12"))
    assert "Trước sáp nhập" not in [tab.label for tab in legacy.tabs]


def test_the_map_lives_in_the_url(demo_url, monkeypatch):
    monkeypatch.setenv("KPI_DATABASE_URL", demo_url)
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=90)
    at.query_params.update({"from": "2024-01", "to": "2024-12", "map": "2025"})
    at.run()
    assert not at.exception and at.session_state.map == "2025"
    assert at.query_params["map"] == "2025"


def test_contests_offer_the_latest_year_with_results(demo_url, monkeypatch):
    last = demo.last_full_month(date.today())
    at = run_page("contests", demo_url, monkeypatch, span=(f"{last.start.year}-01", last.code))
    assert not at.exception and "năm 2024" in at.info[-1].value  # yearly, the last before the merger
    at.button[0].click().run()
    assert not at.exception and at.session_state.span == ("2024-01", "2024-12")
    assert at.metric and at.metric[0].value != "—"


def test_the_overview_says_where_history_is_incomplete(demo_url, monkeypatch):
    at = run_page("overview", demo_url, monkeypatch, map="2025", span=("2024-01", "2025-12"))
    assert not at.exception and any("Xã Tịnh Hòa (21187)" in info.value for info in at.info)
    at = run_page("overview", demo_url, monkeypatch, map="legacy", span=("2024-01", "2025-06"))
    assert not any("Tịnh Hòa" in info.value for info in at.info)


def test_a_write_from_elsewhere_shows_at_the_next_run_and_nothing_is_read_again_before(
    demo_copy_url, monkeypatch
):
    """The figures are cached by the store's version: a rerun with nothing written computes
    nothing again, and an import made outside the page (the command line's, another server's)
    shows at the very next run, with no cache cleared and no time waited."""
    from kpi.imports import checking

    at = run_page("overview", demo_copy_url, monkeypatch, span=("2024-01", "2024-12"))
    before = metrics(at)["Tỷ lệ số hóa hồ sơ khi tiếp nhận"]
    computed = []
    compute_many = computation.compute_many
    monkeypatch.setattr(
        computation, "compute_many", lambda *a, **k: computed.append(a[0]) or compute_many(*a, **k)
    )
    at.run()
    assert metrics(at)["Tỷ lệ số hóa hồ sơ khi tiếp nhận"] == before and not computed
    engine = db.get_engine(demo_copy_url)
    edit = "Mã xã,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa\n21043,Tháng 1/2024,5000,5000\n"
    storing.apply(checking.check(edit.encode(), "xa.csv", engine), engine, accept_warnings=True)
    at.run()
    assert computed and not at.exception
    query = computation.Query(("intake_digitization_rate",), "524", Range.year(2024), map="legacy")
    now = computation.compute(query, engine).value.iloc[0]
    assert metrics(at)["Tỷ lệ số hóa hồ sơ khi tiếp nhận"] == fmt.percent(now) != before


def test_every_page_survives_what_the_importer_accepts(demo_copy_url, monkeypatch):
    """The edge cases a file may bring that the importer takes (the earliest year, a quarter and
    a year beside months, every corpus file): after they are stored every page still runs."""
    from kpi.imports import checking, storing

    monkeypatch.setenv("KPI_DATABASE_URL", demo_copy_url)
    engine = db.get_engine(demo_copy_url)
    corpus = config.PROJECT_DIR / "tests" / "imports"
    edge = "Mã xã,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa\n21043,Năm 2015,0,0\n21046,Quý II/2016,5,5\n"
    files = [(p.name, p.read_bytes()) for p in sorted(corpus.glob("good_*"))] + [("edge.csv", edge.encode())]
    for name, data in files:
        report = checking.check(data, name, engine)
        assert not report.errors, (name, [p.message() for p in report.errors])
        storing.apply(report, engine, accept_warnings=True)
    for name in PAGES:
        st.cache_data.clear()
        at = run_page(name, demo_copy_url, monkeypatch, span=("2015-01", "2025-06"), grain="year")
        assert not at.exception, (name, [e.value for e in at.exception])


def test_science_page_lists_the_report_as_stored(demo_url, monkeypatch):
    at = run_page("science", demo_url, monkeypatch, **YEAR_2023)
    assert not at.exception
    shown = metrics(at)
    assert shown["Thành viên CLB Khởi nghiệp ĐMST"] == "23"  # a stock: the count at the end of 2023
    assert [s.value for s in at.subheader][1:] == [
        "Văn bản và hệ thống quản lý chất lượng ISO",
        "Kiểm tra cải cách hành chính",
        "Tập huấn, chuyển giao khoa học kỹ thuật",
        "Khuyến công, khuyến nông",
        "Mô hình khuyến nông",
        "Khởi nghiệp đổi mới sáng tạo và OCOP",
        "Hạ tầng số và ứng dụng công nghệ thông tin",
    ]
    rows = {r["Loại số liệu"]: r for table in at.dataframe for r in table.value.to_dict("records")}
    lotus = rows["Mô hình trồng sen lấy hạt: sản lượng hạt sen"]
    assert lotus["Giá trị"] == "6.300 kg" and lotus["Kỳ / thời điểm"] == "tại 31/12/2023"
    assert rows["Lượt người dự tập huấn chuyển giao KHKT"]["Giá trị"] == "hơn 445 lượt"
    assert rows["Mô hình trồng hoa cúc: quy mô"]["Giá trị"] == "0,5 ha (kế hoạch)"
    assert rows["Tỉ lệ máy tính/cán bộ, công chức"]["Giá trị"] == "100 %"
    assert "6.300 kg/2ha" in lotus["Trích báo cáo"]


def test_science_page_offers_the_reports_year(demo_url, monkeypatch):
    at = run_page("science", demo_url, monkeypatch, span=("2024-01", "2024-12"))
    assert not at.exception and "năm 2023" in at.info[-1].value
    at.button[0].click().run()
    assert not at.exception and at.session_state.span == ("2023-01", "2023-12")


def test_the_slideshow_goes_through_its_views_in_one_session(demo_url, monkeypatch):
    from pages.shared import slideshow

    monkeypatch.setenv("KPI_DATABASE_URL", demo_url)
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=90)
    views = "tong-quan,so-hoa-tthc:on_time_rate,hai-long,nope"  # an unknown view is left out
    show = {"present": "1", "advance": "1", "views": views}
    at.query_params.update({**show, "from": "2023-01", "to": "2023-12"})
    at.run()
    assert not at.exception and at.title[0].value == "Tổng quan"
    assert at.session_state.advance == slideshow.MIN_SECONDS  # 1 s is too fast for a wall
    assert at.session_state.views == ["tong-quan", "so-hoa-tthc:on_time_rate", "hai-long"]
    status = " ".join(str(h.value) for h in at.get("html"))
    # the overview's cards include illustrative figures (online filing, payment, on time)
    assert "Huyện Bình Sơn — Tháng 1/2023 – Tháng 12/2023 · Có số liệu minh họa · Đã báo cáo đủ" in status
    at.button(key="show_next").click().run()
    assert at.title[0].value == "Số hóa TTHC" and at.session_state.indicator == "on_time_rate"
    assert [m.label for m in at.metric] == ["Tỷ lệ giải quyết đúng hạn"]  # the slide's indicator
    assert at.query_params["indicator"] == "on_time_rate" and at.query_params["advance"] == "3"
    at.button(key="show_next").click().run()
    assert at.title[0].value == "Mức độ hài lòng"
    status = " ".join(str(h.value) for h in at.get("html"))
    # the district's 658 answers are the report's, the communes' shares on the slide are not
    assert "Tháng 12/2023 · Có số liệu minh họa ·" in status, status
    at.button(key="show_next").click().run()  # after the last, the first again
    assert at.title[0].value == "Tổng quan"
    at.button(key="show_previous").click().run()
    assert not at.exception and at.title[0].value == "Mức độ hài lòng"


def test_the_slideshow_says_real_figures_only_when_every_shown_figure_is(fresh_url, monkeypatch):
    """Without the demo, the report's figures alone: the satisfaction slide says they are real
    (with the demo, the communes' shares under the same total make it say illustrative)."""
    setup.initialise(db.get_engine(fresh_url), with_demo=False)
    monkeypatch.setenv("KPI_DATABASE_URL", fresh_url)
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=90)
    show = {"present": "1", "advance": "60", "views": "hai-long", "from": "2023-01", "to": "2023-12"}
    at.query_params.update(show)
    at.run()
    at.button(key="show_next").click().run()  # from the overview to the show's one view
    assert not at.exception and at.title[0].value == "Mức độ hài lòng"
    status = " ".join(str(h.value) for h in at.get("html"))
    assert "Tháng 12/2023 · Số liệu thật ·" in status, status


def test_slideshow_views_and_seconds_from_any_address():
    from pages.shared import slideshow

    every = slideshow.all_views()
    assert every[0] == "tong-quan" and "so-hoa-tthc:intake_digitization_rate" in every and "bao-cao" in every
    assert slideshow.parse_views(None) == every and slideshow.parse_views(",,x") == every
    assert [slideshow.parse_seconds(s) for s in ("20", "1", "99999", "soon", None)] == [
        20,
        3,
        600,
        None,
        None,
    ]
    assert slideshow.current_index(every, "so-hoa-tthc", "on_time_rate") == every.index(
        "so-hoa-tthc:on_time_rate"
    )
    assert slideshow.current_index(["hai-long"], "so-hoa-tthc", "on_time_rate") == -1
    label = slideshow.view_label("so-hoa-tthc:intake_digitization_rate", "en")
    assert label == "Digitised procedures — Intake digitisation rate"


def test_the_sidebar_builds_a_slideshow_that_starts_at_its_first_view(demo_url, monkeypatch):
    monkeypatch.setenv("KPI_DATABASE_URL", demo_url)
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=90).run()
    at.number_input(key="_show_seconds").set_value(45).run()
    at.multiselect(key="_show_views").set_value(["so-hoa-tthc:on_time_rate", "chi-so-766"]).run()
    (start,) = [b.proto.url for b in at.get("link_button")]
    assert start.startswith("/so-hoa-tthc?present=1&advance=45&views=so-hoa-tthc%3Aon_time_rate%2Cchi-so-766")
    assert start.endswith("&indicator=on_time_rate")


def test_a_table_cache_keys_a_frame_by_its_values(demo_url):
    """The formatted tables are cached by a digest of the frame: the same values (a copy, or
    the copy st.cache_data hands out) hit; one changed value, name, type or row order misses."""
    import pickle

    from pages.shared.cached import frame_key

    frame = computation.compute(
        computation.Query(("intake_digitization_rate",), "524", Range.year(2023), by="child"),
        db.get_engine(demo_url),
    )
    assert frame_key(frame.copy()) == frame_key(pickle.loads(pickle.dumps(frame))) == frame_key(frame)
    changed = frame.copy()
    changed.loc[0, "value"] += 0.01
    assert frame_key(changed) != frame_key(frame)
    assert frame_key(frame.rename(columns={"value": "gap", "gap": "value"})) != frame_key(frame)
    assert frame_key(frame.astype({"units_reported": float})) != frame_key(frame)
    assert frame_key(frame[::-1]) != frame_key(frame)
    assert frame_key(frame.head(3)) == frame_key(frame.copy().head(3))
