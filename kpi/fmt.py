"""Numbers the way each language writes them: 21.777 and 64,39 % in Vietnamese, 21,777 and
64.39 % in English. Missing values print as a dash, never as 0."""

from __future__ import annotations

import math
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from kpi.i18n import LOCALES, t

MISSING = "—"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, lang: str = "vi", decimals: int = 0) -> str:
    """21.777 (vi) or 21,777 (en); decimals fixes the digits after the comma."""
    if _missing(value):
        return MISSING
    return _pattern(decimals).apply(value, _locale(lang))


@lru_cache(maxsize=8)
def _pattern(decimals: int) -> NumberPattern:
    """Babel's parsed pattern (parsing it for every number costs more than formatting)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def percent(value: float | None, lang: str = "vi") -> str:
    """64,39 % (vi) or 64.39 % (en), from a value already in percent."""
    return MISSING if _missing(value) else f"{number(value, lang, 2)} %"


def signed(value: float | None, lang: str = "vi", unit: str = "percent") -> str:
    """A change or gap with its sign: +2,50 đ.p. / -1.00 pp (percentage points for rates).

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
