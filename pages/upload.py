"""Nhập dữ liệu: check a commune's file, name every problem, fix unit names, import, undo."""

import hashlib

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from kpi import catalog, config, fmt
from kpi.access import scope
from kpi.access.roles import AccessDenied, Actor
from kpi.dashboard import tables
from kpi.i18n import t
from kpi.imports import checking, storing, templates, unit_names
from kpi.imports.reading import ReadError, sheet_names
from kpi.periods import Period
from kpi.store import reads
from kpi.store.shared_file import StoreBusy
from pages.shared import cached, signin, widgets
from pages.shared.setup import View, page_setup

CHECKED = "import_checked"  # the last file checked in this session, with its report
# Names that fit no unit or several can be mapped for good; a unit that ended or had not begun
# in the row's period cannot (the file must name the unit in force then).
MAPPABLE = {"err_unit_unknown_name", "err_unit_unknown_name_close", "err_unit_ambiguous"}
PROBLEM_STYLE = {"error": "background-color: #F4B6A8", "warning": "background-color: #FBE3A0"}


def template_downloads(view: View, engine: Engine) -> None:
    """Blank files for a month and a group of elements, as CSV and as XLSX with validation."""
    lang = view.lang
    with st.expander(t("templates", lang), expanded=False):
        this_month = Period.containing(pd.Timestamp.today().date(), "month")
        months = [this_month.shift(-i) for i in range(1, 25)]  # a period is imported once it has ended
        left, right = st.columns(2)
        month = left.selectbox(
            t("period", lang), months, format_func=lambda p: p.label(lang), key="template_period"
        )
        group = right.radio(
            t("template_group", lang),
            ["tthc", "survey"],
            horizontal=True,
            format_func=lambda g: t(f"group_name_{g}", lang),
            key="template_group",
        )
        scope = reads.import_scope(engine) or view.root_code
        blank = templates.frame(scope, month, group, engine)
        name = f"mau_{group}_{scope}_{month.code}"
        left.download_button("CSV", templates.to_csv(blank), f"{name}.csv", "text/csv", key="template_csv")
        title = t("template_title", lang, unit=view.root["name"], period=month.label(lang))
        workbook = templates.to_xlsx(blank, title)
        right.download_button("XLSX", workbook, f"{name}.xlsx", widgets.XLSX_MIME, key="template_xlsx")


def checked_report(upload, view: View, engine: Engine, actor: Actor) -> checking.Report:
    """The check of the uploaded file, kept for this session until the file, the sheet or the
    store changes: ticking a box must not read a 100,000-row file again."""
    content = upload.getvalue()
    sheet = None
    names = sheet_names(content)  # empty for CSV, and for a broken workbook (check() says why)
    if names:
        sheet = st.selectbox(
            t("sheet", view.lang),
            [None, *names],
            key="sheet",
            format_func=lambda s: t("sheet_auto", view.lang) if s is None else s,
        )
    key = (hashlib.sha256(content).hexdigest(), sheet, upload.name, actor)
    kept = st.session_state.get(CHECKED)
    if kept is not None and kept[0] == key:
        return kept[1]
    bar = st.progress(0.0, text=t("checking", view.lang))
    try:
        report = checking.check(content, upload.name, engine, sheet=sheet, progress=bar.progress, actor=actor)
    except ReadError as exc:
        st.error(widgets.failure(exc, view.lang))
        st.stop()
    finally:
        bar.empty()
    st.session_state[CHECKED] = (key, report)
    return report


