"""Where an account may act, and what approvals lock: both asked of rows of values.

An account's units cover everything below them on either map: an analyst of a commune of the
map since 1/7/2025 also sends the history of the communes it was made from. An approval of a
unit's period locks every value of that unit and of the units below it whose period overlaps.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from kpi.access.roles import AccessDenied, Actor
from kpi.store import db


def outside(conn: Connection, actor: Actor, codes: set[str]) -> set[str]:
    """The unit codes the actor may not act for."""
    if actor.all_units or not codes:
        return set()
    if not actor.units:
        return set(codes)
    inside = set(db.frame(conn, "queries/units_under", units=list(actor.units)).unit_code)
    return set(codes) - inside


def require_units(conn: Connection, actor: Actor, codes: set[str]) -> None:
    """Raise AccessDenied naming the units the actor may not act for, if any."""
    if refused := sorted(outside(conn, actor, codes)):
        raise AccessDenied("err_access_units", account=actor.name, units=", ".join(refused[:10]))


def locked(conn: Connection, values: pd.DataFrame) -> pd.DataFrame:
    """The rows of VALUES (unit_code, period_start, period_end, any other columns) that an
    approval covers, each with the approval: approved_unit, approved_type, approved_start,
    approved_by, approved_at. One row per value, the first approval found."""
    empty = values.head(0).assign(
        approved_unit=[], approved_type=[], approved_start=[], approved_by=[], approved_at=[]
    )
    if values.empty or not _any_approval(conn):
        return empty
    values = values.assign(period_start=_dates(values.period_start), period_end=_dates(values.period_end))
    keys = values[["unit_code", "period_start", "period_end"]].drop_duplicates()
    with db.staged(conn, "staged_locks", keys):
        found = db.frame(conn, "queries/locked_values")
    if found.empty:
        return empty
    for column in ("period_start", "period_end", "approved_start"):
        found[column] = _dates(found[column])
    found = found.drop_duplicates(["unit_code", "period_start", "period_end"])
    return values.merge(found, on=["unit_code", "period_start", "period_end"], how="inner")


def _any_approval(conn: Connection) -> bool:
    return bool(db.execute(conn, "queries/approval_count").scalar_one())


def _dates(column: pd.Series) -> pd.Series:
    """Dates as datetime.date whatever the driver gave (DuckDB: timestamps; files: dates)."""
    return pd.to_datetime(column).dt.date
