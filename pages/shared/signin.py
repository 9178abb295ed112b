"""Signing in on the dashboard: the built-in password form, or the organisation's single
sign-on (Streamlit's st.login, when .streamlit/secrets.toml has an [auth] section), whose
e-mail address maps to an account. What an account may do is decided in kpi.access; pages
only ask `require` for the authority they need before they draw anything of it."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from kpi.access import accounts
from kpi.access.roles import AccessDenied, Actor, Authority, role_name
from kpi.i18n import t
from kpi.store import db

ACCOUNT = "account_name"  # session state: the signed-in account's name, nothing else


def sso_configured() -> bool:
    """True when .streamlit/secrets.toml configures OpenID Connect ([auth])."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def sso_signed_in() -> bool:
    """True when the organisation's sign-on has signed this browser in (read with get: a
    session without an identity cookie may lack the key)."""
    return sso_configured() and bool(st.user.get("is_logged_in", False))


def current(engine: Engine) -> Actor | None:
    """The account signed in on this session, read again from the store on every run (an
    account removed since, or given other units, takes effect at once)."""
    if sso_signed_in():
        return accounts.for_email(engine, st.user.get("email"))
    name = st.session_state.get(ACCOUNT)
    if not name:
        return None
    try:
        return accounts.actor(engine, name)
    except AccessDenied:
        st.session_state.pop(ACCOUNT, None)
        return None


def require(authority: str, lang: str, url: str) -> Actor:
    """The signed-in account when it holds the authority; otherwise the sign-in form (or the
    reason), and the page stops there."""
    engine = db.get_engine(url)
    actor = current(engine)
    if actor is None:
        st.info(t("sign_in_needed", lang, action=Authority(authority)))
        form(engine, lang)
        st.stop()
    if not actor.may(authority):
        st.warning(
            t("err_access_role", lang, account=actor.name, action=Authority(authority))
            + " "
            + t("role_is", lang, role=role_name(actor.role, lang))
        )
        st.stop()
    return actor


def form(engine: Engine, lang: str) -> None:
    """The password form, and single sign-on's button when configured."""
    if sso_configured():
        if sso_signed_in():  # signed in by the organisation, but no account has that e-mail
            st.error(t("sso_no_account", lang, email=st.user.get("email") or "?"))
            st.button(t("sign_out", lang), on_click=st.logout, key="sso_sign_out")
            return
        st.button(t("sign_in_sso", lang), on_click=st.login, key="sso_sign_in", type="primary")
    with st.form("sign_in"):
        name = st.text_input(t("account_name", lang), key="sign_in_name")
        password = st.text_input(t("password", lang), type="password", key="sign_in_password")
        if st.form_submit_button(t("sign_in", lang), key="sign_in_submit"):
            try:
                actor = accounts.sign_in(engine, name, password)
            except accounts.SignInRefused as exc:
                st.error(exc.text(lang))
                return
            st.session_state[ACCOUNT] = actor.name
            st.rerun()


def status(url: str, lang: str) -> None:
    """In the sidebar: who is signed in, and the way out."""
    actor = current(db.get_engine(url))
    if actor is None:
        return
    st.sidebar.caption(t("signed_in_as", lang, name=actor.name, role=role_name(actor.role, lang)))
    if st.sidebar.button(t("sign_out", lang), key="sign_out"):
        st.session_state.pop(ACCOUNT, None)
        if sso_signed_in():
            st.logout()
        st.rerun()
