"""The Decision 766 scorecard: points per item as the portal scores them, what is not measured
left out (never a zero), and what it takes to reach each threshold, counted in dossiers."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import scorecard
from kpi.cli import main
from kpi.periods import Range
from kpi.store import db
from tests.helpers import run_page

PINNED = ["unit_code", "unit_name", "group", "indicator", "value"]
PINNED += ["threshold", "points", "max_points", "measured", "to_threshold"]


def test_the_command_line_scorecard_of_2023(demo_url, use_store, capsys):
    use_store(demo_url)
    assert main(["scorecard", "--year", "2023", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(list(r)[: len(PINNED)] == PINNED for r in rows)
    intake = next(r for r in rows if r["indicator"] == "intake_digitization_rate")
    assert (intake["value"], intake["threshold"], intake["to_threshold"]) == (64.39, 80, 5280)
    assert intake["points"] == round(64.39 * 8 / 80, 2) and intake["illustrative"] is False
    unmeasured = [r for r in rows if not r["measured"]]
    assert unmeasured and all(r["points"] is None and r["to_threshold"] is None for r in unmeasured)
    assert main(["scorecard", "--year", "2023"]) == 0
    out = capsys.readouterr().out
    assert "5.280 hồ sơ TTHC được số hóa khi tiếp nhận nữa để đạt 80,00 %" in out
    assert "trên 57 điểm đo được" in out and "(giả định)" in out
    assert main(["scorecard", "--year", "2023", "--by", "unit", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 1 + 32 * 8  # a header, 8 items of 32 units


@pytest.mark.parametrize(
    ("numerator", "denominator", "threshold", "needed"),
    [(21777, 33821, 80, 5280), (80, 100, 80, 0), (79, 100, 80, 1), (95, 100, 80, 0), (0, 3, 50, 2)],
)
def test_what_it_takes_to_reach_a_threshold(numerator, denominator, threshold, needed):
    assert scorecard.to_threshold(numerator, denominator, threshold) == needed


def test_totals_count_only_what_is_measured(demo_url):
    card = scorecard.scorecard("524", Range.year(2023), engine=db.get_engine(demo_url))
    totals = scorecard.totals(card).set_index("group")
    assert totals.loc["total", "measured_points"] == 57 and totals.loc["total", "max_points"] == 100
    assert totals.loc["total", "points"] == pytest.approx(card.points.sum())
    assert totals.points.isna()[["transparency", "satisfaction"]].all()  # not measured: no score
    full = card[card.value >= card.threshold]
    assert (full.points == full.max_points).all() and (full.to_threshold == 0).all()


def test_each_version_of_the_index_adds_up_to_100():
    for version in scorecard.versions():
        assert sum(version.groups.values()) == 100
        assert {i.threshold_basis for i in version.items} <= {"", "published", "assumption"}


def test_the_scorecard_page_ranks_units_and_says_what_it_takes(demo_url, monkeypatch):
    at = run_page("scorecard", demo_url, monkeypatch, span=("2023-01", "2023-12"), map="legacy")
    assert not at.exception
    assert at.metric[0].value == "36,11 / 57"
    assert any("minh họa" in m.value for m in at.markdown)  # on-time, online, payment: demo values
    gaps = at.dataframe[-1].value
    assert len(gaps) > 20 and gaps["Cần thêm để đạt ngưỡng"].str.contains("nữa để đạt").all()
    english = run_page(
        "scorecard", demo_url, monkeypatch, span=("2023-01", "2023-12"), map="legacy", lang_en=True
    )
    assert not english.exception and english.metric[0].label == "Score on what is measured"


def _totals_by_group_by(card: pd.DataFrame) -> pd.DataFrame:
    """The totals as two pandas group-bys work them out: the oracle of scorecard.totals."""
    card = card.assign(measured_points=card.max_points.where(card.measured, 0.0))
    sums, frames = ["points", "measured_points", "max_points"], []
    for keys in (["unit_code", "unit_name", "group"], ["unit_code", "unit_name"]):
        summed = card.groupby(keys, sort=False)[sums].sum().reset_index()
        summed["points"] = summed.points.where(summed.measured_points > 0)
        frames.append(summed)
    found = pd.concat([frames[0], frames[1].assign(group="total")], ignore_index=True)
    return found[["unit_code", "unit_name", "group", "points", "measured_points", "max_points"]]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["21040", "21043", "524"]),
            st.sampled_from(["services", "transparency", "satisfaction"]),
            st.one_of(st.none(), st.floats(0, 20, allow_subnormal=False)),
            st.sampled_from([2.0, 8.0, 10.0]),
        ),
        max_size=40,
    )
)
def test_totals_are_the_sums_of_any_card(rows):
    """Per unit and group, then per unit, in the card's order; nothing measured, no score."""
    card = pd.DataFrame(rows, columns=["unit_code", "group", "points", "max_points"], dtype=object)
    card = card.astype({"unit_code": "str", "group": "str", "points": "float64", "max_points": "float64"})
    card = card.assign(unit_name="Xã " + card.unit_code, measured=card.points.notna())
    pd.testing.assert_frame_equal(scorecard.totals(card), _totals_by_group_by(card))
