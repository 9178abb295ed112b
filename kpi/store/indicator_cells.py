"""The indicators' cells: per indicator, unit and period, the sums of its two sides, kept in
the store beside the observations (sql/migrations/009_indicator_cells.sql).

A computation reads these cells rather than the observations: at national scale, summing each
indicator's elements again at every query cost a third of its time. Every write of
observations refreshes, in its own transaction, the cells of the units and first days it
touched; a change of the definitions (the elements of an indicator) refills them all.
"""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy.engine import Connection

from kpi import catalog
from kpi.store import db

#: Raise when the cells' columns, rules or order change, or when cells already written may be
#: wrong: every store then fills its cells again at its next `init`. 3: DuckDB 2.0.0 could leave
#: a large write of cells unreadable, and the writes after it then kept cells several times.
RULES_VERSION = "3"
_SETTING = "indicator_cells"
_KEYS = ["unit_code", "period_start"]
_NO_KEYS = pd.DataFrame({"unit_code": pd.Series(dtype=str), "period_start": pd.Series(dtype=str)})


def sync(conn: Connection) -> int | None:
    """Copy the indicators' sides from the definitions and, when they are not those the cells
    were filled with, fill every cell again: how many cells there are then, or None when the
    cells were already current."""
    sides = _sides()
    stamp = _stamp(sides)
    if _filled_for(conn) == stamp:
        return None
    db.execute(conn, "queries/clear_indicator_sides")
    with db.staged(conn, "staged_sides", sides):
        db.execute(conn, "queries/insert_indicator_sides")
    filled = refill(conn)
    db.execute(conn, "queries/set_setting", key=_SETTING, value=stamp)
    return filled


def is_current(conn: Connection) -> bool:
    """True when the cells were filled for the definitions this code reads (else `init` fills
    them again: a computation on cells of other definitions would be wrong, not just old)."""
    return _filled_for(conn) == _stamp(_sides())


def _filled_for(conn: Connection) -> str | None:
    """The stamp of the definitions the cells were last filled for."""
    return db.execute(conn, "queries/get_setting", key=_SETTING).scalar_one_or_none()


def refresh(conn: Connection, keys: pd.DataFrame) -> None:
    """Write again the cells of the units and first days of KEYS (unit_code, period_start),
    after their observations changed in this transaction."""
    if not keys.empty:
        _fill(conn, keys[_KEYS].drop_duplicates())


def refill(conn: Connection) -> int:
    """Write every cell again (after the definitions changed, or values were changed in the
    database directly); returns how many there are."""
    return _fill(conn, None)


def _fill(conn: Connection, keys: pd.DataFrame | None) -> int:
    """Clear and write the cells of KEYS, or every cell when KEYS is None (the statements still
    name the staged keys then: an empty frame stands in)."""
    with db.staged(conn, "staged_cell_keys", _NO_KEYS if keys is None else keys):
        db.execute(conn, "queries/clear_indicator_cells", everything=keys is None)
        return db.execute(conn, "queries/fill_indicator_cells", everything=keys is None).rowcount


def _sides() -> pd.DataFrame:
    rows = [
        (i.id, element, side, len(i.numerator), len(i.denominator))
        for i in catalog.indicators().values()
        for side, elements in (("num", i.numerator), ("den", i.denominator))
        for element in elements
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "element_id", "side", "n_num", "n_den"])


def _stamp(sides: pd.DataFrame) -> str:
    """A digest of the sides and of the rules: equal stamps, equal cells."""
    text = RULES_VERSION + sides.sort_values(list(sides.columns)).to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
