"""Fixtures: stores in temporary DuckDB files.

- `demo_url`: the built-in store (units of Bình Sơn, the report, the demo set), built once per
  session and only read by the tests that use it.
- `fresh_url`: an empty file per test, for tests that write.
- `demo_copy_url`: the built-in store as `init` leaves it, a copy of its own per test, for tests
  that write to it (`init` takes a second or two; a copy of one made once, milliseconds).
- `tiny_url`: a small hand-made tree with hand-made values, so that the engine tests can
  state their expectations as plain arithmetic.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kpi.periods import Period
from kpi.store import db, migrate, setup, writes

DISTRICT = "524"


def url_for(path: Path) -> str:
    return f"duckdb:///{path}"


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = url_for(tmp_path_factory.mktemp("demo") / "kpi.duckdb")
    setup.initialise(db.get_engine(url))
    return url


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    return url_for(tmp_path / "kpi.duckdb")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in store, made once and closed, so that its file can be copied whole."""
    path = tmp_path_factory.mktemp("template") / "kpi.duckdb"
    url = url_for(path)
    setup.initialise(db.get_engine(url))
    db.release(url)
    assert not path.with_suffix(".duckdb.wal").exists(), "the template's file is not complete"
    return path


def copied(template: Path, folder: Path) -> str:
    """The URL of a copy of the template store in folder."""
    path = folder / "kpi.duckdb"
    shutil.copyfile(template, path)
    return url_for(path)


@pytest.fixture
def demo_copy_url(demo_template: Path, tmp_path: Path) -> str:
    return copied(demo_template, tmp_path)


@pytest.fixture
def use_store(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Point KPI_DATABASE_URL (what the CLI and the app read) at a given writes."""

    def point(url: str) -> str:
        monkeypatch.setenv("KPI_DATABASE_URL", url)
        return url

    yield point


# The tiny tree: district D with communes A and B, agency G; a second district E with commune C.
TINY_UNITS = pd.DataFrame(
    [
        ("VN", "Việt Nam", "country", "quoc_gia", None, None),
        ("D", "Huyện D", "district", "huyen", "VN", None),
        ("A", "Xã A", "commune", "xa", "D", None),
        ("B", "Xã B", "commune", "xa", "D", date(2023, 7, 1)),
        ("G", "Phòng G", "agency", "co_quan", "D", None),
        ("E", "Huyện E", "district", "huyen", "VN", None),
        ("C", "Xã C", "commune", "xa", "E", None),
    ],
    columns=["code", "name", "level", "kind", "parent_code", "valid_to"],
).assign(valid_from=None, origin="test")


def month(year: int, m: int) -> Period:
    return Period(date(year, m, 1), "month")


def obs(unit: str, element: str, period: Period, value: float) -> dict:
    return {
        "unit_code": unit,
        "element_id": element,
        "period_type": period.kind,
        "period_start": period.start,
        "period_end": period.end,
        "value": float(value),
        "note": None,
    }


def tiny_observations() -> pd.DataFrame:
    """Hand-made values; the engine tests spell out their sums."""
    rows = []
    intake = "dossiers_digitized_at_intake"
    # Commune A, Jan-Mar 2023: received 100, 200, 300; digitised 10, 20, 30 (10 % each month).
    for m, (received, digitised) in enumerate([(100, 10), (200, 20), (300, 30)], start=1):
        rows += [
            obs("A", "dossiers_received", month(2023, m), received),
            obs("A", intake, month(2023, m), digitised),
        ]
    # Commune B, Jan-Feb 2023: received 10 and 10, digitised 9 and 9 (90 %). March: received only.
    for m in (1, 2):
        rows += [obs("B", "dossiers_received", month(2023, m), 10), obs("B", intake, month(2023, m), 9)]
    rows.append(obs("B", "dossiers_received", month(2023, 3), 50))
    # Agency G, Dec 2022: received 40, digitised 4.
    rows += [obs("G", "dossiers_received", month(2022, 12), 40), obs("G", intake, month(2022, 12), 4)]
    # District E reports a yearly total for 2023 and its commune C monthly parts that add up to it.
    year = Period(date(2023, 1, 1), "year")
    rows += [obs("E", "dossiers_received", year, 1000), obs("E", intake, year, 500)]
    rows += [obs("C", "dossiers_received", month(2023, 1), 1000), obs("C", intake, month(2023, 1), 500)]
    # Survey answers at G, 2023-01: 10 answers, 6 very satisfied, 3 satisfied.
    rows += [
        obs("G", "survey_responses", month(2023, 1), 10),
        obs("G", "survey_very_satisfied", month(2023, 1), 6),
        obs("G", "survey_satisfied", month(2023, 1), 3),
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def tiny_url(fresh_url: str) -> str:
    engine = db.get_engine(fresh_url)
    migrate.migrate(engine)
    with engine.begin() as conn:
        writes.sync_definitions(conn)
        writes.upsert_units(conn, TINY_UNITS)
        source = writes.source_id(conn, "test", "test", False)
        writes.add_observations(conn, tiny_observations(), source)
        writes.add_targets(
            conn,
            pd.DataFrame({"indicator_id": ["intake_digitization_rate"], "year": [2023], "target": [50.0]}),
            source,
        )
        writes.set_setting(conn, "district", "D")
    return fresh_url
