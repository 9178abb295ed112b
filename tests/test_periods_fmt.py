"""Periods and number formats: what users read and type."""

from __future__ import annotations

import math
from datetime import date

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import fmt
from kpi.periods import Period, PeriodError, add_months, code_of, truncate


@pytest.mark.parametrize(
    ("code", "start", "end", "kind"),
    [
        ("2023", date(2023, 1, 1), date(2024, 1, 1), "year"),
        ("2023-Q1", date(2023, 1, 1), date(2023, 4, 1), "quarter"),
        ("2023-Q4", date(2023, 10, 1), date(2024, 1, 1), "quarter"),
        ("2023-03", date(2023, 3, 1), date(2023, 4, 1), "month"),
        ("2023-12", date(2023, 12, 1), date(2024, 1, 1), "month"),
    ],
)
def test_parse_and_print(code, start, end, kind):
    period = Period.parse(code)
    assert (period.start, period.end, period.kind, period.code) == (start, end, kind, code)


@pytest.mark.parametrize("bad", ["23", "2023-13", "2023-Q5", "2023-3", "T3/2023", ""])
def test_bad_codes_say_what_to_write(bad):
    with pytest.raises(PeriodError) as raised:
        Period.parse(bad)
    assert "2023-Q1" in raised.value.text("vi") and "use 2023" in raised.value.text("en")


def test_labels_in_both_languages():
    assert Period.parse("2023-03").label("vi") == "Tháng 3/2023"
    assert Period.parse("2023-Q2").label("vi") == "Quý II/2023"
    assert Period.parse("2023").label("vi") == "Năm 2023"
    assert Period.parse("2023-03").label("en") == "Mar 2023"
    assert Period.parse("2023-Q2").label("en") == "Q2 2023"


def test_arithmetic():
    assert add_months(date(2023, 11, 1), 3) == date(2024, 2, 1)
    assert add_months(date(2023, 1, 1), -1) == date(2022, 12, 1)
    assert truncate(date(2023, 8, 15), "quarter") == date(2023, 7, 1)
    assert Period.parse("2023-01").shift(-1).code == "2022-12"
    assert code_of(date(2023, 1, 1), date(2023, 7, 1)) == "2023-01..2023-06"
    assert code_of(date(2023, 4, 1), date(2023, 7, 1)) == "2023-Q2"


def test_vietnamese_numbers():
    assert fmt.number(21777) == "21.777"
    assert fmt.percent(64.39) == "64,39 %"
    assert fmt.value(206_000_000, "vnd") == "206.000.000 đ"
    assert fmt.signed(-15.61) == "-15,61 điểm %"
    assert fmt.signed(2091, unit="count") == "+2.091"


def test_english_numbers():
    assert fmt.number(21777, "en") == "21,777"
    assert fmt.percent(64.39, "en") == "64.39 %"
    assert fmt.signed(1.5, "en") == "+1.50 pp"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_prints_as_a_dash_not_zero(missing):
    assert fmt.number(missing) == fmt.percent(missing) == fmt.signed(missing) == "—"


@settings(max_examples=400, deadline=None)
@given(
    value=st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
        st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False).map(float),
    ),
    lang=st.sampled_from(["vi", "en"]),
    decimals=st.integers(min_value=0, max_value=3),
)
def test_numbers_are_written_as_babel_writes_them(value, lang, decimals):
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert fmt.number(value, lang, decimals) == format_decimal(
        value, format=pattern, locale=fmt.LOCALES[lang]
    )


def test_money_on_a_card_is_written_as_the_report_writes_it():
    assert fmt.short_amount(206_000_000, "vnd") == "206 triệu đồng"
    assert fmt.short_amount(10_000_000_000, "vnd") == "10 tỷ đồng"
    assert fmt.short_amount(2_500_000_000, "vnd", "en") == "VND 2.5 billion"
    assert fmt.short_amount(450_000, "vnd") == "450.000 đ"  # under a million: every digit
    assert fmt.short_amount(64.39, "percent") == "64,39 %"
