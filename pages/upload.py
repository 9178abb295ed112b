"""Nhập dữ liệu: check a commune's file, name every problem, fix unit names, import, undo."""

import hashlib

import pandas as pd
import streamlit as st

from kpi import catalog, db, fmt, importer, templates, unitmatch
from kpi.filereader import ReadError, sheet_names
from kpi.i18n import t
from kpi.periods import Period
from pages import common

CHECKED = "import_checked"  # the last file checked in this session, with its report
view = common.page_setup("page_upload", need_data=False)
lang = view.lang
engine = db.get_engine(view.url)

with st.expander(t("templates", lang), expanded=False):
    months = [Period.containing(pd.Timestamp.today().date(), "month").shift(-i) for i in range(24)]
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
    blank = templates.frame(view.root["code"], month, group, engine)
    name = f"mau_{group}_{view.root['code']}_{month.code}"
    left.download_button("CSV", templates.to_csv(blank), f"{name}.csv", "text/csv", key="template_csv")
    title = t("template_title", lang, unit=view.root["name"], period=month.label(lang))
    workbook = templates.to_xlsx(blank, title)
    right.download_button("XLSX", workbook, f"{name}.xlsx", common.XLSX_MIME, key="template_xlsx")

upload = st.file_uploader(t("upload_label", lang), type=["csv", "txt", "xlsx"], key="upload")
if upload is not None:
    content = upload.getvalue()
    sheet = None
    names = sheet_names(content)  # empty for CSV, and for a broken workbook (check() says why)
    if names:
        sheet = st.selectbox(
            t("sheet", lang),
            [None, *names],
            key="sheet",
            format_func=lambda s: t("sheet_auto", lang) if s is None else s,
        )
    # The check is kept for this session until the file, the sheet or the store changes: ticking
    # a box must not read a 100,000-row file again.
    key = (hashlib.sha256(content).hexdigest(), sheet, upload.name)
    kept = st.session_state.get(CHECKED)
    if kept is not None and kept[0] == key:
        report = kept[1]
    else:
        bar = st.progress(0.0, text=t("checking", lang))
        try:
            report = importer.check(
                content, upload.name, engine, sheet=sheet, progress=lambda f: bar.progress(f)
            )
        except ReadError as exc:
            bar.empty()
            st.error(exc.en if lang == "en" else exc.vi)
            st.stop()
        bar.empty()
        st.session_state[CHECKED] = (key, report)
    info = report.as_dict(lang)
    st.caption(
        t(
            "detected",
            lang,
            format=info["format"],
            encoding=info["encoding"] or info["sheet"] or "",
            shape=t(f"shape_{report.shape}", lang) if report.shape else "—",
            header=report.header_row or "—",
        )
    )
    counts = report.counts()
    cols = st.columns(6)
    figures = {
        "rows_read": report.rows_read,
        "rows_valid": report.rows_valid,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "values_new": counts["new"],
        "values_changed": counts["changed"],
    }
    for col, (key, value) in zip(cols, figures.items(), strict=True):
        col.metric(t(f"import_{key}", lang), value)

    if report.problems:
        problems = pd.DataFrame(
            [{**p.as_dict(lang), "severity": t(f"severity_{p.severity}", lang)} for p in report.problems]
        )
        shown = problems[["severity", "row", "column", "value", "message"]].rename(
            columns={k: t(f"problem_{k}", lang) for k in ("severity", "row", "column", "value", "message")}
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        common.problem_cells(report, lang)

    unknown = {p.value: p.candidates for p in report.errors if p.column and p.value and p.candidates}
    if unknown:
        st.subheader(t("fix_units", lang))
        units = common.unit_names(view.url, view.root["code"])
        for name, candidates in unknown.items():
            left, right = st.columns([3, 1])
            options = sorted(units, key=lambda code: (units[code] not in " ".join(candidates), units[code]))
            chosen = left.selectbox(  # no default: a name that fits two units is a question, never a guess
                f"'{name}'",
                options,
                index=None,
                placeholder=t("choose_unit", lang),
                format_func=lambda c: f"{units[c]} ({c})",
                key=f"map_{name}",
            )
            if right.button(t("save_mapping", lang), key=f"save_{name}", disabled=chosen is None):
                unitmatch.save_alias(name, chosen, engine)
                st.session_state.pop(CHECKED, None)
                st.rerun()

    if report.errors:
        st.error(t("import_refused", lang))
    else:
        changes = pd.DataFrame(report.changed_values())
        if not changes.empty:
            names = {e.id: e.name(lang) for e in catalog.elements().values()}
            shown = changes.assign(
                element_id=changes.element_id.map(names),
                old=changes.old.map(lambda v: fmt.number(v, lang)),
                new=changes.new.map(lambda v: fmt.number(v, lang)),
                status=changes.status.map(lambda s: t(f"change_{s}", lang)),
            )
            st.subheader(t("what_changes", lang))
            st.dataframe(
                shown.rename(columns={c: t(f"change_col_{c}", lang) for c in shown.columns}),
                hide_index=True,
                width="stretch",
            )
        confirmed = True
        if report.warnings:
            confirmed = st.checkbox(t("confirm_warnings", lang, count=len(report.warnings)), key="confirm")
        user = st.text_input(t("user_name", lang), key="import_user")
        if st.button(
            t("import_button", lang), type="primary", disabled=not confirmed or changes.empty, key="do"
        ):
            result = importer.apply(report, engine, user=user, accept_warnings=confirmed)
            st.session_state.pop(CHECKED, None)
            st.cache_data.clear()  # the figures changed: every page reads them again
            st.success(
                t("import_done", lang, id=result.import_id) if result.import_id else t("import_nothing", lang)
            )
        elif changes.empty:
            st.info(t("import_nothing", lang))

st.subheader(t("import_history", lang))
log = importer.log(engine)
if log.empty:
    st.info(t("imports_none", lang))
else:
    st.dataframe(log.drop(columns=["source_id"]), hide_index=True, width="stretch")
    open_ids = [int(i) for i in log[log.undone_at.isna()].id]
    if open_ids:
        left, right = st.columns([3, 1])
        chosen = left.selectbox(t("undo_pick", lang), open_ids, key="undo_id")
        if right.button(t("undo_button", lang), key="undo"):
            try:
                restored = importer.undo(chosen, engine)
                st.session_state.pop(CHECKED, None)
                st.cache_data.clear()
                st.success(t("undo_done", lang, id=chosen, count=restored))
            except importer.UndoRefused as exc:
                st.error(str(exc))
