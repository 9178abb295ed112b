"""Numbers and periods the way Vietnamese files write them.

A number is read only when it has one meaning: '21.777' and '21 777' are 21777; '64,39' is
64.39; '1,234' could be 1.234 or 1234 and is an error that says so. Periods: 'Tháng 3/2023',
'T3/2023', '03/2023', '2023-03', '3-2023', 'Quý I/2023', 'Q1/2023', 'Năm 2023', '2023'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kpi.i18n import Failure
from kpi.imports.textnorm import fold, nfc
from kpi.periods import Period

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class ParseError(Failure, ValueError):
    """A value that cannot be read: a label key and its values."""


@dataclass(frozen=True)
class Number:
    value: float
    percent: bool = False


_GROUPED_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 21.777 / 1.234.567
_GROUPED_SPACE = re.compile(r"^-?\d{1,3}( \d{3})+$")  # 21 777
_GROUPED_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")  # 21,777 (English) or 21,777 (decimal)?
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_GROUPED_DOT_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$")  # 1.234,5
_PLAIN = re.compile(r"^-?\d+$")
_PLAIN_DECIMAL_DOT = re.compile(r"^-?\d+\.\d+$")


def number(text: str) -> Number | None:
    """Read a number, or None for an empty cell; ParseError when it is not one, or ambiguous."""
    raw = nfc(str(text)).strip().replace("\u00a0", " ").replace("\u202f", " ")
    if raw in ("", "-", "—"):
        return None
    percent = raw.endswith("%")
    body = raw.rstrip("%").strip()
    if _PLAIN.match(body):
        return Number(float(body), percent)
    if _GROUPED_DOT.match(body):
        return Number(float(body.replace(".", "")), percent)
    if _GROUPED_SPACE.match(body):
        return Number(float(body.replace(" ", "")), percent)
    if _GROUPED_DOT_DECIMAL.match(body):
        return Number(float(body.replace(".", "").replace(",", ".")), percent)
    if _GROUPED_COMMA.match(body) and not percent:
        raise _ambiguous(raw, body.replace(",", "."), body.replace(",", ""))
    if _DECIMAL_COMMA.match(body):
        return Number(float(body.replace(",", ".")), percent)
    if _PLAIN_DECIMAL_DOT.match(body):
        digits = body.split(".")[1]
        if len(digits) == 3:  # 1234.567: thousands the English way, or a decimal?
            raise _ambiguous(raw, body.replace(".", ""), body.replace(".", ","))
        return Number(float(body), percent)
    raise ParseError("err_not_a_number", text=raw)


def _ambiguous(raw: str, one: str, other: str) -> ParseError:
    return ParseError("err_ambiguous_number", text=raw, one=one, other=other)


_MONTH = [  # after fold(): 'Tháng 3/2023', 'T3/2023', '03/2023', '3-2023'
    re.compile(r"^(?:thang|t)?\s*(\d{1,2})\s+(\d{4})$"),
    re.compile(r"^(\d{4})\s+(\d{1,2})$"),  # 2023-03
]
_QUARTER = [
    re.compile(r"^(?:quy|q)\s*(i|ii|iii|iv|[1-4])\s+(\d{4})$"),  # Quý I/2023, Q1/2023
    re.compile(r"^(\d{4})\s+q([1-4])$"),  # 2023-Q1
]
_YEAR = re.compile(r"^(?:nam\s+)?(\d{4})$")
_SERIAL = re.compile(r"^\d{5}$")  # Excel's day number: 45809 is 1 June 2025
EXCEL_EPOCH = date(1899, 12, 30)


def period(text: str) -> Period:
    """Read a period written any of the usual ways."""
    key = fold(str(text))
    for pattern in _MONTH:
        m = pattern.match(key)
        if m:
            month, year = (m[1], m[2]) if pattern is _MONTH[0] else (m[2], m[1])
            if 1 <= int(month) <= 12:
                return Period(date(int(year), int(month), 1), "month")
    for pattern in _QUARTER:
        m = pattern.match(key)
        if m:
            q, year = (m[1], m[2]) if pattern is _QUARTER[0] else (m[2], m[1])
            quarter = ROMAN.get(q) or int(q)
            return Period(date(int(year), 3 * quarter - 2, 1), "quarter")
    m = _YEAR.match(key)
    if m:
        return Period(date(int(m[1]), 1, 1), "year")
    if _SERIAL.match(key) and 20_000 <= int(key) <= 80_000:  # 1954 to 2119
        day = EXCEL_EPOCH + timedelta(days=int(key))
        raise ParseError("err_period_date_serial", text=text, month=f"{day.month}/{day.year}")
    raise ParseError("err_period_text", text=text)


def year_month_text(year: str, month: str | None) -> str:
    """What separate year and month cells say together: 3/2023, or the year alone."""
    return f"{month}/{year}" if month not in (None, "") else str(year)


def year_month(year: str, month: str | None) -> Period:
    """A period from separate year and month columns (no month: the year)."""
    return period(year_month_text(year, month))
