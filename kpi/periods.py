"""Periods and ranges of them: a month, a quarter or a year, written 2023-03, 2023-Q1 and 2023,
and a Range of whole months, the one time range type of the URL, the CLI, the computation
and the charts.

A period is stored as its type, its first day and the day after its last (end exclusive), so
that "lies within" is two date comparisons in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from babel.dates import format_date

from kpi.i18n import LOCALES, Failure, t

PeriodType = Literal["month", "quarter", "year"]
Grain = Literal["month", "quarter", "year", "total"]
MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
ROMAN = ("I", "II", "III", "IV")
_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


class PeriodError(Failure, ValueError):
    """A period code that cannot be read, or a range that ends before it starts."""


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after day's month (day must be a first of month)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def truncate(day: date, kind: PeriodType) -> date:
    """The first day of the month, quarter or year that contains day."""
    if kind == "year":
        return date(day.year, 1, 1)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


@dataclass(frozen=True, order=True)
class Period:
    """One month, quarter or year."""

    start: date
    kind: PeriodType

    @classmethod
    def parse(cls, code: str) -> Period:
        """Read 2023, 2023-Q1 or 2023-03."""
        m = _CODE.match(code.strip())
        if not m:
            raise PeriodError("err_period_code", code=code)
        year = int(m["year"])
        if m["quarter"]:
            return cls(date(year, 3 * int(m["quarter"]) - 2, 1), "quarter")
        if m["month"]:
            return cls(date(year, int(m["month"]), 1), "month")
        return cls(date(year, 1, 1), "year")

    @classmethod
    def containing(cls, day: date, kind: PeriodType) -> Period:
        return cls(truncate(day, kind), kind)

    @property
    def end(self) -> date:
        """The day after the period's last day."""
        return add_months(self.start, MONTHS[self.kind])

    @property
    def code(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    def shift(self, steps: int) -> Period:
        """The period `steps` periods later (earlier when negative)."""
        return Period(add_months(self.start, steps * MONTHS[self.kind]), self.kind)

    def label(self, lang: str = "vi") -> str:
        """Tháng 3/2023, Quý I/2023, Năm 2023 (or Mar 2023, Q1 2023, 2023 in English)."""
        return t(f"period_{self.kind}", lang, **self._parts(lang))

    def inline_label(self, lang: str = "vi") -> str:
        """Inside a sentence: tháng 3/2023, quý I/2023, năm 2023 (Mar 2023, Q1 2023, 2023)."""
        return t(f"period_{self.kind}_inline", lang, **self._parts(lang))

    def short_label(self, lang: str = "vi") -> str:
        """An axis label: T3/2023, Quý I/2023, 2023 (Mar 2023, Q1 2023, 2023 in English)."""
        return t(f"period_{self.kind}_short", lang, **self._parts(lang))

    def _parts(self, lang: str) -> dict[str, object]:
        quarter = (self.start.month - 1) // 3
        return {
            "year": str(self.start.year),
            "month": self.start.month,
            "month_name": format_date(self.start, "MMM", locale=LOCALES[lang]),
            "quarter": quarter + 1,
            "roman": ROMAN[quarter],
        }


def code_of(start: date, end: date) -> str:
    """The code of the period from start to end, or 'start..end' for any other range."""
    for kind in ("month", "quarter", "year"):
        period = Period.containing(start, kind)
        if period.start == start and period.end == end:
            return period.code
    last = add_months(end, -1)
    return f"{Period(start, 'month').code}..{Period(last, 'month').code}"


def month_number(day: date) -> int:
    """Months since year 0: what the SQL computes to put a period in its bucket."""
    return day.year * 12 + day.month


@dataclass(frozen=True, order=True)
class Range:
    """Whole months from start (a first of month) to end (the first day after the last)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise PeriodError("err_range_order", first=Period(self.start, "month").code)

    @classmethod
    def of(cls, first: Period, last: Period | None = None) -> Range:
        """From the first period to the last (the same one when last is None)."""
        return cls(first.start, (last or first).end)

    @classmethod
    def parse(cls, first: str, last: str | None = None) -> Range:
        """From codes: '2023', '2023-Q1' or '2023-03', optionally to another code."""
        return cls.of(Period.parse(first), Period.parse(last) if last else None)

    @classmethod
    def year(cls, year: int) -> Range:
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @property
    def months(self) -> list[Period]:
        first = Period(self.start, "month")
        return [first.shift(i) for i in range(self.length)]

    @property
    def length(self) -> int:
        """How many months the range holds."""
        return month_number(self.end) - month_number(self.start)

    @property
    def first(self) -> Period:
        return Period(self.start, "month")

    @property
    def last(self) -> Period:
        return Period(add_months(self.end, -1), "month")

    @property
    def code(self) -> str:
        """2023, 2023-Q1, 2023-03, or 2023-01..2023-06 for any other range."""
        return code_of(self.start, self.end)

    def label(self, lang: str = "vi") -> str:
        """Tháng 1/2023 – Tháng 12/2023, or one month's label."""
        if self.length == 1:
            return self.first.label(lang)
        return f"{self.first.label(lang)} – {self.last.label(lang)}"

    def aligned(self, grain: Grain) -> Range:
        """The range widened to whole buckets of its grain (a quarter's months, a year's)."""
        if grain in ("total", "month"):
            return self
        last = truncate(add_months(self.end, -1), grain)
        return Range(truncate(self.start, grain), add_months(last, MONTHS[grain]))

    def step(self, grain: Grain) -> int:
        """Months per bucket: the whole range for 'total'."""
        return self.length if grain == "total" else MONTHS[grain]

    def shifted(self, months: int) -> Range:
        return Range(add_months(self.start, months), add_months(self.end, months))

    def previous(self) -> Range:
        """The range of the same length just before this one."""
        return self.shifted(-self.length)

    def buckets(self, grain: Grain) -> list[Range]:
        """The range cut into buckets of its grain (one bucket for 'total')."""
        aligned = self.aligned(grain)
        step = aligned.step(grain)
        starts = [add_months(aligned.start, i * step) for i in range(aligned.length // step + 1)]
        return [Range(a, b) for a, b in pairwise(starts)]
