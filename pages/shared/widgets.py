"""How pages draw: metrics, headings, charts, tables with downloads, and the empty case."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from kpi import catalog, fmt
from kpi.computation import Query
from kpi.dashboard import export, figures, frames, tables
from kpi.i18n import Failure, t
from kpi.meeting import content, report, slides
from kpi.store import units
from pages.shared import cached
from pages.shared.setup import View

#: Every sign that Streamlit's markdown gives a meaning to (links, images, emphasis, colours
#: ":red[…]", emoji ":smile:", HTML, LaTeX): a backslash makes each one a plain character.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Text that came from a file (a sheet or unit name, a cell), safe to show through markdown:
    an image link in it must never make the browser fetch a URL, nor a link become clickable."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def failure(exc: Failure, lang: str) -> str:
    """A refusal's message for markdown: its words as they are, what the file gave as plain text."""
    values = {k: plain(v) if isinstance(v, str) else v for k, v in exc.values.items()}
    return t(exc.key, lang, **values)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def metric(row, view: View, where=st, trend: list[float] | None = None) -> None:
    """One indicator as a metric: value, change from the period before (coloured by whether
    it is an improvement), its definition on hover and, given a trend, a sparkline of it (a
    month without data is a gap in the line, not a zero)."""
    ind = catalog.indicators()[row.indicator]
    lang = view.lang
    delta = None if pd.isna(row.change) else fmt.signed(row.change, lang, ind.unit)
    if delta and row.previous_illustrative:
        delta = t("mark_illustrative", lang, value=delta)
    if row.illustrative:  # above the card, never cut off as a long label would be
        where.badge(t("figures_illustrative", lang), icon=":material/science:", color="orange")
    where.metric(
        ind.name(lang),
        card_value(row, ind, lang),
        delta=delta,
        delta_color="normal" if ind.higher_is_better else "inverse",
        help=card_help(row, ind, lang),
        chart_data=trend,
    )


def card_value(row, ind: catalog.Indicator, lang: str) -> str:
    """The card's figure; a count says what kind it is ("hơn 445", "4 (nêu ví dụ)")."""
    shown = fmt.short_amount(row.value, ind.unit, lang)
    kind = row.numerator_kind
    if ind.is_rate or pd.isna(row.value) or kind in (None, "reported"):
        return shown
    return t(f"qualifier_{kind}", lang, value=shown)


def card_caption(row, ind: catalog.Indicator, lang: str) -> str:
    """Under a card: its interval, the target (marked when illustrative), the gap, reporting."""
    target = fmt.value(row.target, ind.unit, lang)
    if row.target_illustrative and not pd.isna(row.target):
        target = t("mark_illustrative", lang, value=target)
    interval = fmt.interval(row.ci_low, row.ci_high, bool(row.small_sample), lang)
    parts = [counts(row, ind, lang)] if ind.is_rate and not pd.isna(row.value) else []
    parts += [f"{t('interval', lang)}: {interval}"] if interval else []
    parts.append(f"{t('target', lang)}: {target}")
    if not pd.isna(row.gap):
        parts.append(f"{t('gap', lang)}: {fmt.signed(row.gap, lang, ind.unit)}")
    parts.append(f"{t('reported', lang)}: {row.units_reported}/{row.units_expected}")
    return " · ".join(parts)


def counts(row, ind: catalog.Indicator, lang: str) -> str:
    """The counts a rate is the ratio of, each with its kind: "21.777 / ≈ 33.821 hồ sơ"."""
    unit = catalog.elements()[ind.denominator[0]].unit(lang)
    top = fmt.count(row.numerator, row.numerator_kind, lang)
    return f"{top} / {fmt.count(row.denominator, row.denominator_kind, lang, unit=unit)}"


def own_figures(view: View, elements: tuple[str, ...]) -> None:
    """The unit's own reported values of some elements, as stored (a district's report gives
    its totals by level or rank, which no indicator shows one by one)."""
    rows = cached.own_figures(view.store, view.root_code, view.range, elements, view.map_id)
    if rows.empty:
        return
    st.subheader(t("own_figures", view.lang, unit=view.root["name"]))
    st.dataframe(figures.table(rows, view.lang), hide_index=True, width="stretch")


def card_help(row, ind: catalog.Indicator, lang: str) -> str:
    """A card's definition, then what its figures are."""
    kinds = {row.numerator_kind, row.denominator_kind} - {None, "reported"}
    said = [t(f"kind_{k}", lang) for k in sorted(kinds)]
    return ind.description(lang) + (f"\n\n{t('figures', lang)}: {'; '.join(said)}" if said else "")


def metrics(frame: pd.DataFrame, view: View, columns: int | None = None) -> list:
    """Metrics, one per indicator of frame, in rows (two to a row on the wall, where type is
    large); returns the free slots after the last one (a new row when it is full), for more."""
    per_row = min(columns or len(frame), 2 if view.present else 5) or 1
    slots: list = []
    for index, row in enumerate(frame.itertuples()):
        if index % per_row == 0:
            slots = st.columns(per_row)
        slot = slots[index % per_row]
        metric(row, view, slot)
        slot.caption(card_caption(row, catalog.indicators()[row.indicator], view.lang))
    used = len(frame) % per_row
    return slots[used:] if used else st.columns(per_row)


