"""Writes to the store. Every function takes an open connection: the caller's transaction
decides what is written together, so a command writes all of its changes or none."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
from sqlalchemy.engine import Connection

from kpi import catalog
from kpi.store import db, indicator_cells, units

OBSERVATION_COLUMNS = [
    "unit_code",
    "element_id",
    "period_type",
    "period_start",
    "period_end",
    "value",
    "note",
    "reported_at",
    "kind",
]


def get_setting(conn: Connection, key: str) -> str | None:
    return db.execute(conn, "queries/get_setting", key=key).scalar_one_or_none()


def set_setting(conn: Connection, key: str, value: str) -> None:
    db.execute(conn, "queries/set_setting", key=key, value=value)


def sync_definitions(conn: Connection) -> int | None:
    """Copy the element and indicator definitions into the store (extra fields are ignored),
    and the indicators' cells follow them: how many cells were refilled, None when the cells
    were already those of these definitions."""
    for e in catalog.elements().values():
        row = {**asdict(e), "element_group": e.group, "reported_by": ",".join(e.reported_by)}
        db.execute(conn, "queries/upsert_element", **row)
    for i in catalog.indicators().values():
        row = {
            **asdict(i),
            "numerator": ",".join(i.numerator),
            "denominator": ",".join(i.denominator) or None,
        }
        db.execute(conn, "queries/upsert_indicator", **row)
    return indicator_cells.sync(conn)


def upsert_units(conn: Connection, frame: pd.DataFrame, succession: pd.DataFrame | None = None) -> None:
    """Add or update units, the areas they complete and the conversion table between the maps
    (the official one, or the succession given: old unit, new unit, merged in part), then
    rebuild the ancestor table that sub-tree sums join on. A unit without an official code (one
    made for a test) is known by its key."""
    if "official_code" not in frame:
        frame = frame.assign(official_code=frame.code)
    with db.staged(conn, "staged_units", frame):
        db.execute(conn, "queries/upsert_units")
    stored = db.frame(conn, "queries/unit_tree")
    with db.staged(conn, "staged_successors", units.successors(stored) if succession is None else succession):
        db.execute(conn, "queries/upsert_successors")
    succession = db.frame(conn, "queries/unit_successors")
    with db.staged(conn, "staged_units", units.areas_frame(stored, succession)):
        db.execute(conn, "queries/upsert_units")
    ancestry = units.ancestry(db.frame(conn, "queries/unit_tree"), succession)
    db.execute(conn, "queries/clear_unit_ancestors")
    with db.staged(conn, "staged_ancestors", ancestry):
        db.execute(conn, "queries/insert_unit_ancestors")


def source_id(conn: Connection, name: str, kind: str, is_demo: bool, note: str | None = None) -> int:
    """The id of a named source, created on first use."""
    db.execute(conn, "queries/ensure_source", name=name, kind=kind, is_demo=is_demo, note=note)
    return db.execute(conn, "queries/source_id", name=name).scalar_one()


def add_observations(conn: Connection, values: pd.DataFrame, source: int) -> int:
    """Store values that the store does not hold yet; return how many were added."""
    frame = values.reindex(columns=OBSERVATION_COLUMNS)
    for column in ("note", "reported_at", "kind"):  # absent: null, not a NaN no date is cast from
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    with db.staged(conn, "staged_observations", frame):
        added = db.execute(conn, "queries/insert_new_observations", source_id=source).rowcount
    if added:
        indicator_cells.refresh(conn, frame)
    return added


def set_kinds(conn: Connection, values: pd.DataFrame, source: int) -> None:
    """Give the source's stored values the kinds of VALUES (unit, element, period, kind)."""
    keys = values[["unit_code", "element_id", "period_type", "period_start", "kind"]]
    with db.staged(conn, "staged_kinds", keys):
        if db.execute(conn, "queries/set_kinds", source_id=source).rowcount:
            indicator_cells.refresh(conn, keys)


def add_targets(conn: Connection, targets: pd.DataFrame, source: int) -> int:
    """Store yearly targets (indicator_id, year, target) that the store does not hold yet."""
    with db.staged(conn, "staged_targets", targets[["indicator_id", "year", "target"]]):
        return db.execute(conn, "queries/insert_new_targets", source_id=source).rowcount


def demo_counts(conn: Connection) -> dict[str, int]:
    """How many illustrative observations and targets the store holds."""
    row = db.execute(conn, "queries/demo_counts").mappings().one()
    return {"observations": int(row["observations"]), "targets": int(row["targets"])}


def remove_demo(conn: Connection) -> dict[str, int]:
    """Delete every illustrative value and target; real data stays. Their sources go after
    the commit, with remove_demo_sources."""
    counts = demo_counts(conn)
    touched = db.frame(conn, "queries/demo_cell_keys")
    db.execute(conn, "queries/delete_demo_observations")
    db.execute(conn, "queries/delete_demo_targets")
    indicator_cells.refresh(conn, touched)
    return counts


def remove_demo_sources(conn: Connection) -> None:
    """Delete the demo set's sources that nothing points at any more."""
    db.execute(conn, "queries/delete_demo_sources")
