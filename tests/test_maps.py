"""The map since 1 July 2025 beside the map before it: units with a lifetime, the conversion
table, history on either map, areas, imports by the map in force, and a store of the previous
version migrated without losing anything."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pandas as pd
import pytest

from kpi import computation
from kpi.dashboard import frames
from kpi.imports import checking, storing
from kpi.periods import Range
from kpi.store import db, migrate, reads, setup, units, writes
from tests.conftest import month, obs

RATE = "intake_digitization_rate"
Y2024 = Range.year(2024)
MERGED = {  # the new communes of Bình Sơn and the old units each was made from (the list)
    "21040": {"21040", "21046", "21052", "21055", "21070", "21082", "21088"},
    "21061": {"21043", "21049", "21061", "21067", "21073", "21079"},
    "21085": {"21058", "21064", "21085"},
    "21100": {"21100", "21106"},
    "21109": {"21091", "21103", "21109", "21112", "21187"},
}


def compute(url: str, root: str, span: Range, **how) -> pd.DataFrame:
    return computation.compute(computation.Query((RATE,), root, span, **how), db.get_engine(url))


def test_the_five_communes_their_predecessors_and_tinh_hoas_crossing(demo_url):
    engine = db.get_engine(demo_url)
    succession = frames.successions(engine)
    found = {
        new.removesuffix("@2025"): set(rows.unit_code) for new, rows in succession.groupby("successor_code")
    }
    assert found == MERGED and not succession.partial.any()
    tinh_hoa = reads.unit("21187", engine)
    assert (tinh_hoa["name"], tinh_hoa["parent_code"]) == ("Xã Tịnh Hòa", "522")
    chau_o, binh_son = (
        reads.unit_on("21040", date(2025, 6, 30), engine),
        reads.unit_on("21040", date(2025, 7, 1), engine),
    )
    assert (chau_o["name"], binh_son["name"], binh_son["code"]) == (
        "Thị trấn Châu Ổ",
        "Xã Bình Sơn",
        "21040@2025",
    )
    agencies = units.divisions("524").query("level == 'agency'")
    assert (agencies.valid_to == units.MAP_CHANGE).all()


def test_the_conversion_flag_is_read_from_the_official_table():
    new, partial = units._old_to_new()[16]  # Phường Phúc Xá of Hà Nội, split between two wards
    assert partial and set(new) == {4, 8}
    assert units._old_to_new()[21187] == ((21109,), False)


def test_a_new_communes_past_is_the_ratio_of_the_sums_of_its_predecessors(demo_url):
    old = compute(demo_url, "binh-son", Y2024, by="unit", map=units.LEGACY).set_index("unit_code")
    six = old.loc[sorted(MERGED["21061"])]
    (van_tuong,) = compute(demo_url, "21061@2025", Y2024, map=units.CURRENT).itertuples()
    assert (van_tuong.numerator, van_tuong.denominator) == (six.numerator.sum(), six.denominator.sum())
    assert van_tuong.value == round(100 * six.numerator.sum() / six.denominator.sum(), 2)
    assert van_tuong.units_expected == 6
    # The same code in 2024 on the map in force then is Bình Trị alone.
    (binh_tri,) = compute(demo_url, "21061", Y2024).itertuples()
    assert binh_tri.unit_name == "Xã Bình Trị" and binh_tri.numerator == old.loc["21061", "numerator"]


def test_a_commune_made_partly_from_units_outside_the_store_shows_incomplete_history(demo_url):
    (dong_son,) = compute(demo_url, "21109@2025", Y2024, map=units.CURRENT).itertuples()
    assert dong_son.units_expected == 5 and dong_son.units_reported <= 4  # Tịnh Hòa sent nothing
    legacy = compute(demo_url, "binh-son", Y2024, grain="month", by="unit", map=units.LEGACY)
    gaps = frames.history_gaps(legacy, frames.successions(db.get_engine(demo_url)))
    assert gaps.to_dict("records") == [
        {"successor_code": "21109@2025", "kind": "silent", "units": "Xã Tịnh Hòa (21187)"}
    ]


def test_the_area_is_the_district_and_tinh_hoa_on_either_map(demo_url):
    legacy = compute(demo_url, "binh-son", Y2024, map=units.LEGACY).iloc[0]
    current = compute(demo_url, "binh-son", Y2024, map=units.CURRENT).iloc[0]
    district = compute(demo_url, "524", Y2024).iloc[0]
    assert legacy.numerator == current.numerator == district.numerator  # Tịnh Hòa has no values
    assert legacy.units_expected == current.units_expected == district.units_expected + 1
    children = compute(demo_url, "binh-son", Y2024, by="child", map=units.CURRENT)
    assert set(children.unit_code) == {f"{c}@2025" for c in MERGED} | {"524"}
    assert children.numerator.sum() == current.numerator


def test_a_unit_merged_in_part_is_never_counted_whole(fresh_url):
    """P went partly into N and partly elsewhere: N's past holds W whole, and P only as missing."""
    engine = db.get_engine(fresh_url)
    migrate.migrate(engine)
    frame = pd.DataFrame(
        [
            ("VN", "Việt Nam", "country", None, None, None),
            ("D", "Huyện D", "district", "VN", None, units.MAP_CHANGE),
            ("W", "Xã W", "commune", "D", None, units.MAP_CHANGE),
            ("P", "Xã P", "commune", "D", None, units.MAP_CHANGE),
            ("N@2025", "Xã N", "commune", "VN", units.MAP_CHANGE, None),
        ],
        columns=["code", "name", "level", "parent_code", "valid_from", "valid_to"],
    ).assign(kind="xa", origin="test")
    succession = pd.DataFrame({"unit_code": ["W", "P"], "successor_code": "N@2025", "partial": [False, True]})
    with engine.begin() as conn:
        writes.sync_definitions(conn)
        writes.upsert_units(conn, frame, succession)
        source = writes.source_id(conn, "test", "test", False)
        rows = [
            obs(u, e, month(2024, 5), v)
            for u, (r, d) in {"W": (100, 50), "P": (1000, 10)}.items()
            for e, v in (("dossiers_received", r), ("dossiers_digitized_at_intake", d))
        ]
        writes.add_observations(conn, pd.DataFrame(rows), source)
    may = Range.parse("2024-05")
    (n,) = compute(fresh_url, "N@2025", may, map=units.CURRENT).itertuples()
    assert (n.numerator, n.denominator, n.units_reported, n.units_expected) == (50, 100, 1, 2)
    (p,) = compute(fresh_url, "D", may, by="unit").query("unit_code == 'P'").itertuples()
    assert (p.numerator, p.denominator) == (10, 1000)  # on its own map it is whole
    legacy = compute(fresh_url, "D", may, by="unit", map=units.LEGACY)
    gaps = frames.history_gaps(legacy, succession)
    assert gaps.to_dict("records") == [{"successor_code": "N@2025", "kind": "partial", "units": "Xã P (P)"}]


