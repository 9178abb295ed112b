"""Quản trị: approvals, remembered unit names, the audit trail and accounts, each shown to the
accounts whose role may use it (kpi.access decides; this page only asks and draws)."""

from datetime import date

import streamlit as st
from sqlalchemy.engine import Engine

from kpi.access import accounts, approvals, audit, scope
from kpi.access.roles import Actor, Authority, role_name, roles
from kpi.i18n import Failure, t
from kpi.imports import unit_names
from kpi.periods import Period
from kpi.store import reads
from pages.shared import signin, widgets
from pages.shared.setup import page_setup

KINDS = ("month", "quarter", "year")
SHOWN_BACK = {"month": 36, "quarter": 12, "year": 6}  # how far back a period can be picked


def own_units(engine: Engine, actor: Actor) -> dict[str, str]:
    """Code -> "name (code)" of the units the account may act for, in tree order."""
    tree = reads.tree_order(reads.unit_tree(engine))
    with engine.connect() as conn:
        refused = scope.outside(conn, actor, set(tree.code))
    return {c: f"{n} ({c})" for c, n in zip(tree.code, tree.name, strict=True) if c not in refused}


def ended_periods(kind: str, today: date) -> list[Period]:
    """The latest periods of a kind that have ended, newest first."""
    last = Period.containing(today, kind).shift(-1)
    return [last.shift(-i) for i in range(SHOWN_BACK[kind])]


FLASH = "administration_done"  # what the last write did, said once after the page is redrawn


def done(*messages: str) -> None:
    """After a write: the page is drawn anew (its tables were drawn before the write; the
    store's new version has every cached figure read again) with what happened said at the top."""
    st.session_state[FLASH] = messages
    st.rerun()


def approvals_tab(engine: Engine, actor: Actor, lang: str) -> None:
    if not actor.may("approve"):
        st.info(t("err_access_role", lang, account=actor.name, action=Authority("approve")))
        return
    units = own_units(engine, actor)
    left, middle, right = st.columns([3, 1, 2])
    unit = left.selectbox(t("approve_unit", lang), list(units), format_func=units.get, key="approve_unit")
    kind = middle.radio(
        t("approve_kind", lang), KINDS, format_func=lambda k: t(f"grain_{k}", lang), key="approve_kind"
    )
    period = right.selectbox(
        t("period", lang),
        ended_periods(kind, date.today()),
        format_func=lambda p: p.label(lang),
        key="approve_period",
    )
    if st.button(t("approve_button", lang), type="primary", key="approve", disabled=unit is None):
        attempt(
            lambda: approvals.approve(engine, actor, unit, period),
            t("approved_done", lang, period=period.label(lang), unit=units[unit]),
            lang=lang,
        )
    found = approvals.approvals(engine)
    if found.empty:
        st.caption(t("approved_none", lang))
        return
    found = found[found.unit_code.isin(units)]
    shown = found.assign(period=[Period.parse(c).label(lang) for c in found.period])
    widgets.labelled(
        shown[["unit_name", "period", "approved_by", "approved_at"]],
        lang,
        {
            "unit_name": "unit",
            "period": "period",
            "approved_by": "approved_by",
            "approved_at": "approved_at",
        },
    )
    keys = {
        f"{r.unit_code}|{r.period}": f"{r.unit_name} · {Period.parse(r.period).label(lang)}"
        for r in found.itertuples()
    }
    left, right = st.columns([3, 1])
    chosen = left.selectbox(
        t("unapprove_pick", lang), list(keys), format_func=keys.get, index=None, key="unapprove_pick"
    )
    if right.button(t("unapprove_button", lang), key="unapprove", disabled=chosen is None):
        code, period_code = chosen.split("|")
        target = Period.parse(period_code)
        attempt(
            lambda: approvals.unapprove(engine, actor, code, target),
            t("unapproved_done", lang, period=target.label(lang), unit=keys[chosen]),
            lang=lang,
        )


