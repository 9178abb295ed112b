"""Test helpers."""

from __future__ import annotations

import pandas as pd

from kpi.store import db

TABLES = (
    "settings",
    "units",
    "unit_ancestors",
    "elements",
    "indicators",
    "sources",
    "observations",
    "indicator_targets",
)


def snapshot(url: str) -> dict[str, pd.DataFrame]:
    """Every table of a store, rows sorted, to compare a store before and after."""
    tables = {}
    with db.get_engine(url).connect() as conn:
        for table in TABLES:
            result = conn.exec_driver_sql(f"select * from {table}")
            frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
            tables[table] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return tables


def assert_same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for table, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[table], obj=table)


def count(url: str, sql: str) -> int:
    with db.get_engine(url).connect() as conn:
        return int(conn.exec_driver_sql(sql).scalar_one())
