"""Small reads of the store that the command line and the pages share."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi.store import db, migrate


def is_ready(engine: Engine | None = None) -> bool:
    """True once `init` has created the schema (an empty or new database is not ready)."""
    with (engine or db.get_engine()).connect() as conn:
        return sa.inspect(conn).has_table("schema_migrations") and migrate.current_version(conn) > 0


def is_current(engine: Engine | None = None) -> bool:
    """True when the store has every schema version this code knows (else `init` migrates it)."""
    with (engine or db.get_engine()).connect() as conn:
        return migrate.current_version(conn) >= migrate.latest_version()


def unit(code: str, engine: Engine | None = None) -> dict | None:
    """A unit (code, name, level, parent_code, children), or None when there is none."""
    found = db.read_frame("queries/unit", engine, code=code)
    return None if found.empty else found.iloc[0].to_dict()


def unit_tree(engine: Engine | None = None) -> pd.DataFrame:
    """Every unit in tree order: each unit followed by the units under it."""
    frame = db.read_frame("queries/unit_tree", engine)
    codes = set(frame.code)
    children: dict[str | None, list[dict]] = {}
    for row in frame.to_dict("records"):
        parent = row["parent_code"] if row["parent_code"] in codes else None  # a root
        children.setdefault(parent, []).append(row)
    ordered: list[dict] = []

    def walk(parent: str | None) -> None:
        for row in children.get(parent, []):
            ordered.append(row)
            walk(row["code"])

    walk(None)
    return pd.DataFrame(ordered, columns=frame.columns)


def elements(engine: Engine | None = None) -> pd.DataFrame:
    """The data elements the store holds."""
    return db.read_frame("queries/element_list", engine)


def setting(key: str, engine: Engine | None = None) -> str | None:
    """A value from the settings table (the district, the demo state)."""
    with (engine or db.get_engine()).connect() as conn:
        return db.execute(conn, "queries/get_setting", key=key).scalar_one_or_none()
