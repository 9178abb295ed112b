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
    ("interval", "ci_low", "interval"),
    ("figures", "illustrative", "figures"),
    ("numerator", "numerator", "count"),
    ("denominator", "denominator", "count"),
    ("target", "target", "value"),
    ("gap", "gap", "signed"),
    ("change", "change", "signed"),
    ("reported", "units_reported", "text"),
    ("expected", "units_expected", "text"),
)
#: The columns that say what kind of figure a column holds, and whether its source is illustrative.
KIND_OF = {"numerator": "numerator_kind", "denominator": "denominator_kind"}
ILLUSTRATIVE_OF = {"target": "target_illustrative", "change": "previous_illustrative"}


def indicator_table(
    frame: pd.DataFrame, lang: str, formatted: bool = True, keys: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The computed indicators with readable column names (keys: which columns, by label key).

    formatted gives text in the user's language for a screen; otherwise numbers stay numbers
    for a download.
    """
    shown = {}
    for key, column, how in COLUMNS:
        if keys is None or key in keys:
            shown[t(key, lang)] = _column(frame, key, column, how, lang, formatted)
    table = pd.DataFrame(shown, index=frame.index)
    return table if keys is None else table[[t(k, lang) for k in keys]]


def _column(frame: pd.DataFrame, key: str, column: str, how: str, lang: str, formatted: bool) -> pd.Series:
    """One column of the indicator table, as text for a screen or as values for a download."""
    defs = catalog.indicators()
    values = frame[column]
    if how == "name":
        return values.map(lambda i: defs[i].name(lang))
    if how == "figures":  # illustrative or not: said in words on a screen, true/false in a file
        return (
            values.map(lambda v: t("figures_illustrative" if v else "figures_real", lang))
            if formatted
            else values
        )
    if how == "interval":
        rows = zip(frame.ci_low, frame.ci_high, frame.small_sample, strict=True)
        return pd.Series([fmt.interval(lo, hi, small, lang) for lo, hi, small in rows], index=frame.index)
    if not formatted or how == "text":
        return values
    units = [defs[i].unit for i in frame.indicator]
    if how == "count":
        shown = [fmt.count(v, k, lang) for v, k in zip(values, frame[KIND_OF[key]], strict=True)]
    elif how == "value":
        shown = [fmt.value(v, u, lang) for v, u in zip(values, units, strict=True)]
    else:
        shown = [fmt.signed(v, lang, u) for v, u in zip(values, units, strict=True)]
    if key in ILLUSTRATIVE_OF:
        marks = frame[ILLUSTRATIVE_OF[key]].fillna(False).astype(bool)
        shown = [
            t("mark_illustrative", lang, value=s) if m and s else s for s, m in zip(shown, marks, strict=True)
        ]
    return pd.Series(shown, index=frame.index)


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a frame as dicts, read column by column: DataFrame.to_dict and itertuples go
    through Arrow text value by value (7 ms for the hundred rows of a district's gaps)."""
    columns = {name: frame[name].tolist() for name in frame.columns}
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def scorecard_table(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A scorecard as people read it: unit, group, item, value, full marks at, points, and what
    it takes to reach the threshold, in the indicator's own unit; assumptions said."""
    defs, elements = catalog.indicators(), catalog.elements()

    def what_it_takes(row: dict) -> str:
        if not row["measured"] or not row["to_threshold"]:
            return "" if row["measured"] else "—"
        name = elements[defs[row["indicator"]].numerator[0]].name(lang)
        return t(
            "score_to_threshold",
            lang,
            count=fmt.number(row["to_threshold"], lang),
            what=name[0].lower() + name[1:],
            threshold=fmt.percent(row["threshold"], lang),
        )

    def threshold(row: dict) -> str:
        shown = fmt.percent(row["threshold"], lang) if pd.notna(row["threshold"]) else "—"
        return t("score_assumption", lang, value=shown) if row["threshold_basis"] == "assumption" else shown

    def points(row: dict) -> str:
        most = fmt.number(row["max_points"], lang)
        most = t("score_assumption", lang, value=most) if row["points_basis"] == "assumption" else most
        got = fmt.number(row["points"], lang, 2) if row["measured"] else t("score_not_measured", lang)
        return t("score_points", lang, points=got, max=most)

    rows = records(card)
    return pd.DataFrame(
        {
            t("unit", lang): card.unit_name,
            t("score_col_group", lang): [t(f"group_{r['group']}", lang) for r in rows],
            t("score_col_item", lang): [t(f"item_766_{r['item']}", lang) for r in rows],
            t("value", lang): [fmt.percent(r["value"], lang) if pd.notna(r["value"]) else "—" for r in rows],
            t("score_col_threshold", lang): [threshold(r) for r in rows],
            t("score_col_points", lang): [points(r) for r in rows],
            t("score_col_to_threshold", lang): [what_it_takes(r) for r in rows],
        }
    )


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