def heading(view: View) -> None:
    """The district and the time range the page shows."""
    st.subheader(f"{view.root['name']} — {view.range.label(view.lang)}")


def nothing(view: View, frame: pd.DataFrame, column: str = "value") -> bool:
    """Say so, plainly, when a filter leaves nothing to show."""
    if frame.empty or frame[column].isna().all():
        st.info(t("err_nothing_in_view", view.lang, unit=view.root["name"], span=view.range.label(view.lang)))
        return True
    return False


def chart(fig) -> None:
    # theme=None: our template (kpi.dashboard.theme) decides colours and type, not Streamlit's.
    st.plotly_chart(fig, width="stretch", theme=None, config={"displaylogo": False})


def indicator_table(frame: pd.DataFrame, view: View, keys: tuple[str, ...]) -> None:
    """Some columns of the indicator table, formatted in the user's language."""
    st.dataframe(cached.indicator_table(frame, view.lang, keys), hide_index=True, width="stretch")


def download_name(view: View, name: str) -> str:
    """A downloaded file's name without its suffix: what, which unit, from and to
    (so-hoa-tthc_524_2023-01_2023-12)."""
    return f"{name}_{view.root_code}_{view.range.first.code}_{view.range.last.code}"


def table_with_downloads(frame: pd.DataFrame, view: View, name: str, sheet: str) -> None:
    """The whole indicator table, and the same rows as CSV and XLSX (numbers, not text). The
    files are made when the user asks for them: a workbook costs more than the query."""
    st.dataframe(cached.indicator_table(frame, view.lang), hide_index=True, width="stretch")

    def raw() -> pd.DataFrame:
        return tables.indicator_table(frame, view.lang, formatted=False)

    def csv() -> bytes:
        return export.to_csv(raw())

    def excel_csv() -> bytes:
        return export.to_excel_csv(raw(), view.lang)

    def workbook() -> bytes:
        return export.to_xlsx(raw(), sheet)

    file_name = download_name(view, name)
    left, middle, right = st.columns(3)
    # on_click="ignore": a download does not rerun the page
    left.download_button("CSV", csv, f"{file_name}.csv", "text/csv", key="csv", on_click="ignore")
    middle.download_button(
        t("csv_excel", view.lang),
        excel_csv,
        f"{file_name}_excel.csv",
        "text/csv",
        key="csv_excel",
        on_click="ignore",
    )
    right.download_button("XLSX", workbook, f"{file_name}.xlsx", XLSX_MIME, key="xlsx", on_click="ignore")


def labelled(frame: pd.DataFrame, lang: str, labels: dict[str, str]) -> None:
    """A table whose columns are renamed to the label keys given (column -> label key)."""
    shown = frame.rename(columns={column: t(key, lang) for column, key in labels.items()})
    st.dataframe(shown, hide_index=True, width="stretch")


def history_notes(view: View, indicator: str, grain: str = "total") -> pd.DataFrame:
    """On the current map over the merger: say which new communes' history misses a unit they
    were made from (no figures, or merged only in part). Returns the by-unit results on the map
    before 2025 that it read, for a page that draws them."""
    legacy_query = Query((indicator,), view.root_code, view.range, grain=grain, by="unit", map=units.LEGACY)
    (legacy,) = cached.computed(view.store, (legacy_query,))
    names = cached.store_state(view.store).unit_names(units.CURRENT)
    for row in frames.history_gaps(legacy, cached.successions(view.store)).itertuples():
        unit = names.get(row.successor_code, row.successor_code)
        st.info(t(f"history_gap_{row.kind}", view.lang, unit=unit, units=row.units))
    return legacy


OFFICE = "application/vnd.openxmlformats-officedocument."
#: The pack's two files: (suffix, writer, MIME type, icon).
PACK_FILES = (
    ("pptx", slides, OFFICE + "presentationml.presentation", "slideshow"),
    ("docx", report, OFFICE + "wordprocessingml.document", "description"),
)


def pack_downloads(view: View, indicators: tuple[str, ...] | None, name: str, where=st) -> None:
    """The view as meeting slides and a Word report (indicators: the page's, None: the
    overview's headline ones). Made when clicked: a pack costs a second or two."""

    def pack() -> content.Pack:
        engine = view.store.engine
        chosen = view.communes
        return content.gather(view.root, view.range, engine, view.lang, indicators, view.map_id, chosen)

    file_name = download_name(view, name)
    for slot, (suffix, writer, mime, icon) in zip(where.columns(2), PACK_FILES, strict=True):
        slot.download_button(
            t(f"pack_download_{suffix}", view.lang),
            lambda writer=writer: writer.build(pack()),
            f"{file_name}.{suffix}",
            mime,
            key=f"{name}_{suffix}",
            on_click="ignore",
            icon=f":material/{icon}:",
        )
