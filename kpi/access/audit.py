"""The audit trail: every write, with the account that made it, when, and what changed.

Entries are written in the same transaction as the change they describe (both or neither), and
the product has no statement that updates or deletes them.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi.access.roles import Actor
from kpi.store import db

#: Every kind of write the trail holds (labels.toml has audit_<action> for each).
ACTIONS = (
    "import",
    "undo",
    "mapping_add",
    "mapping_remove",
    "approve",
    "unapprove",
    "account_add",
    "account_remove",
    "demo_load",
    "demo_remove",
    "demo_replace",
    "cells_refill",
)


def record(conn: Connection, actor: Actor, action: str, target: str, detail: str = "") -> None:
    """Log one write, inside its transaction."""
    assert action in ACTIONS, action
    db.execute(conn, "queries/insert_audit", account=actor.name, action=action, target=target, detail=detail)


def trail(engine: Engine, actor: Actor) -> pd.DataFrame:
    """The whole trail, newest first: id, happened_at, account, action, target, detail."""
    actor.require("read_audit")
    return db.read_frame("queries/audit_log", engine)
