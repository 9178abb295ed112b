"""What every page shares: its set-up, the filters' current values, and cached reads.

Filters are widgets of app.py (so they keep their values across pages) and live in the URL
(so a copied link opens the same view). A page run on its own, as AppTest does, falls back
to the same defaults app.py would have set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from kpi import catalog, config, db, export, fmt, reads, views
from kpi.i18n import t
from kpi.periods import Period, add_months

GRAINS = ("month", "quarter", "year")
DEFAULT_INDICATOR = "intake_digitization_rate"
PRESENTATION_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; color: #000; }
[data-testid="stMetricValue"] { font-size: 3.4rem; font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; font-weight: 600; }
h1 { font-size: 3rem !important; }
</style>
"""


@dataclass(frozen=True)
class View:
    """The store and the user's choices, as one page sees them."""

    url: str
    lang: str
    present: bool
    root: dict
    span: views.Span
    grain: str
    communes: tuple[str, ...]
    indicator: str

    @property
    def definition(self) -> catalog.Indicator:
        return catalog.indicators()[self.indicator]


# ---- cached reads: keyed by the store's URL, shared by every user (never mutated) ----


@st.cache_data(ttl=60, show_spinner=False)
def store_options(url: str) -> dict | None:
    """The district, the months with data, its units and the demo state; None if not set up."""
    store = db.get_engine(url)
    if not reads.is_ready(store):
        return None
    if not reads.is_current(store):
        return {"outdated": True}
    code = reads.setting("district", store)
    root = reads.unit(code, store) if code else None
    if root is None:
        return None
    span = views.data_span(code, store)
    return {
        "root": root,
        "span": span,
        "children": views.children(code, store),
        "demo": reads.setting(f"demo:{code}", store) == "loaded",
    }


@st.cache_data(ttl=300, show_spinner=False)
def compute(
    url: str, ids: tuple[str, ...], root: str, span: views.Span, grain: str = "total", by: str = "total"
) -> pd.DataFrame:
    return views.indicators(ids, root, span, db.get_engine(url), grain=grain, by=by)


@st.cache_data(ttl=300, show_spinner=False)
def headline(url: str, root: str, span: views.Span) -> pd.DataFrame:
    return views.headline(root, span, db.get_engine(url))


@st.cache_data(ttl=300, show_spinner=False)
def survey_levels(url: str, root: str, span: views.Span) -> pd.DataFrame:
    return views.survey_levels(root, span, db.get_engine(url))


@st.cache_data(ttl=300, show_spinner=False)
def prizes(url: str, root: str, span: views.Span) -> pd.DataFrame:
    return views.prizes(root, span, db.get_engine(url))


@st.cache_data(ttl=300, show_spinner=False)
def reporting_grid(url: str, root: str, span: views.Span) -> pd.DataFrame:
    return views.reporting_grid(root, span, db.get_engine(url))


@st.cache_data(ttl=300, show_spinner=False)
def catalogue(url: str) -> pd.DataFrame:
    return views.catalogue(db.get_engine(url))


# ---- filters ----


def month_codes(span: views.Span) -> list[str]:
    return [m.code for m in span.months]


def default_span(span: views.Span) -> tuple[str, str]:
    """The latest year with data, as (first month, last month)."""
    year = add_months(span.end, -1).year
    codes = month_codes(span)
    first = max(f"{year}-01", codes[0])
    return first, min(f"{year}-12", codes[-1])


def defaults(options: dict) -> dict:
    return {
        "lang_en": False,
        "present": False,
        "span": default_span(options["span"]) if options["span"] else None,
        "grain": "month",
        "communes": [],
        "indicator": DEFAULT_INDICATOR,
    }


def current(key: str, options: dict):
    """A filter's value: the widget's, else app.py's default."""
    return st.session_state.get(key, defaults(options)[key])


def language() -> str:
    return "en" if st.session_state.get("lang_en") else "vi"


def page_setup(title_key: str, need_data: bool = True) -> View:
    """Call first on every page: title, presentation mode, demo note, and the view; stops the
    page with a plain sentence when the store has nothing to show (need_data=False: a page
    that adds data works on an empty store too)."""
    lang = language()
    present = bool(st.session_state.get("present"))
    if present:
        st.html(PRESENTATION_CSS)
    st.title(t(title_key, lang))
    url = config.database_url()
    options = store_options(url)
    if options is None:
        st.info(t("err_no_store", lang))
        st.stop()
    if options.get("outdated"):
        st.info(t("err_old_store", lang))
        st.stop()
    if options["demo"]:
        st.warning(t("demo_note", lang), icon="⚠️")
    if options["span"] is None:
        if need_data:
            st.info(t("err_no_data", lang, unit=options["root"]["name"]))
            st.stop()
        today = Period.containing(date.today(), "month")
        options = {**options, "span": views.Span(today.shift(-11).start, today.end)}
    first, last = current("span", options)
    span = views.Span(Period.parse(first).start, Period.parse(last).end)
    children = set(options["children"].code)
    return View(
        url=url,
        lang=lang,
        present=present,
        root=options["root"],
        span=span,
        grain=current("grain", options),
        communes=tuple(c for c in current("communes", options) if c in children),
        indicator=current("indicator", options),
    )


