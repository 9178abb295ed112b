"""The indicator engine against the tiny hand-made store (see conftest.py for its values)."""

from __future__ import annotations

import math
from datetime import date
from unittest import mock

import pandas as pd
import pytest

from kpi import catalog, computation
from kpi.periods import Period, Range
from kpi.store import db, migrate, writes
from tests.conftest import TINY_UNITS, obs

RATE = "intake_digitization_rate"
Q1 = (date(2023, 1, 1), date(2023, 4, 1))
YEAR = (date(2023, 1, 1), date(2024, 1, 1))


def compute(url: str, root: str, span: tuple[date, date], grain="total", by="total", ids=(RATE,), units=()):
    query = computation.Query(tuple(ids), root, Range(*span), grain=grain, by=by, units=units)
    return computation.compute(query, db.get_engine(url))


def test_rate_over_units_is_the_ratio_of_the_sums(tiny_url):
    row = compute(tiny_url, "D", Q1).iloc[0]
    # A: 60 of 600; B: 18 of 20 (its March has no digitised count, so it is left out).
    assert (row.numerator, row.denominator) == (78, 620)
    assert row.value == round(100 * 78 / 620, 2) == 12.58  # not the mean of 10 % and 90 %
    assert row.period == "2023-Q1"
    # A sent every month of the quarter; B missed March's digitised count; G sent nothing.
    assert (row.units_reported, row.units_expected) == (1, 3)
    two_months = compute(tiny_url, "D", (date(2023, 1, 1), date(2023, 3, 1))).iloc[0]
    assert two_months.period == "2023-01..2023-02"


def test_target_gap_and_change_from_the_period_before(tiny_url):
    row = compute(tiny_url, "D", Q1).iloc[0]
    assert row.target == 50
    assert row.gap == pytest.approx(12.58 - 50)
    assert row.previous_value == 10.0  # Oct-Dec 2022: agency G, 4 of 40
    assert row.change == pytest.approx(2.58)


def test_missing_is_not_zero(tiny_url):
    march = compute(tiny_url, "D", (date(2023, 3, 1), date(2023, 4, 1))).iloc[0]
    # B sent dossiers received but no digitised count for March: it does not count as 0 of 50.
    assert (march.numerator, march.denominator, march.value) == (30, 300, 10.0)
    assert (march.units_reported, march.units_expected) == (1, 3)


def test_by_month(tiny_url):
    frame = compute(tiny_url, "D", Q1, grain="month")
    assert list(frame.period) == ["2023-01", "2023-02", "2023-03"]
    assert list(frame.value) == [round(100 * 19 / 110, 2), round(100 * 29 / 210, 2), 10.0]
    assert frame.previous_value.iloc[0] == 10.0  # December 2022
    assert frame.previous_value.iloc[1] == frame.value.iloc[0]


def test_by_quarter_keeps_empty_quarters_and_unit_validity(tiny_url):
    frame = compute(tiny_url, "D", YEAR, grain="quarter").set_index("period")
    assert frame.loc["2023-Q1", "value"] == 12.58
    assert math.isnan(frame.loc["2023-Q2", "value"])
    # Commune B was dissolved on 1 July 2023: from Q3 only A and G are expected to report.
    assert list(frame.units_expected) == [3, 3, 2, 2]


def test_by_year_and_a_range_of_years(tiny_url):
    years = compute(tiny_url, "D", (date(2022, 1, 1), date(2024, 1, 1)), grain="year").set_index("period")
    assert years.loc["2022", "value"] == 10.0
    assert years.loc["2023", "value"] == 12.58
    both = compute(tiny_url, "D", (date(2022, 1, 1), date(2024, 1, 1))).iloc[0]
    assert (both.numerator, both.denominator) == (82, 660)
    assert math.isnan(both.target)  # a two-year range has no single yearly target