def summary(report: checking.Report, lang: str) -> None:
    """What was detected, and the counts of rows, problems and values."""
    info = report.as_dict(lang)
    st.caption(
        t(
            "detected",
            lang,
            format=info["format"],
            encoding=widgets.plain(info["encoding"] or info["sheet"] or ""),
            shape=t(f"shape_{report.shape}", lang) if report.shape else "—",
            header=report.header_row or "—",
        )
    )
    counts = report.counts()
    figures = {
        "rows_read": report.rows_read,
        "rows_valid": report.rows_valid,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "values_new": counts["new"],
        "values_changed": counts["changed"],
    }
    for column, (key, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(t(f"import_{key}", lang), value)


def problems(report: checking.Report, lang: str) -> None:
    """Every problem by row and column, then the file's rows with the problem cells coloured."""
    if not report.problems:
        return
    rows = [{**p.as_dict(lang), "severity": t(f"severity_{p.severity}", lang)} for p in report.problems]
    columns = ("severity", "row", "column", "value", "message")
    shown = pd.DataFrame(rows)[list(columns)].rename(columns={k: t(f"problem_{k}", lang) for k in columns})
    st.dataframe(shown, hide_index=True, width="stretch")
    problem_cells(report, lang)


def problem_cells(report: checking.Report, lang: str, limit: int = 200) -> None:
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
    by_name = dict(zip(names, columns, strict=True))
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    for p in report.problems:
        if p.row in rows and p.severity in PROBLEM_STYLE and p.column in by_name:
            styles.loc[p.row, by_name[p.column]] = PROBLEM_STYLE[p.severity]
    st.caption(t("problem_cells", lang))
    st.dataframe(table.style.apply(lambda _: styles, axis=None), width="stretch")


def unit_mappings(report: checking.Report, view: View, engine: Engine, actor: Actor) -> None:
    """A choice of unit for each name the file uses that fits none or several: no default, since
    a name that fits two units is a question, never a guess. A saved choice is remembered. Only
    the account's own units are offered."""
    unknown = {p.value: p.candidates for p in report.errors if p.key in MAPPABLE and p.column and p.value}
    if not unknown:
        return
    st.subheader(t("fix_units", view.lang))
    state = cached.store_state(view.store)
    units = {k: v for m in state.children for k, v in state.unit_names(m).items()}
    with engine.connect() as conn:
        theirs = set(units) - scope.outside(conn, actor, set(units))
    units = {k: v for k, v in units.items() if k in theirs}
    for name, candidates in unknown.items():
        left, right = st.columns([3, 1])
        options = sorted(units, key=lambda code: (units[code] not in " ".join(candidates), units[code]))
        chosen = left.selectbox(
            f"'{widgets.plain(name)}'",
            options,
            index=None,
            placeholder=t("choose_unit", view.lang),
            format_func=lambda c: f"{units[c]} ({c})",
            key=f"map_{name}",
        )
        if right.button(t("save_mapping", view.lang), key=f"save_{name}", disabled=chosen is None):
            unit_names.save_alias(name, chosen, engine, actor)
            st.session_state.pop(CHECKED, None)
            st.rerun()


def changes(report: checking.Report, lang: str) -> pd.DataFrame:
    """The values the import would add or replace, shown before anything is stored."""
    changed = pd.DataFrame(report.changed_values())
    if changed.empty:
        return changed
    names = {e.id: e.name(lang) for e in catalog.elements().values()}
    shown = changed.assign(
        element_id=changed.element_id.map(names),
        old=changed.old.map(lambda v: fmt.number(v, lang)),
        new=changed.new.map(lambda v: fmt.number(v, lang)),
        status=changed.status.map(lambda s: t(f"change_{s}", lang)),
    )
    st.subheader(t("what_changes", lang))
    widgets.labelled(shown, lang, {c: f"change_col_{c}" for c in shown.columns})
    return changed


def import_button(report: checking.Report, engine: Engine, lang: str, actor: Actor) -> None:
    """Refused with errors; otherwise the changes, the warnings to confirm, and the import."""
    if report.errors:
        st.error(t("import_refused", lang))
        return
    changed = changes(report, lang)
    confirmed = True
    if report.warnings:
        confirmed = st.checkbox(t("confirm_warnings", lang, count=len(report.warnings)), key="confirm")
    if st.button(t("import_button", lang), type="primary", disabled=not confirmed or changed.empty, key="do"):
        try:
            result = storing.apply(report, engine, actor, accept_warnings=confirmed)
        except (StoreBusy, AccessDenied, storing.ImportRefused) as exc:  # e.g. approved since the check
            st.error(exc.text(lang))
            return
        # no cache to clear: the store's new version has every page read its figures again
        st.session_state.pop(CHECKED, None)
        st.success(
            t("import_done", lang, id=result.import_id) if result.import_id else t("import_nothing", lang)
        )
    elif changed.empty:
        st.info(t("import_nothing", lang))


def history(engine: Engine, lang: str, actor: Actor) -> None:
    """The import log, and undo of an import that is not undone yet."""
    st.subheader(t("import_history", lang))
    log = storing.log(engine)
    if log.empty:
        st.info(t("imports_none", lang))
        return
    st.dataframe(tables.import_log_table(log, lang), hide_index=True, width="stretch")
    open_ids = [int(i) for i in log[log.undone_at.isna()].id]
    if not open_ids:
        return
    left, right = st.columns([3, 1])
    chosen = left.selectbox(t("undo_pick", lang), open_ids, key="undo_id")
    if right.button(t("undo_button", lang), key="undo"):
        try:
            restored = storing.undo(chosen, engine, actor)
        except (storing.UndoRefused, StoreBusy, AccessDenied) as exc:
            st.error(exc.text(lang))
            return
        st.session_state.pop(CHECKED, None)
        st.success(t("undo_done", lang, id=chosen, count=restored))


view = page_setup("page_upload", need_data=False)
actor = signin.require("import", view.lang, view.store.url)
engine = view.store.engine
template_downloads(view, engine)
upload = st.file_uploader(
    t("upload_label", view.lang),
    type=["csv", "txt", "xlsx"],
    key="upload",
    max_upload_size=max(1, config.import_max_bytes() // 2**20),
)
if upload is not None:
    report = checked_report(upload, view, engine, actor)
    summary(report, view.lang)
    problems(report, view.lang)
    unit_mappings(report, view, engine, actor)
    import_button(report, engine, view.lang, actor)
history(engine, view.lang, actor)