def metric(row, view: View, where=st) -> None:
    """One indicator as a metric: value, change from the period before (coloured by whether
    it is an improvement), and its definition on hover."""
    ind = catalog.indicators()[row.indicator]
    where.metric(
        ind.name(view.lang),
        fmt.value(row.value, ind.unit, view.lang),
        delta=None if pd.isna(row.change) else fmt.signed(row.change, view.lang, ind.unit),
        delta_color="normal" if ind.higher_is_better else "inverse",
        help=ind.description(view.lang),
    )


def metrics(frame: pd.DataFrame, view: View, columns: int | None = None) -> list:
    """A row of metrics, one per indicator of frame; returns the columns for more."""
    slots = st.columns(columns or len(frame))
    for slot, row in zip(slots, frame.itertuples(), strict=False):
        metric(row, view, slot)
    return slots


def heading(view: View) -> None:
    """The district and the time range the page shows."""
    st.subheader(f"{view.root['name']} — {span_label(view)}")


def span_label(view: View) -> str:
    first, last = view.span.months[0], view.span.months[-1]
    if first == last:
        return first.label(view.lang)
    return f"{first.label(view.lang)} – {last.label(view.lang)}"


def nothing(view: View, frame: pd.DataFrame, column: str = "value") -> bool:
    """Say so, plainly, when a filter leaves nothing to show."""
    if frame.empty or frame[column].isna().all():
        st.info(t("err_nothing_in_view", view.lang, unit=view.root["name"], span=span_label(view)))
        return True
    return False


def chart(fig) -> None:
    # theme=None: our template (kpi.theme) decides colours and type, not Streamlit's.
    st.plotly_chart(fig, width="stretch", theme=None, config={"displaylogo": False})


@st.cache_data(ttl=60, show_spinner=False)
def unit_names(url: str, root: str) -> dict[str, str]:
    """Code -> name of the units under root (for mapping a name by hand)."""
    units = views.children(root, db.get_engine(url))
    return dict(zip(units.code, units.name, strict=True))


PROBLEM_STYLE = {"error": "background-color: #F4B6A8", "warning": "background-color: #FBE3A0"}


def problem_cells(report, lang: str, limit: int = 200) -> None:
    """The file's rows that have problems, as the user sees them, the problem cells coloured."""
    grid, header = report.grid, report.header_row
    rows = sorted({p.row for p in report.problems if p.row and header and p.row > header})[:limit]
    if grid is None or not rows:
        return
    names = grid.rows[header - 1]
    columns = [
        f"{n or '?'} ({i + 1})" if names.count(n) > 1 else (n or f"({i + 1})") for i, n in enumerate(names)
    ]
    table = pd.DataFrame(
        [(grid.rows[r - 1] + [""] * len(names))[: len(names)] for r in rows], columns=columns
    )
    table.index = rows
    marks = {(p.row, p.column): p.severity for p in report.problems if p.row in rows and p.severity != "note"}
    by_name = dict(zip(names, columns, strict=True))
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    for (row, column), severity in marks.items():
        if column in by_name:
            styles.loc[row, by_name[column]] = PROBLEM_STYLE[severity]
    st.caption(t("problem_cells", lang))
    st.dataframe(table.style.apply(lambda _: styles, axis=None), width="stretch")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(ttl=300, show_spinner=False)
def table_files(view: View, ids: tuple[str, ...], sheet: str) -> tuple[pd.DataFrame, bytes, bytes]:
    """The table of indicators by unit and period for the view: as shown, as CSV, as XLSX
    (cached: writing the workbook costs more than the query)."""
    table = compute(view.url, ids, view.root["code"], view.span, grain=view.grain, by="child")
    if view.communes:
        table = table[table.unit_code.isin(view.communes)]
    raw = indicator_table(table, view, formatted=False)
    return indicator_table(table, view), export.to_csv(raw), export.to_xlsx(raw, sheet)


def indicator_table(frame: pd.DataFrame, view: View, formatted: bool = True) -> pd.DataFrame:
    """The rows behind a chart with readable column names; formatted for the screen in the
    user's language, or raw numbers for a download."""
    lang = view.lang
    defs = catalog.indicators()
    units = frame.indicator.map(lambda i: defs[i].unit)

    def shown(column: str, signed: bool = False) -> pd.Series:
        if not formatted:
            return frame[column]
        values = zip(frame[column], units, strict=True)
        texts = [fmt.signed(v, lang, u) if signed else fmt.value(v, u, lang) for v, u in values]
        return pd.Series(texts, index=frame.index)

    def count(column: str) -> pd.Series:
        return frame[column].map(lambda v: fmt.number(v, lang)) if formatted else frame[column]

    return pd.DataFrame(
        {
            t("indicator", lang): frame.indicator.map(lambda i: defs[i].name(lang)),
            t("code", lang): frame.unit_code,
            t("unit", lang): frame.unit_name,
            t("period", lang): frame.period,
            t("value", lang): shown("value"),
            t("numerator", lang): count("numerator"),
            t("denominator", lang): count("denominator"),
            t("target", lang): shown("target"),
            t("gap", lang): shown("gap", signed=True),
            t("change", lang): shown("change", signed=True),
            t("reported", lang): frame.units_reported,
            t("expected", lang): frame.units_expected,
        }
    )