def test_breakdown_by_child_adds_up_to_the_parent(tiny_url):
    children = compute(tiny_url, "D", YEAR, by="child").set_index("unit_code")
    assert children.loc["A", "value"] == 10.0
    assert children.loc["B", "value"] == 90.0
    assert math.isnan(children.loc["G", "value"])  # expected, but no 2023 data
    parent = compute(tiny_url, "D", YEAR).iloc[0]
    assert children.numerator.sum() == parent.numerator
    assert children.denominator.sum() == parent.denominator


def test_commune_level(tiny_url):
    row = compute(tiny_url, "A", YEAR).iloc[0]
    assert (row.unit_name, row.numerator, row.denominator, row.value) == ("Xã A", 60, 600, 10.0)


def test_a_total_for_the_whole_unit_is_not_added_to_its_parts(tiny_url):
    whole = compute(tiny_url, "E", YEAR).iloc[0]
    assert (whole.numerator, whole.denominator) == (500, 1000)
    by_child = compute(tiny_url, "E", YEAR, by="child").iloc[0]
    assert (by_child.unit_code, by_child.numerator, by_child.denominator) == ("C", 500, 1000)
    january = compute(tiny_url, "E", (date(2023, 1, 1), date(2023, 2, 1))).iloc[0]
    assert january.value == 50.0  # the yearly total does not fit in a month: C's month counts


def test_country_sums_every_district(tiny_url):
    row = compute(tiny_url, "VN", YEAR).iloc[0]
    assert (row.numerator, row.denominator) == (78 + 500, 620 + 1000)


def test_each_unit_of_a_subtree(tiny_url):
    frame = compute(tiny_url, "VN", Q1, grain="month", by="unit")
    a = frame[frame.unit_code == "A"]
    assert list(a.value) == [10.0, 10.0, 10.0]
    # Districts report nothing monthly themselves, and E's yearly total fits in no month.
    assert set(frame.unit_code) == {"A", "B", "C", "G"}


def test_rate_with_two_numerator_elements(tiny_url):
    row = compute(tiny_url, "D", Q1, ids=("satisfaction_rate",)).iloc[0]
    assert (row.numerator, row.denominator, row.value) == (9, 10, 90.0)
    # Only agencies run the survey; G answered for January only, so Q1 is not fully reported.
    assert (row.units_reported, row.units_expected) == (0, 1)
    january = compute(tiny_url, "D", (date(2023, 1, 1), date(2023, 2, 1)), ids=("satisfaction_rate",)).iloc[0]
    assert (january.units_reported, january.units_expected) == (1, 1)


def test_count_indicator_has_no_denominator(tiny_url):
    row = compute(tiny_url, "D", Q1, ids=("dossiers_received_count",)).iloc[0]
    assert row.value == row.numerator == 100 + 200 + 300 + 10 + 10 + 50
    assert math.isnan(row.denominator)


def test_a_period_without_data_gives_missing_values(tiny_url):
    row = compute(tiny_url, "D", (date(2019, 1, 1), date(2020, 1, 1))).iloc[0]
    assert math.isnan(row.value) and math.isnan(row.numerator)
    assert row.units_reported == 0


def test_empty_database(fresh_url):
    engine_ = db.get_engine(fresh_url)
    migrate.migrate(engine_)
    with engine_.begin() as conn:
        writes.sync_definitions(conn)
        writes.upsert_units(conn, TINY_UNITS)
    frame = compute(fresh_url, "D", YEAR, grain="month")
    assert len(frame) == 12 and frame.value.isna().all()
    assert computation.data_years("D", engine_) == []


def test_unknown_indicator():
    with pytest.raises(computation.UnknownIndicator) as raised:
        computation.indicator("nope")
    assert "'nope'" in raised.value.text("en") and RATE in raised.value.text("vi")


def test_range_is_widened_to_whole_buckets():
    aligned = Range(date(2023, 2, 1), date(2023, 5, 1)).aligned("quarter")
    assert (aligned.start, aligned.end) == (date(2023, 1, 1), date(2023, 7, 1))


