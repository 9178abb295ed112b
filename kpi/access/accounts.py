"""Accounts: names, roles, units and argon2 password hashes, in the store.

A password is never stored, printed or logged: only its argon2id hash (argon2-cffi, whose
defaults follow RFC 9106). Failed sign-ins lock the account for a time that doubles with each
failure, so guessing is slow without a thread ever sleeping.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import argon2
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi.access import audit
from kpi.access.roles import AccessDenied, Actor, roles
from kpi.i18n import Failure
from kpi.store import db

HASHER = argon2.PasswordHasher()
FIRST_ADMIN = "admin"
#: Seconds an account waits after its Nth failed sign-in in a row: 1, 2, 4, … at most 5 minutes.
LOCK_MAX_SECONDS = 300


class AccountError(Failure, ValueError):
    """A bad account request: unknown role, unit or account, a name taken, an empty password."""


class SignInRefused(Failure, PermissionError):
    """Wrong name or password, or too many failures in a row: wait."""


def new_password() -> str:
    """A random password to hand over once (about 96 bits)."""
    return secrets.token_urlsafe(12)


def add(
    engine: Engine,
    actor: Actor,
    name: str,
    role: str,
    units: list[str],
    password: str,
    email: str | None = None,
) -> None:
    """Create an account (admin only); its units must exist."""
    actor.require("admin")
    name = name.strip()
    if not name or any(c.isspace() for c in name) or len(name) > 64:
        raise AccountError("err_account_name", name=name)
    if role not in roles():
        raise AccountError("err_account_role", role=role, roles=", ".join(roles()))
    if not password:
        raise AccountError("err_account_password")
    with db.writing(engine, shown=False) as conn:  # no page caches the accounts
        if _row(conn, name) is not None:
            raise AccountError("err_account_exists", name=name)
        known = set(db.frame(conn, "queries/unit_codes_in", codes=list(units) or [""]).code)
        if missing := [u for u in units if u not in known]:
            raise AccountError("err_account_unit", units=", ".join(missing))
        db.execute(
            conn,
            "queries/insert_account",
            name=name,
            role=role,
            password_hash=HASHER.hash(password),
            email=email.strip().lower() if email else None,
        )
        for unit in units:
            db.execute(conn, "queries/insert_account_unit", account_name=name, unit_code=unit)
        audit.record(conn, actor, "account_add", name, f"role={role} units={','.join(units) or '-'}")


def remove(engine: Engine, actor: Actor, name: str) -> None:
    """Delete an account (admin only); the last admin stays, so someone can always sign in."""
    actor.require("admin")
    with db.writing(engine, shown=False) as conn:
        row = _row(conn, name)
        if row is None:
            raise AccountError("err_account_unknown", name=name)
        admins = listing(conn).query("role == 'admin'")
        if row["role"] == "admin" and len(admins) == 1:
            raise AccountError("err_account_last_admin", name=name)
        db.execute(conn, "queries/delete_account_units", name=name)
        db.execute(conn, "queries/delete_account", name=name)
        audit.record(conn, actor, "account_remove", name, f"role={row['role']}")


def listing(conn: Connection) -> pd.DataFrame:
    """Every account: name, role, units (a list), email, created_at."""
    accounts = db.frame(conn, "queries/accounts")
    units = db.frame(conn, "queries/account_units")
    assigned = units.groupby("account_name").unit_code.agg(sorted)
    accounts["units"] = [assigned.get(n, []) for n in accounts.name]
    return accounts


def accounts(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return listing(conn)


def actor(engine: Engine, name: str) -> Actor:
    """The account of a name, as an actor (the command line's --user)."""
    with engine.connect() as conn:
        found = _actor(conn, name)
    if found is None:
        raise AccessDenied("err_account_unknown", name=name)
    return found


def sign_in(engine: Engine, name: str, password: str, now: datetime | None = None) -> Actor:
    """The account, when the password is right and the account is not waiting out failures."""
    now = now or datetime.now()
    with db.writing(engine, shown=False) as conn:  # the failure is counted though sign-in is refused
        refusal, found = _try_password(conn, name.strip(), password, now)
    if refusal is not None:
        raise refusal
    assert found is not None
    return found


def _try_password(conn: Connection, name: str, password: str, now: datetime) -> tuple:
    """(refusal, None) or (None, actor); a failure is recorded, a success resets the count."""
    row = _row(conn, name)
    if row is None:
        HASHER.hash(password)  # as slow as a wrong password: names cannot be probed by timing
        return SignInRefused("err_sign_in"), None
    locked = row["locked_until"]
    if locked is not None and pd.Timestamp(locked) > pd.Timestamp(now):
        wait = (pd.Timestamp(locked) - pd.Timestamp(now)).total_seconds()
        return SignInRefused("err_sign_in_wait", seconds=float(max(1, round(wait)))), None
    try:
        HASHER.verify(row["password_hash"] or "", password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        failures = int(row["failed_logins"]) + 1
        until = now + timedelta(seconds=min(2 ** (failures - 1), LOCK_MAX_SECONDS))
        db.execute(conn, "queries/sign_in_failed", name=name, failures=failures, until=until)
        return SignInRefused("err_sign_in"), None
    db.execute(conn, "queries/sign_in_failed", name=name, failures=0, until=None)
    return None, _actor(conn, name)


def for_email(engine: Engine, email: str | None) -> Actor | None:
    """The account that single sign-on's e-mail address maps to, if any."""
    if not email:
        return None
    with engine.connect() as conn:
        row = db.execute(conn, "queries/account_by_email", email=email.strip().lower()).mappings().first()
        return _actor(conn, row["name"]) if row else None


def first_admin(engine: Engine) -> str | None:
    """On a store without accounts, create `admin` with a random password and return the
    password (to print once); None when accounts exist."""
    with engine.connect() as conn:
        if not listing(conn).empty:
            return None
    password = new_password()
    add(engine, Actor("setup", "admin"), FIRST_ADMIN, "admin", [], password)
    return password


def _row(conn: Connection, name: str) -> dict | None:
    row = db.execute(conn, "queries/account", name=name).mappings().first()
    return dict(row) if row else None


def _actor(conn: Connection, name: str) -> Actor | None:
    row = _row(conn, name)
    if row is None:
        return None
    units = db.frame(conn, "queries/account_units").query("account_name == @name").unit_code
    return Actor(row["name"], row["role"], tuple(sorted(units)))