FILE_2026 = "Mã xã,Tên đơn vị,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa\n{rows}"


def test_a_2026_file_from_the_new_communes_imports(demo_url, use_store):
    url = use_store(demo_url)
    text = FILE_2026.format(
        rows="21040,Xã Bình Sơn,2025-08,100,90\n21061,,2025-08,80,70\n,Xã Đông Sơn,2025-08,50,40\n"
    )
    report = checking.check(text.encode(), "x.csv", db.get_engine(url), today=date(2026, 1, 15))
    assert not report.errors, [p.message() for p in report.errors]
    assert set(report.values.unit_code) == {"21040@2025", "21061@2025", "21109@2025"}


def test_the_same_file_naming_old_units_is_refused_row_by_row(demo_url, use_store):
    url = use_store(demo_url)
    text = FILE_2026.format(
        rows=",Thị trấn Châu Ổ,Tháng 8/2025,100,90\n21043,,2025-08,80,70\n21040,,2025,5,4\n"
    )
    report = checking.check(text.encode(), "x.csv", db.get_engine(url), today=date(2026, 1, 15))
    by_row = {p.row: p for p in report.errors}
    assert by_row[2].column == "Tên đơn vị" and by_row[2].message() == (
        "Thị trấn Châu Ổ (21040) không còn từ 01/7/2025; nay thuộc Xã Bình Sơn (21040). "
        "Ghi đơn vị đang có hiệu lực trong kỳ này."
    )
    assert by_row[3].column == "Mã xã" and "nay thuộc Xã Vạn Tường (21061)" in by_row[3].message()
    assert "vượt qua ngày sáp nhập" in by_row[4].message()  # a year that both units only half lived
    with pytest.raises(storing.ImportRefused):
        storing.apply(report, db.get_engine(url))


def test_a_2024_file_naming_old_units_still_imports_and_a_new_name_then_is_refused(demo_url, use_store):
    url = use_store(demo_url)
    text = FILE_2026.format(
        rows=",Thị trấn Châu Ổ,2024-05,100,90\n21061,,2024-05,80,70\n,Xã Vạn Tường,2024-05,1,1\n"
    )
    report = checking.check(text.encode(), "x.csv", db.get_engine(url))
    assert [p.row for p in report.errors] == [4]
    assert "chỉ có từ 01/7/2025; trước đó là" in report.errors[0].message()
    assert {"21040", "21061"} <= set(report.values.unit_code)