def test_several_indicators_in_one_query_each_as_alone(tiny_url):
    ids = (RATE, "dossiers_received_count", "satisfaction_rate")
    together = compute(tiny_url, "D", Q1, grain="month", ids=ids)
    assert list(dict.fromkeys(together.indicator)) == list(ids)  # in the order asked
    for ind in ids:
        alone = compute(tiny_url, "D", Q1, grain="month", ids=(ind,))
        mine = together[together.indicator == ind].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)


def test_chosen_units_are_kept_in_the_query(tiny_url):
    both = compute(tiny_url, "D", Q1, by="child")
    only_a = compute(tiny_url, "D", Q1, by="child", units=("A",))
    assert list(only_a.unit_code) == ["A"]
    pd.testing.assert_frame_equal(only_a, both[both.unit_code == "A"].reset_index(drop=True))


def test_the_change_compares_with_the_bucket_before_even_across_a_gap(tiny_url):
    # By quarter over 2023: Q1 follows Q4 2022 (G's 10 %), Q2 follows Q1; Q2 to Q4 have no data,
    # so Q3 and Q4 have nothing to compare with.
    frame = compute(tiny_url, "D", YEAR, grain="quarter")
    assert list(frame.previous_value[:2]) == [10.0, frame.value.iloc[0]]
    assert frame.previous_value.iloc[2:].isna().all() and frame.change.iloc[1:].isna().all()


def test_a_stock_is_its_last_value_not_a_sum_over_months(tiny_url):
    # Club members are a count at a date: commune A's club has 5 members at the end of 2022 and
    # 7 at the end of 2023, agency G's 10 then 12; over the two years district D has 7 + 12
    # members (stocks add up over units), not 34 (they never add up over time).
    year = lambda y: Period(date(y, 1, 1), "year")  # noqa: E731
    members = "startup_club_members"
    rows = [obs("A", members, year(2022), 5), obs("A", members, year(2023), 7)]
    rows += [obs("G", members, year(2022), 10), obs("G", members, year(2023), 12)]
    with db.get_engine(tiny_url).begin() as conn:
        writes.add_observations(conn, pd.DataFrame(rows), writes.source_id(conn, "test", "test", False))
    ids, two_years = (members,), (date(2022, 1, 1), date(2024, 1, 1))
    assert compute(tiny_url, "D", two_years, ids=ids).iloc[0].value == 19
    by_year = compute(tiny_url, "D", two_years, grain="year", ids=ids)
    assert by_year.value.tolist() == [15, 19]
    assert by_year.change.tolist()[-1] == 4  # the change of a stock: the end less the start
    assert compute(tiny_url, "A", two_years, ids=ids).iloc[0].value == 7
    # The same values read as a flow would be summed: the rule is the element's measure.
    assert catalog.indicators()[members].is_stock and not catalog.indicators()[RATE].is_stock


def test_unit_names_are_read_again_after_a_write(tiny_url):
    """The units under a root are kept per version of the store (kpi.computation._tree): a
    write through the product changes the version, and a store without one is read each time."""
    engine = db.get_engine(tiny_url)

    def renamed(name: str) -> pd.DataFrame:
        return TINY_UNITS.assign(name=TINY_UNITS.name.where(TINY_UNITS.code != "A", name))

    def name_of_a() -> str:
        frame = compute(tiny_url, "D", Q1, by="unit")
        return frame.set_index("unit_code").unit_name["A"]

    assert name_of_a() == "Xã A"
    with engine.begin() as conn:  # as a test or a tool would write, without a version
        writes.upsert_units(conn, renamed("Xã A (1)"))
    assert name_of_a() == "Xã A (1)"
    with db.writing(engine) as conn:  # as the product writes: a new version
        writes.upsert_units(conn, renamed("Xã A (2)"))
    assert name_of_a() == "Xã A (2)"
    with mock.patch.object(db, "text_frame", wraps=db.text_frame) as read:
        assert name_of_a() == "Xã A (2)"
    assert read.call_count == 0  # the second time from the kept tree
    with db.writing(engine) as conn:
        writes.upsert_units(conn, renamed("Xã A (3)"))
    assert name_of_a() == "Xã A (3)"
