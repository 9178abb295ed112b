"""Tables handed out as files: CSV (UTF-8 with BOM, so Excel reads Vietnamese) and XLSX.

Text that starts with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe
so that a spreadsheet never runs it as a formula (OWASP "CSV injection"); numbers stay
numbers.
"""

from __future__ import annotations

import io

import pandas as pd
from babel.numbers import get_decimal_symbol
from openpyxl.utils import get_column_letter

from kpi.i18n import LOCALES

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: object) -> object:
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would evaluate made inert."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(_defuse)
    out.columns = [_defuse(c) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    return safe(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel_csv(frame: pd.DataFrame, lang: str = "vi") -> bytes:
    """CSV that a Vietnamese Excel opens in columns with its numbers: semicolons between
    fields and a decimal comma (Excel takes the list separator from Windows' regional settings,
    which in Vietnamese make the comma a decimal mark), with a BOM. The decimal mark is the
    language's (Babel); where it is a point, this is the machine CSV."""
    decimal = get_decimal_symbol(LOCALES[lang])
    separator = ";" if decimal == "," else ","
    return safe(frame).to_csv(index=False, sep=separator, decimal=decimal).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "KPI") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        columns = writer.sheets[sheet[:31]].column_dimensions
        for index, name in enumerate(frame.columns):
            width = max([len(str(name)), *(len(str(v)) for v in frame[name].head(200))]) + 2
            columns[get_column_letter(index + 1)].width = min(width, 60)
    return buffer.getvalue()
