"""The computation's two paths give the same rows: the cells laid on a grid of units and months
(kpi.unit_months), taken when every query asks each unit by month, against the general
indicator_values.sql, for any values written (Hypothesis) and on the built-in store."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi import catalog, computation
from kpi.periods import Period, Range
from kpi.store import db, writes
from tests import helpers
from tests.conftest import TINY_UNITS, copied, month, obs

GENERAL, BY_UNIT_MONTH = computation.GENERAL, computation.BY_UNIT_MONTH
# Mostly every element of an indicator at once (a cell), sometimes one alone (no cell).
ELEMENT_SETS = [
    ("dossiers_received", "dossiers_digitized_at_intake"),
    ("survey_responses", "survey_very_satisfied", "survey_satisfied"),
    ("startup_club_members",),
    ("dossiers_received",),
    ("dossiers_digitized_at_intake",),
    ("survey_responses",),
]
INDICATORS = (
    "intake_digitization_rate",
    "satisfaction_rate",
    "startup_club_members",
    "dossiers_received_count",
)
# Months on both sides of commune B's end (1/7/2023) and of the survey's move (1/7/2025), and
# longer periods that a month's bucket must leave out.
PERIODS = [
    month(2023, 1),
    month(2023, 2),
    month(2023, 6),
    month(2023, 7),
    month(2025, 6),
    month(2025, 7),
    Period(date(2023, 1, 1), "quarter"),
    Period(date(2023, 1, 1), "year"),
]
# The tiny tree, with a commune of the current map (from 1/7/2025; B ended on 1/7/2023).
UNITS = pd.concat(
    [
        TINY_UNITS,
        TINY_UNITS[TINY_UNITS.code == "C"].assign(code="F", name="Xã F", valid_from=date(2025, 7, 1)),
    ],
    ignore_index=True,
)
RANGES = [
    Range.year(2023),
    Range(date(2023, 2, 1), date(2023, 3, 1)),
    Range(date(2025, 5, 1), date(2025, 9, 1)),
]

values = st.tuples(
    st.sampled_from(UNITS.code.tolist()),
    st.sampled_from(ELEMENT_SETS),
    st.sampled_from(PERIODS),
    st.integers(0, 500),
    st.sampled_from([None, "examples", "derived"]),
)
batches = st.tuples(st.lists(values, min_size=1, max_size=12), st.booleans())


def by_unit(ids: tuple[str, ...], root: str, span: Range, grain="month", units=()) -> computation.Query:
    return computation.Query(ids, root, span, grain=grain, by="unit", units=units)


queries = st.builds(
    by_unit,
    ids=st.lists(st.sampled_from(INDICATORS), min_size=1, max_size=4, unique=True).map(tuple),
    root=st.sampled_from(["VN", "D"]),
    span=st.sampled_from(RANGES),
    grain=st.sampled_from(["month", "total"]),
    units=st.sampled_from([(), ("A", "G"), ("B",)]),
)


@contextmanager
def general_only():
    """Every computation in the block on the general SQL."""
    with mock.patch.object(computation, "_query_for", return_value=GENERAL):
        yield


def paths_of(queries: list[computation.Query], url: str) -> list[str]:
    """The SQL each computation of queries (one at a time) would run."""
    chosen = []
    real = computation._query_for

    def spy(*args):
        chosen.append(real(*args))
        return chosen[-1]

    with mock.patch.object(computation, "_query_for", side_effect=spy):
        for query in queries:
            computation.compute(query, db.get_engine(url))
    return chosen


def assert_same_rows(queries: list[computation.Query], url: str) -> None:
    engine = db.get_engine(url)
    fast = computation.compute_many(queries, engine)
    with general_only():
        general = computation.compute_many(queries, engine)
    for mine, theirs in zip(fast, general, strict=True):
        pd.testing.assert_frame_equal(mine, theirs)


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Path:
    return helpers.empty_store(tmp_path_factory.mktemp("empty") / "kpi.duckdb", UNITS)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(batches, min_size=1, max_size=3), st.lists(queries, min_size=1, max_size=3))
def test_both_paths_give_the_same_rows_for_any_values(empty_store, tmp_path_factory, written, asked):
    url = copied(empty_store, tmp_path_factory.mktemp("paths"))
    engine = db.get_engine(url)
    for n, (rows, demo) in enumerate(written):
        frame = pd.DataFrame(
            [{**obs(u, e, p, v + n), "kind": k} for u, es, p, v, k in rows for n, e in enumerate(es)]
        )
        frame = frame.drop_duplicates(["unit_code", "element_id", "period_type", "period_start"])
        with db.writing(engine) as conn:
            writes.add_observations(conn, frame, writes.source_id(conn, f"batch {n}", "test", demo))
    one_month = [q.grain == "month" or q.range.length == 1 for q in asked]
    assert paths_of(asked, url) == [BY_UNIT_MONTH if m else GENERAL for m in one_month]
    for query in asked:
        assert_same_rows([query], url)
    asked = [q for q in asked if q.root == asked[0].root and q.map_id == asked[0].map_id]
    assert_same_rows(asked, url)  # several queries at once


def test_both_paths_give_the_same_rows_when_every_unit_sends_everything(empty_store, tmp_path):
    """Every element of every unit in every period, so that each boundary is met: commune B
    after its end, the survey at an agency after 1/7/2025 and at a commune before, a stock,
    the quarter and the year beside the months."""
    url = copied(empty_store, tmp_path)
    elements = sorted({e for es in ELEMENT_SETS for e in es})
    kinds = [None, "examples", "derived"]
    rows = pd.DataFrame(
        [
            {**obs(u, e, p, 10 * n + m), "kind": kinds[(n + m) % 3]}
            for n, (u, p) in enumerate((u, p) for u in UNITS.code for p in PERIODS)
            for m, e in enumerate(elements)
        ]
    )
    with db.writing(db.get_engine(url)) as conn:
        for demo in (False, True):  # A's and G's values are illustrative
            source = writes.source_id(conn, f"demo {demo}", "test", demo)
            writes.add_observations(conn, rows[rows.unit_code.isin(["A", "G"]) == demo], source)
    for root in ("VN", "D"):
        for units in ((), ("A", "G"), ("B",)):
            asked = [by_unit(INDICATORS, root, span, units=units) for span in RANGES]
            assert set(paths_of(asked, url)) == {BY_UNIT_MONTH}
            for query in asked:
                assert_same_rows([query], url)
            assert_same_rows(asked[:2], url)  # two queries on the map before 2025 at once


def test_the_general_path_is_kept_for_groups_of_several_units_or_cells(demo_url):
    rate = ("intake_digitization_rate",)
    year = Range.year(2023)
    other = [
        computation.Query(rate, "524", year, grain="month", by="child"),
        by_unit(rate, "524", year, grain="quarter"),
        # on the current map an old commune is part of the commune it was merged into
        by_unit(rate, "51", Range(date(2025, 7, 1), date(2025, 10, 1))),
    ]
    assert paths_of(other, demo_url) == [GENERAL] * 3
    assert paths_of([by_unit(rate, "524", year)], demo_url) == [BY_UNIT_MONTH]


@pytest.mark.parametrize("root", ["524", "VN"])
def test_both_paths_give_the_same_rows_on_the_built_in_store(demo_url, root):
    ids = tuple(catalog.indicators())
    years = [Range.year(y) for y in (2022, 2023, 2024)]
    asked = [by_unit(ids, root, span) for span in years]
    assert set(paths_of(asked, demo_url)) == {BY_UNIT_MONTH}
    assert_same_rows(asked, demo_url)
    rows = computation.compute(asked[1], db.get_engine(demo_url))
    assert rows.numerator.notna().sum() > 100  # the built-in district's 2023 is there to compare
