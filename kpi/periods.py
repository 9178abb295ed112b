"""Periods: a month, a quarter or a year, written 2023-03, 2023-Q1 and 2023.

A period is stored as its type, its first day and the day after its last (end exclusive), so
that "lies within" is two date comparisons in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodType = Literal["month", "quarter", "year"]
MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
ROMAN = ("I", "II", "III", "IV")
_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


class PeriodError(ValueError):
    """A period code that cannot be read."""


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
            raise PeriodError(
                f"Kỳ '{code}' không hợp lệ: dùng 2023, 2023-Q1 hoặc 2023-03 / "
                f"period '{code}' is not valid: use 2023, 2023-Q1 or 2023-03"
            )
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
        year = self.start.year
        if self.kind == "year":
            return f"Năm {year}" if lang == "vi" else f"{year}"
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3
            return f"Quý {ROMAN[q]}/{year}" if lang == "vi" else f"Q{q + 1} {year}"
        return f"Tháng {self.start.month}/{year}" if lang == "vi" else self.start.strftime("%b %Y")


def code_of(start: date, end: date) -> str:
    """The code of the period from start to end, or 'start..end' for any other range."""
    for kind in ("month", "quarter", "year"):
        period = Period.containing(start, kind)
        if period.start == start and period.end == end:
            return period.code
    last = add_months(end, -1)
    return f"{Period(start, 'month').code}..{Period(last, 'month').code}"
