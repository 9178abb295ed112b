"""Configuration: every setting read from the environment is read here, and only here, with a
default that works on a fresh checkout. README.md documents each one (a test checks)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_DIR / "sql"
DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_DATABASE_PATH = PROJECT_DIR / "data" / "kpi.duckdb"

#: The district that the built-in data describes (Bình Sơn, Quảng Ngãi).
DEFAULT_DISTRICT = "524"

#: Every environment variable the product reads, with its default.
SETTINGS = {
    "KPI_DATABASE_URL": f"duckdb:///{DEFAULT_DATABASE_PATH}",
    "KPI_LOCK_TIMEOUT": "30",
    "KPI_DUCKDB_TEMP_LIMIT": "4GiB",
    "KPI_LANG": "vi",
    "KPI_REPORT_DEADLINE_DAYS": "10",
    "KPI_IMPORT_MAX_BYTES": str(20 * 1024 * 1024),
    "KPI_IMPORT_MAX_ROWS": "200000",
    "KPI_IMPORT_MAX_SECONDS": "60",
    "KPI_OUTLIER_FACTOR": "3",
    "KPI_OUTLIER_MIN_MONTHS": "6",
    "KPI_FIRST_YEAR": "2015",
    "KPI_REQUIRE_LOGIN": "",
    "KPI_PUBLIC_URL": "http://localhost:8501",
}


def _get(name: str) -> str:
    return os.environ.get(name) or SETTINGS[name]


def database_url() -> str:
    """The SQLAlchemy URL of the store: KPI_DATABASE_URL, else a DuckDB file under data/."""
    return _get("KPI_DATABASE_URL")


def lock_timeout() -> float:
    """Seconds to wait for another process that holds the DuckDB file (KPI_LOCK_TIMEOUT)."""
    return float(_get("KPI_LOCK_TIMEOUT"))


def duckdb_temp_limit() -> str:
    """How much disk a DuckDB query may spill to (KPI_DUCKDB_TEMP_LIMIT): a runaway query
    fails with a message instead of filling the disk."""
    return _get("KPI_DUCKDB_TEMP_LIMIT")


def language() -> str:
    """The command line's language when --lang is not given (KPI_LANG: vi or en)."""
    return "en" if _get("KPI_LANG") == "en" else "vi"


def report_deadline_days() -> int:
    """Days after a month ends by which units must send its figures (KPI_REPORT_DEADLINE_DAYS)."""
    return int(_get("KPI_REPORT_DEADLINE_DAYS"))


def import_max_bytes() -> int:
    """The largest file an import takes (KPI_IMPORT_MAX_BYTES); the upload widget's limit too."""
    return int(_get("KPI_IMPORT_MAX_BYTES"))


def import_max_rows() -> int:
    """The most data rows an import takes (KPI_IMPORT_MAX_ROWS)."""
    return int(_get("KPI_IMPORT_MAX_ROWS"))


def import_max_seconds() -> float:
    """How long reading one file may take (KPI_IMPORT_MAX_SECONDS): a workbook built to be slow
    to parse is refused instead of holding a dashboard thread for minutes."""
    return float(_get("KPI_IMPORT_MAX_SECONDS"))


def outlier_factor() -> float:
    """An imported monthly value above this many times the unit's highest month so far is a
    warning to confirm (KPI_OUTLIER_FACTOR)."""
    return float(_get("KPI_OUTLIER_FACTOR"))


def outlier_min_months() -> int:
    """Months of a unit's history needed before its values are judged (KPI_OUTLIER_MIN_MONTHS)."""
    return int(_get("KPI_OUTLIER_MIN_MONTHS"))


def first_year() -> int:
    """The earliest year an import accepts (KPI_FIRST_YEAR): 'Năm 0001' is a typing error, and
    one stored value of year 1 would put every chart's axis two thousand years wide."""
    return int(_get("KPI_FIRST_YEAR"))


def require_login() -> bool:
    """Whether the viewing pages need a signed-in account too (KPI_REQUIRE_LOGIN=1). Off by
    default: a dashboard projected in a meeting is read by everyone in the room."""
    return _get("KPI_REQUIRE_LOGIN").strip().lower() in {"1", "true", "yes", "on"}


def public_url() -> str:
    """The dashboard's address as people open it (KPI_PUBLIC_URL): the meeting pack's slides and
    report link to the same view live, and a QR code carries the link to a phone."""
    return _get("KPI_PUBLIC_URL").rstrip("/")


def os_user() -> str:
    """Who runs this process, for the import log when no name is given (the system's login)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name: a container with a bare user id
        return ""
