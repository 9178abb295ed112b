"""The indicator table as people read it: one definition of its columns and their formats,
shared by the dashboard's tables and downloads and by the command line's table."""

from __future__ import annotations

import pandas as pd

from kpi import catalog, fmt
from kpi.i18n import t

#: Columns of the table, in order: (label key, column of the computed frame, how to show it).
COLUMNS = (
    ("indicator", "indicator", "name"),
    ("code", "unit_code", "text"),
    ("unit", "unit_name", "text"),
    ("period", "period", "text"),
    ("value", "value", "value"),
    ("numerator", "numerator", "count"),
    ("denominator", "denominator", "count"),
    ("target", "target", "value"),
    ("gap", "gap", "signed"),
    ("change", "change", "signed"),
    ("reported", "units_reported", "text"),
    ("expected", "units_expected", "text"),
)


def indicator_table(
    frame: pd.DataFrame, lang: str, formatted: bool = True, keys: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The computed indicators with readable column names (keys: which columns, by label key).

    formatted gives text in the user's language for a screen; otherwise numbers stay numbers
    for a download.
    """
    defs = catalog.indicators()
    units = [defs[i].unit for i in frame.indicator]
    shown = {}
    for key, column, how in COLUMNS:
        if keys is not None and key not in keys:
            continue
        values = frame[column]
        if how == "name":
            values = values.map(lambda i: defs[i].name(lang))
        elif formatted and how == "value":
            values = pd.Series(
                [fmt.value(v, u, lang) for v, u in zip(values, units, strict=True)], index=frame.index
            )
        elif formatted and how == "signed":
            values = pd.Series(
                [fmt.signed(v, lang, u) for v, u in zip(values, units, strict=True)], index=frame.index
            )
        elif formatted and how == "count":
            values = values.map(lambda v: fmt.number(v, lang))
        shown[t(key, lang)] = values
    table = pd.DataFrame(shown, index=frame.index)
    return table if keys is None else table[[t(k, lang) for k in keys]]


#: Columns of the import log as people read it, in order (label key: log_col_<column>).
LOG_COLUMNS = (
    "id",
    "imported_at",
    "user_name",
    "file_name",
    "shape",
    "rows_read",
    "rows_valid",
    "values_new",
    "values_changed",
    "values_unchanged",
    "undone_at",
    "undone_by",
)


def import_log_table(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import log with readable column names and shapes, in the user's language."""
    shown = log[list(LOG_COLUMNS)].assign(
        shape=log["shape"].map(lambda s: t(f"shape_{s}", lang) if s else "")
    )
    return shown.rename(columns={c: t(f"log_col_{c}", lang) for c in LOG_COLUMNS})
