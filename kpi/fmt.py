"""Numbers the way each language writes them: 21.777 and 64,39 % in Vietnamese, 21,777 and
64.39 % in English. Missing values print as a dash, never as 0."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    NumberPattern,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    parse_pattern,
)

from kpi.i18n import LOCALES, t

MISSING = "—"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, lang: str = "vi", decimals: int = 0) -> str:
    """21.777 (vi) or 21,777 (en); decimals fixes the digits after the comma.

    The same as Babel's format_decimal (a test checks): the language's symbols from Babel put
    on Python's decimal formatting, which groups digits by three and rounds half to even from
    the number's shortest decimal form as Babel does, in a fifth of the time (a table of a year
    by month holds thousands of numbers).
    """
    if _missing(value):
        return MISSING
    if _pattern(decimals).grouping != (3, 3):  # no language here groups otherwise: then Babel
        return _pattern(decimals).apply(value, _locale(lang))
    return f"{Decimal(str(value)):,.{decimals}f}".translate(_symbols(lang))


@lru_cache(maxsize=4)
def _symbols(lang: str) -> dict[int, str]:
    locale = _locale(lang)
    marks = {
        ",": get_group_symbol(locale),
        ".": get_decimal_symbol(locale),
        "-": get_minus_sign_symbol(locale),
    }
    return str.maketrans(marks)


@lru_cache(maxsize=8)
def _pattern(decimals: int) -> NumberPattern:
    """Babel's pattern of a number with so many decimals."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def percent(value: float | None, lang: str = "vi") -> str:
    """64,39 % (vi) or 64.39 % (en), from a value already in percent."""
    return MISSING if _missing(value) else f"{number(value, lang, 2)} %"


def signed(value: float | None, lang: str = "vi", unit: str = "percent") -> str:
    """A change or gap with its sign: +2,50 điểm % / -1.00 pp (percentage points for rates).

    The minus is ASCII so that Streamlit colours a negative delta red.
    """
    if _missing(value):
        return MISSING
    sign = "+" if value > 0 else ("-" if value < 0 else "±")
    if unit == "percent":
        return t("points", lang, points=f"{sign}{number(abs(value), lang, 2)}")
    return f"{sign}{number(abs(value), lang)}"


def value(value: float | None, unit: str, lang: str = "vi") -> str:
    """An indicator value in its unit: percent, count or VND."""
    if unit == "percent":
        return percent(value, lang)
    if unit == "vnd" and not _missing(value):
        return t("amount_vnd", lang, amount=number(value, lang))
    return number(value, lang)


def short_amount(figure: float | None, unit: str, lang: str = "vi") -> str:
    """A card's value: money as the report writes it ("206 triệu đồng", "10 tỷ đồng"), so that
    it fits a card; anything else as value() writes it."""
    if unit != "vnd" or _missing(figure) or abs(figure) < 1e6:
        return value(figure, unit, lang)
    scale, label = (1e9, "amount_vnd_billion") if abs(figure) >= 1e9 else (1e6, "amount_vnd_million")
    amount = figure / scale
    decimals = 0 if float(amount).is_integer() else 1 if float(amount * 10).is_integer() else 2
    return t(label, lang, amount=number(amount, lang, decimals))


def day(when: date, lang: str = "vi") -> str:
    """A day as administrative documents write it: 01/7/2025 in Vietnamese, 1 Jul 2025 in English."""
    return format_date(when, t("date_pattern", lang), locale=LOCALES[lang])


def long_day(when: date, lang: str = "vi") -> str:
    """A day as a document's date line writes it: 'ngày 30 tháng 11 năm 2026', '30 November 2026'."""
    return format_date(when, t("date_long_pattern", lang), locale=LOCALES[lang])


def lifetime(valid_from: object, valid_to: object, lang: str = "vi") -> str:
    """When a unit existed: 'đến 30/6/2025', 'từ 01/7/2025', or always (an open period)."""
    start = None if _missing_day(valid_from) else _as_date(valid_from)
    end = None if _missing_day(valid_to) else _as_date(valid_to) - timedelta(days=1)
    if start and end:
        return t("lifetime_between", lang, start=day(start, lang), end=day(end, lang))
    if end:
        return t("lifetime_until", lang, end=day(end, lang))
    if start:
        return t("lifetime_since", lang, start=day(start, lang))
    return t("lifetime_open", lang)


def _missing_day(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _as_date(value: object) -> date:
    return value if type(value) is date else pd.Timestamp(value).date()


def count(value: float | None, kind: str | None, lang: str = "vi", decimals: int = 0, unit: str = "") -> str:
    """A count with what kind of figure it is: "≈ 33.821" (derived), "hơn 445" (lower bound);
    with its unit inside the qualifier ("hơn 445 lượt")."""
    shown = number(value, lang, decimals)
    if unit and not _missing(value):
        shown = f"{shown} %" if unit == "%" else f"{shown} {unit}"
    if _missing(value) or kind in (None, "reported"):
        return shown
    return t(f"qualifier_{kind}", lang, value=shown)


def interval(low: float | None, high: float | None, small: bool, lang: str = "vi") -> str:
    """A 95 % interval in percent, "63,88–64,90 %", marked when its sample is small."""
    if _missing(low) or _missing(high):
        return ""
    shown = t("interval_value", lang, low=number(low, lang, 2), high=number(high, lang, 2))
    return t("small_sample_mark", lang, interval=shown) if small else shown


def json_text(value: object) -> str:
    """What the command line prints as JSON: indented, Vietnamese letters as they are, dates
    and other objects as their text."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
