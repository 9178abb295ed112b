"""Configuration read from the environment, with defaults that work on a fresh checkout."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_DIR / "sql"
DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_DATABASE_PATH = PROJECT_DIR / "data" / "kpi.duckdb"

#: The district that the built-in data describes (Bình Sơn, Quảng Ngãi).
DEFAULT_DISTRICT = "524"


def database_url() -> str:
    """The SQLAlchemy URL of the store: KPI_DATABASE_URL, else a DuckDB file under data/."""
    return os.environ.get("KPI_DATABASE_URL") or f"duckdb:///{DEFAULT_DATABASE_PATH}"


def lock_timeout() -> float:
    """Seconds to wait for another process that holds the DuckDB file (KPI_LOCK_TIMEOUT)."""
    return float(os.environ.get("KPI_LOCK_TIMEOUT", "30"))


def duckdb_temp_limit() -> str:
    """How much disk a DuckDB query may spill to (KPI_DUCKDB_TEMP_LIMIT): a runaway query
    fails with a message instead of filling the disk."""
    return os.environ.get("KPI_DUCKDB_TEMP_LIMIT", "4GiB")


def report_deadline_days() -> int:
    """Days after a month ends by which units must send its figures (KPI_REPORT_DEADLINE_DAYS)."""
    return int(os.environ.get("KPI_REPORT_DEADLINE_DAYS", "10"))


def outlier_factor() -> float:
    """An imported monthly value above this many times the unit's highest month so far is a
    warning to confirm (KPI_OUTLIER_FACTOR)."""
    return float(os.environ.get("KPI_OUTLIER_FACTOR", "3"))


def outlier_min_months() -> int:
    """Months of a unit's history needed before its values are judged (KPI_OUTLIER_MIN_MONTHS)."""
    return int(os.environ.get("KPI_OUTLIER_MIN_MONTHS", "6"))