def test_templates_list_the_units_in_force_for_the_period(demo_url):
    from kpi.imports import templates
    from kpi.periods import Period

    engine = db.get_engine(demo_url)
    later = templates.frame("binh-son", Period(date(2026, 3, 1), "month"), "tthc", engine)
    before = templates.frame("binh-son", Period(date(2024, 3, 1), "month"), "tthc", engine)
    assert set(later["Mã xã"]) == set(MERGED)
    assert "Thị trấn Châu Ổ" in set(before["Tên đơn vị"]) and "Xã Bình Sơn" not in set(before["Tên đơn vị"])
    survey = templates.frame("binh-son", Period(date(2026, 3, 1), "month"), "survey", engine)
    assert set(survey["Mã xã"]) == set(MERGED)  # the communes run the survey since the district ended


def test_a_store_of_the_previous_version_keeps_everything(fresh_url, tmp_path):
    """A store made before the 2025 map (schema 3, units keyed by code, one tree) is migrated
    by `init`: every value, import and unit stays, and the 2023 figures are the same."""
    older = tmp_path / "migrations"
    older.mkdir()
    for path in migrate.available():
        if path.version <= 3:
            shutil.copy(path.path, older)
    engine = db.get_engine(fresh_url)
    migrate.migrate(engine, older)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into units (code, name, level, kind, parent_code, valid_from, valid_to, origin) values "
            "('VN', 'Việt Nam', 'country', 'quoc_gia', null, null, null, 'v'),"
            "('51', 'Tỉnh Quảng Ngãi', 'province', 'tinh', 'VN', null, null, 'v'),"
            "('524', 'Huyện Bình Sơn', 'district', 'huyen', '51', null, date '2025-07-01', 'v'),"
            "('21040', 'Thị trấn Châu Ổ', 'commune', 'thi_tran', '524', null, date '2025-07-01', 'v')"
        )
        writes.set_setting(conn, "district", "524")
        source = writes.source_id(conn, "an import", "import", False)
        for m in (1, 2):  # as that version wrote them: today's writes also keep cells it had not
            for e, v in (("dossiers_received", 40), ("dossiers_digitized_at_intake", 30)):
                p = month(2024, m)
                conn.exec_driver_sql(
                    "insert into observations (unit_code, element_id, period_type, period_start,"
                    " period_end, value, source_id)"
                    f" values ('21040', '{e}', 'month', '{p.start}', '{p.end}', {v}, {source})"
                )
    before = pd.read_sql("select * from observations order by 1, 2, 3, 4", engine.connect())
    setup.initialise(engine)
    after = pd.read_sql(
        "select o.* from observations as o join sources as s on s.id = o.source_id "
        "where not s.is_demo and s.kind <> 'report' order by 1, 2, 3, 4",
        engine.connect(),
    )
    pd.testing.assert_frame_equal(before, after[before.columns])
    assert after.kind.isna().all()  # sent before kinds were kept: reported
    assert reads.unit("21040", engine)["name"] == "Thị trấn Châu Ổ"
    assert migrate.current_version(engine.connect()) == migrate.latest_version()
    (row,) = compute(fresh_url, "524", Range.year(2023)).itertuples()
    assert (row.numerator, row.denominator, row.value) == (21_777, 33_821, 64.39)


def test_the_command_line_refuses_a_unit_outside_its_lifetime(demo_url, use_store, tmp_path, capsys):
    from kpi.cli import main

    use_store(demo_url)
    path = tmp_path / "thang-8-2025.csv"
    path.write_text(FILE_2026.format(rows=",Thị trấn Châu Ổ,Tháng 8/2025,100,90\n"), encoding="utf-8")
    assert main(["import", str(path), "--format", "json"]) == 1
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert (error["row"], error["column"]) == (2, "Tên đơn vị")
    assert error["message"].startswith(
        "Thị trấn Châu Ổ (21040) không còn từ 01/7/2025; nay thuộc Xã Bình Sơn (21040)"
    )
    assert main(["indicators", "--year", "2026", "--indicator", RATE, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["unit_name"] == "Khu vực Bình Sơn"


def test_a_year_without_data_names_the_years_that_have_some(demo_url, use_store, capsys):
    from kpi.cli import main

    use_store(demo_url)
    assert main(["indicators", "--year", "2019"]) == 2
    assert "Các năm có số liệu: 2021, 2022, 2023, 2024, 2025" in capsys.readouterr().err
