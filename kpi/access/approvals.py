"""Approved periods: an approver locks a unit's month, quarter or year (a district's or an
area's approval covers its units) so that no import or undo changes it until unapproved."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from kpi.access import audit, scope
from kpi.access.roles import Actor
from kpi.i18n import Failure
from kpi.periods import Period, Range
from kpi.store import db


class ApprovalError(Failure, ValueError):
    """Approving what is approved already, unapproving what is not, an unknown unit."""


def approve(engine: Engine, actor: Actor, unit_code: str, period: Period) -> None:
    actor.require("approve")
    with db.writing(engine) as conn:
        _known(conn, unit_code)
        scope.require_units(conn, actor, {unit_code})
        found = _approval(conn, unit_code, period)
        if found is not None:
            raise ApprovalError(
                "err_approval_exists", unit=unit_code, period=period.code, approver=found["approved_by"]
            )
        db.execute(
            conn,
            "queries/insert_approval",
            unit_code=unit_code,
            period_type=period.kind,
            period_start=period.start,
            period_end=period.end,
            approved_by=actor.name,
        )
        audit.record(conn, actor, "approve", unit_code, period.code)


def unapprove(engine: Engine, actor: Actor, unit_code: str, period: Period) -> None:
    actor.require("approve")
    with db.writing(engine) as conn:
        scope.require_units(conn, actor, {unit_code})
        found = _approval(conn, unit_code, period)
        if found is None:
            raise ApprovalError("err_approval_missing", unit=unit_code, period=period.code)
        db.execute(
            conn,
            "queries/delete_approval",
            unit_code=unit_code,
            period_type=period.kind,
            period_start=period.start,
        )
        audit.record(
            conn, actor, "unapprove", unit_code, f"{period.code} (approved by {found['approved_by']})"
        )


def approvals(engine: Engine, root: str | None = None, span: Range | None = None) -> pd.DataFrame:
    """The approvals (all, or those touching a root's units in a range): unit_code, unit_name,
    period_type, period_start, period_end, approved_by, approved_at, period (its code)."""
    if root is None or span is None:
        found = db.read_frame("queries/approvals", engine)
    else:
        found = db.read_frame(
            "queries/approvals_in_view", engine, root=root, range_start=span.start, range_end=span.end
        )
    found["period"] = [
        Period(pd.Timestamp(start).date(), kind).code
        for start, kind in zip(found.period_start, found.period_type, strict=True)
    ]
    return found


def _approval(conn, unit_code: str, period: Period) -> dict | None:
    row = (
        db.execute(
            conn, "queries/approval", unit_code=unit_code, period_type=period.kind, period_start=period.start
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _known(conn, unit_code: str) -> None:
    if db.frame(conn, "queries/unit_codes_in", codes=[unit_code]).empty:
        raise ApprovalError("err_approval_unit", unit=unit_code)
