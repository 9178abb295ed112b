"""Test helpers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from kpi import config
from kpi.store import db, indicator_cells, migrate, writes

TABLES = (
    "settings",
    "units",
    "unit_ancestors",
    "elements",
    "indicators",
    "sources",
    "observations",
    "indicator_targets",
    "indicator_sides",
    "indicator_cells",
)


def rows_of(table: str) -> str:
    """A table's rows as SQL, the store's version left out of the settings."""
    return f"select * from {table}" + (f" where key <> '{db.VERSION_KEY}'" if table == "settings" else "")


def empty_store(path: Path, units: pd.DataFrame) -> Path:
    """A closed store file at path with the definitions and units, no values: a Hypothesis
    example copies it rather than setting up a store of its own."""
    url = f"duckdb:///{path}"
    engine = db.get_engine(url)
    migrate.migrate(engine)
    with engine.begin() as conn:
        writes.sync_definitions(conn)
        writes.upsert_units(conn, units)
    db.release(url)
    return path


def snapshot(url: str) -> dict[str, pd.DataFrame]:
    """Every table of a store, rows sorted, to compare a store before and after. The store's
    version is left out: it says that a write ran (an `init` that found nothing to do runs
    one), not what it changed."""
    tables = {}
    with db.get_engine(url).connect() as conn:
        for table in TABLES:
            result = conn.exec_driver_sql(rows_of(table))
            frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
            tables[table] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return tables


def assert_same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for table, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[table], obj=table)


def stored_cells(conn) -> pd.DataFrame:
    """The indicators' cells as stored, in the order of their key."""
    frame = pd.read_sql("select * from indicator_cells", conn)
    key = ["indicator_id", "unit_code", "period_start", "period_end"]
    return frame.sort_values(key).reset_index(drop=True)


def assert_cells_current(url: str) -> None:
    """The cells kept by the writes are those a refill from the observations gives."""
    with db.get_engine(url).connect() as conn, conn.begin() as transaction:
        kept = stored_cells(conn)
        indicator_cells.refill(conn)
        pd.testing.assert_frame_equal(kept, stored_cells(conn))
        transaction.rollback()


def count(url: str, sql: str) -> int:
    with db.get_engine(url).connect() as conn:
        return int(conn.exec_driver_sql(sql).scalar_one())


def imports_at_once(url: str, files: int = 4) -> None:
    """FILES imports of the same values, one per thread as dashboard sessions run them: each is
    stored whole, and undoing them newest first gives back exactly the values there were, so
    each one's log holds what the one before it left."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date

    from kpi.imports import checking, storing

    engine = db.get_engine(url)
    header = "Mã xã,Tên đơn vị,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa\n"
    reports = [
        checking.check(
            (header + "".join(f"21043,,2025-{m:02d},{10 + n},{5 + n}\n" for m in range(1, 7))).encode(),
            f"session-{n}.csv",
            engine,
            today=date(2026, 11, 29),
        )
        for n in range(files)
    ]
    before = snapshot(url)["observations"]
    with ThreadPoolExecutor(files) as pool:
        results = list(pool.map(lambda r: storing.apply(r, engine, accept_warnings=True), reports))
    assert all(r.new + r.changed == 12 for r in results), results
    for import_id in sorted((r.import_id for r in results), reverse=True):
        storing.undo(import_id, engine)
    pd.testing.assert_frame_equal(before, snapshot(url)["observations"])


def signed_in(url: str, role: str = "admin", units: tuple[str, ...] = (), name: str | None = None) -> dict:
    """An account of the role on the store, signed in: the session state a page then has."""
    from kpi.access import accounts
    from kpi.access.roles import operator

    name = name or f"test-{role}"
    engine = db.get_engine(url)
    if not (accounts.accounts(engine).name == name).any():
        accounts.add(engine, operator(), name, role, list(units), f"pw-{name}")
    return {"account_name": name}


def run_page(name: str, url: str, monkeypatch, **state) -> AppTest:
    """Run one page as app.py would, with its filters seeded in the session."""
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    at = AppTest.from_file(str(config.PROJECT_DIR / "pages" / f"{name}.py"), default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()
