"""Small reads of the store that the command line and the pages share."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi.store import db, indicator_cells, migrate, shared_file, units


def is_ready(engine: Engine | None = None) -> bool:
    """True once `init` has created the schema (an empty or new database is not ready)."""
    with (engine or db.get_engine()).connect() as conn:
        return sa.inspect(conn).has_table("schema_migrations") and migrate.current_version(conn) > 0


def is_current(engine: Engine | None = None) -> bool:
    """True when the store has every schema version this code knows and its indicators' cells
    were filled for this code's definitions (else `init` migrates it and fills them)."""
    with (engine or db.get_engine()).connect() as conn:
        return migrate.current_version(conn) >= migrate.latest_version() and indicator_cells.is_current(conn)


def unit(code: str, engine: Engine | None = None) -> dict | None:
    """A unit (code, name, level, parent_code, children), or None when there is none."""
    found = db.read_frame("queries/unit", engine, code=code)
    return None if found.empty else found.iloc[0].to_dict()


def unit_on(code: str, day: date, engine: Engine | None = None) -> dict | None:
    """The unit that a code (official code, key or area id) names on a day, or None.

    21061 is Xã Bình Trị on 2024-12-31 and Xã Vạn Tường (21061@2025) on 2025-07-01: a code
    and a date name a unit.
    """
    found = db.read_frame("queries/unit_on_day", engine, code=code, day=day, map=units.map_on(day))
    return None if found.empty else found.iloc[0].to_dict()


def unit_lifetimes(code: str, engine: Engine | None = None) -> pd.DataFrame:
    """Every unit that ever had a code (to say when a code named what)."""
    return db.read_frame("queries/unit_lifetimes", engine, code=code)


def default_root(map_id: str, engine: Engine | None = None) -> str | None:
    """What the dashboard and the command line look at by default on a map: the store's district
    on the map before 2025, and on the current map the area that stands where it stood (or, in
    a store without the current map, its province)."""
    district = setting("district", engine)
    if district is None or map_id == units.LEGACY:
        return district
    area = units.area_id_for(district)
    return area if unit(area, engine) else (unit(district, engine) or {}).get("parent_code")


def import_scope(engine: Engine | None = None) -> str | None:
    """The unit whose ground files may cover, on either map: the area standing where the
    district stood (its old units and its new communes), else the district's province."""
    return default_root(units.CURRENT, engine)


def units_on(day: date, engine: Engine | None = None) -> pd.DataFrame:
    """The administrative units in force on a day, in tree order (areas are not among them)."""
    return tree_order(db.read_frame("queries/units_on_day", engine, day=day))


def unit_tree(engine: Engine | None = None) -> pd.DataFrame:
    """Every unit in tree order: each unit followed by the units under it."""
    return tree_order(db.read_frame("queries/unit_tree", engine))


def tree_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Units (code, parent_code) with each unit followed by the units under it."""
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


_FILE_VERSIONS: dict[str, tuple[tuple, str]] = {}  # DuckDB file -> (its signature, its version)


def data_version(engine: Engine | None = None) -> str:
    """The store's version: it changes with every write the dashboard shows, from any process
    (kpi.store.db.writing), so that cached figures can be keyed by it rather than kept for a
    while and maybe stale. Empty for a store not set up or never written since it had one.

    A DuckDB file is read again only when it changed on disk: opening it costs some 35 ms, a
    look at its size and time a few microseconds, and the dashboard asks at every click."""
    engine = engine or db.get_engine()
    path = db.file_of(engine)
    if path is None:
        return _stored_version(engine)
    seen = shared_file.signature(path)  # before the read: a write in between is seen next time
    known = _FILE_VERSIONS.get(path)
    if known is not None and known[0] == seen:
        return known[1]
    version = _stored_version(engine)
    _FILE_VERSIONS[path] = (seen, version)
    return version


def _stored_version(engine: Engine) -> str:
    try:
        return setting(db.VERSION_KEY, engine) or ""
    except sa.exc.ProgrammingError:  # no settings table yet: an empty file, before `init`
        return ""


def setting(key: str, engine: Engine | None = None) -> str | None:
    """A value from the settings table (the district, the demo state)."""
    with (engine or db.get_engine()).connect() as conn:
        return db.execute(conn, "queries/get_setting", key=key).scalar_one_or_none()
