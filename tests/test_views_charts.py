"""What the pages show, checked below the page: the views' frames and the figures' traces."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from kpi import catalog, computation
from kpi.dashboard import charts, export, frames, tables, theme
from kpi.periods import Range
from kpi.store import db

Y2023 = Range.year(2023)
Y2024 = Range.year(2024)
INTAKE = catalog.indicators()["intake_digitization_rate"]


def values(ids, root, span, engine, **how) -> pd.DataFrame:
    return computation.compute(computation.Query(ids, root, span, **how), engine)


@pytest.fixture(scope="module")
def engine(demo_url):
    return db.get_engine(demo_url)


def test_data_range_and_months(engine):
    span = frames.data_range("524", engine)  # the district ended on 30 June 2025
    assert (span.start, span.end) == (date(2021, 1, 1), date(2025, 7, 1))
    assert [m.code for m in Y2023.months][:2] == ["2023-01", "2023-02"] and len(Y2023.months) == 12


def test_headline_cards_carry_a_monthly_trend(engine):
    totals, monthly = computation.compute_many(list(frames.headline_queries("524", Y2023)), engine)
    cards = frames.headline(totals, monthly).set_index("indicator")
    assert cards.loc["intake_digitization_rate", "value"] == 64.39
    assert len(cards.loc["intake_digitization_rate", "trend"]) == 12
    assert pd.Series(cards.loc["contest_prizes", "trend"]).isna().all()  # prizes are yearly


def test_extremes_by_gap_to_target(engine):
    ranking = values((INTAKE.id,), "524", Y2023, engine, by="child")
    behind, ahead = frames.extremes(ranking, INTAKE)
    communes = ranking[ranking.unit_level == "commune"].sort_values("gap")
    assert list(behind.unit_code) == list(communes.unit_code[:3])
    assert list(ahead.unit_code) == list(communes.unit_code[::-1][:3])


def test_survey_levels_and_prizes_add_up_to_the_report(engine):
    levels = frames.survey_levels("524", Y2023, engine)
    assert levels.survey_very_satisfied.sum() == 629 and levels.survey_satisfied.sum() == 21
    prizes = frames.prizes("524", Y2023, engine)
    by_level = prizes.groupby("level").value.sum()
    assert (by_level["district"], by_level["province"]) == (28, 2)


def test_reporting_grid(engine):
    grid = frames.reporting_grid("524", Y2024, engine)
    assert len(grid) == 32 * 12
    counts = grid.status.value_counts()
    assert counts["not_reported"] == 6 and counts["late"] > 0 and counts["on_time"] > counts["late"]
    missing = grid[grid.status == "not_reported"]
    assert {m.month for m in missing.month_start} == {11, 12}


def test_status_rules():
    deadline = pd.Timedelta(days=10)
    month = date(2024, 3, 1)
    assert frames._status(True, 9, 9, date(2024, 4, 11), month, deadline) == "on_time"
    assert frames._status(True, 9, 9, date(2024, 4, 12), month, deadline) == "late"
    assert frames._status(True, 9, 9, None, month, deadline) == "on_time"  # date unknown: not late
    assert frames._status(True, 4, 9, date(2024, 4, 2), month, deadline) == "partial"
    assert frames._status(True, 0, 9, None, month, deadline) == "not_reported"
    assert frames._status(False, 0, 9, None, month, deadline) == "not_expected"


def test_ranking_chart(engine):
    ranking = values((INTAKE.id,), "524", Y2023, engine, by="child")
    fig = charts.ranking(ranking, INTAKE, "vi")
    bar = fig.data[0]
    assert list(bar.x) == sorted(ranking.value)
    behind = {name for name, gap in zip(ranking.unit_name, ranking.gap, strict=True) if gap < 0}
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert all(colours[n] == theme.COLOURS["behind"] for n in behind)
    assert fig.layout.shapes[0].x0 == 80  # the 2023 target line
    assert fig.layout.separators == ",."


@pytest.mark.parametrize("present", [False, True])
def test_target_line_is_plotly_vline(engine, present):
    """The line and its label, given to the layout directly, are what fig.add_vline draws."""
    fig = charts.ranking(values((INTAKE.id,), "524", Y2023, engine, by="child"), INTAKE, "en", present)
    drawn = go.Figure()
    drawn.add_vline(
        x=80,
        line={"color": theme.COLOURS["target"], "dash": "dash", "width": 3 if present else 2},
        annotation_text="Target",
        annotation_font_color=theme.COLOURS["target"],
        annotation_yanchor="bottom",  # above the plot, clear of the bars
    )
    assert fig.layout.shapes == drawn.layout.shapes
    assert fig.layout.annotations == drawn.layout.annotations


def test_trend_chart_draws_the_district_black_and_the_target_dashed(engine):
    district = values((INTAKE.id,), "524", Y2023, engine, grain="month")
    commune = values((INTAKE.id,), "21040", Y2023, engine, grain="month")
    fig = charts.trend(pd.concat([district, commune]), INTAKE, "en", "month")
    names = [trace.name for trace in fig.data]
    assert names == ["Huyện Bình Sơn", "Thị trấn Châu Ổ", "Target"]
    assert fig.data[0].line.color == "#000000" and fig.data[2].line.dash == "dash"
    assert list(fig.data[0].x[:2]) == ["Jan 2023", "Feb 2023"]
    assert list(fig.data[0].y) == list(district.value)
    assert fig.layout.separators == ".,"


def test_heatmap_leaves_missing_cells_blank(engine):
    grid = values(
        (INTAKE.id,),
        "524",
        Range.parse("2024-10", "2024-12"),
        engine,
        grain="month",
        by="child",
    )
    fig = charts.heatmap(grid, INTAKE, "vi", "month")
    z = pd.DataFrame(fig.data[0].z, index=fig.data[0].y, columns=fig.data[0].x)
    assert z.shape == (32, 3) and list(z.columns) == ["T10/2024", "T11/2024", "T12/2024"]
    assert z.isna().sum().sum() == 6  # three communes silent in November and December


def test_survey_chart_keeps_the_level_order_and_colours(engine):
    fig = charts.survey_stacked(frames.survey_levels("524", Y2023, engine), "vi")
    assert [trace.marker.color for trace in fig.data] == [
        theme.COLOURS[k] for k in ("very_satisfied", "satisfied", "neutral", "dissatisfied")
    ]
    assert sum(sum(trace.x) for trace in fig.data) == 658


def test_prizes_chart(engine):
    fig = charts.prizes_by_rank(frames.prizes("524", Y2023, engine), "vi")
    assert [trace.name for trace in fig.data] == ["Nhất", "Nhì", "Ba", "Khuyến khích"]
    assert sum(sum(trace.y) for trace in fig.data) == 30


def test_reporting_chart_marks_cells_with_symbols(engine):
    fig = charts.reporting(frames.reporting_grid("524", Y2024, engine), "vi")
    symbols = pd.Series([s for row in fig.data[0].text for s in row]).value_counts()
    assert symbols["✗"] == 6 and symbols["✓"] > 0


def test_presentation_mode_uses_larger_type():
    assert theme.template("vi", present=True).layout.font.size > theme.template("vi").layout.font.size


def test_exports_defuse_formulas_and_keep_numbers():
    frame = pd.DataFrame(
        {"Đơn vị": ['=HYPERLINK("x")', "Xã Bình An", "-1+2", "@SUM(A1)"], "Giá trị": [1.5, 2.0, 3.0, -4.0]}
    )
    csv = export.to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'-1+2" in csv and "'@SUM" in csv and ",-4.0" in csv
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1] == ['\'=HYPERLINK("x")', 1.5] and values[4] == ["'@SUM(A1)", -4]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_records_are_the_rows_as_to_dict_gives_them(engine):
    """tables.records reads a frame column by column; the rows are the ones to_dict gives."""
    from kpi import scorecard

    _, by_unit, _, _ = scorecard.scorecards("524", Y2023, engine)
    for frame in (by_unit, by_unit.iloc[:0], values((INTAKE.id,), "524", Y2023, engine, by="child")):
        found, expected = tables.records(frame), frame.to_dict("records")
        assert len(found) == len(expected)
        for got, want in zip(found, expected, strict=True):
            assert list(got) == list(want)
            assert all(got[k] == want[k] or (pd.isna(got[k]) and pd.isna(want[k])) for k in want)