def mappings_tab(engine: Engine, actor: Actor, lang: str) -> None:
    found = unit_names.aliases(engine)
    if found.empty:
        st.caption(t("mappings_none", lang))
        return
    columns = ["alias", "unit_name", "created_by", "created_at"]
    widgets.labelled(found[columns], lang, {c: f"mapping_col_{c}" for c in columns})
    left, right = st.columns([3, 1])
    alias = left.selectbox(t("mapping_remove_pick", lang), list(found.alias), index=None, key="mapping_pick")
    if right.button(t("mapping_remove_button", lang), key="mapping_remove", disabled=alias is None):
        attempt(
            lambda: unit_names.remove_alias(alias, engine, actor),
            t("mapping_removed", lang, alias=alias),
            lang=lang,
        )


def audit_tab(engine: Engine, actor: Actor, lang: str) -> None:
    trail = audit.trail(engine, actor)
    if trail.empty:
        st.caption(t("audit_none", lang))
        return
    shown = trail.assign(action=trail.action.map(lambda a: t(f"audit_{a}", lang)))
    widgets.labelled(shown, lang, {c: f"audit_col_{c}" for c in shown.columns})


def accounts_tab(engine: Engine, actor: Actor, lang: str) -> None:
    if not actor.may("admin"):
        st.info(t("err_access_role", lang, account=actor.name, action=Authority("admin")))
        return
    found = accounts.accounts(engine)
    shown = found.assign(units=found.units.map(", ".join), role=found.role.map(lambda r: role_name(r, lang)))
    widgets.labelled(
        shown[["name", "role", "units", "email"]],
        lang,
        {"name": "account_name", "role": "account_role", "units": "account_units", "email": "account_email"},
    )
    units = own_units(engine, actor)
    with st.form("account_add", clear_on_submit=True):
        left, right = st.columns(2)
        name = left.text_input(t("account_name", lang), key="new_account_name")
        role = right.selectbox(
            t("account_role", lang),
            list(roles()),
            format_func=lambda r: role_name(r, lang),
            key="new_account_role",
        )
        chosen = st.multiselect(
            t("account_units", lang), list(units), format_func=units.get, key="new_account_units"
        )
        email = left.text_input(t("account_email", lang), key="new_account_email")
        password = right.text_input(t("password", lang), type="password", key="new_account_password")
        if st.form_submit_button(t("account_add_button", lang)):
            given = password or accounts.new_password()
            said = [t("user_added", lang, name=name, role=role)]
            if not password:  # made here: shown this once, stored only as its hash
                said.append(t("user_password_once", lang, name=name, password=given))
            attempt(
                lambda: accounts.add(engine, actor, name, role, chosen, given, email or None),
                *said,
                lang=lang,
            )
    left, right = st.columns([3, 1])
    gone = left.selectbox(t("account_remove_pick", lang), list(found.name), index=None, key="account_pick")
    if right.button(t("account_remove_button", lang), key="account_remove", disabled=gone is None):
        attempt(lambda: accounts.remove(engine, actor, gone), t("user_removed", lang, name=gone), lang=lang)


def attempt(write, *messages: str, lang: str) -> None:
    """Run one write; say what it did, or why kpi refused it."""
    try:
        write()
    except Failure as exc:
        st.error(widgets.failure(exc, lang))
        return
    done(*messages)


view = page_setup("page_administration", need_data=False)
actor = signin.require("read_audit", view.lang, view.store.url)
engine = view.store.engine
lang = view.lang
for message in st.session_state.pop(FLASH, ()):
    st.success(message)
tabs = st.tabs([t(f"tab_{k}", lang) for k in ("approvals", "mappings", "audit", "accounts")])
with tabs[0]:
    approvals_tab(engine, actor, lang)
with tabs[1]:
    mappings_tab(engine, actor, lang)
with tabs[2]:
    audit_tab(engine, actor, lang)
with tabs[3]:
    accounts_tab(engine, actor, lang)
