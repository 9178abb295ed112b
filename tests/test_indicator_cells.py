"""The indicators' cells (kpi/store/indicator_cells.py) are kept by every write: after any
sequence of writes they are what a refill from the observations gives, and the engine reads them."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi import catalog, computation
from kpi.cli import main
from kpi.periods import Period, Range
from kpi.store import db, indicator_cells, reads, writes
from tests import helpers
from tests.conftest import TINY_UNITS, copied, month, obs
from tests.helpers import assert_cells_current, stored_cells

ELEMENTS = [
    "dossiers_received",
    "dossiers_digitized_at_intake",
    "survey_responses",
    "survey_very_satisfied",
    "survey_satisfied",
    "startup_club_members",
]
PERIODS = [month(2023, 1), month(2023, 2), Period(date(2023, 1, 1), "year")]
KINDS = [None, "examples", "derived"]

values = st.tuples(
    st.sampled_from(["A", "B", "G", "D"]),
    st.sampled_from(ELEMENTS),
    st.sampled_from(PERIODS),
    st.integers(0, 500),
    st.sampled_from(KINDS),
)
# A batch: its values, whether its source is illustrative, and kinds given to it afterwards.
batches = st.tuples(st.lists(values, min_size=1, max_size=8), st.booleans(), st.booleans())


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Path:
    """The tiny tree's units and the definitions, no values: copied for each example."""
    return helpers.empty_store(tmp_path_factory.mktemp("empty") / "kpi.duckdb", TINY_UNITS)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(batches, min_size=1, max_size=5), st.booleans())
def test_cells_after_any_writes_are_those_a_refill_gives(empty_store, tmp_path_factory, written, remove_demo):
    url = copied(empty_store, tmp_path_factory.mktemp("cells"))
    engine = db.get_engine(url)
    for n, (rows, demo, later_kinds) in enumerate(written):
        frame = pd.DataFrame([{**obs(u, e, p, v), "kind": k} for u, e, p, v, k in rows])
        frame = frame.drop_duplicates(["unit_code", "element_id", "period_type", "period_start"])
        with db.writing(engine) as conn:
            source = writes.source_id(conn, f"batch {n}", "test", demo)
            writes.add_observations(conn, frame.assign(kind=None) if later_kinds else frame, source)
            if later_kinds:
                writes.set_kinds(conn, frame, source)
        assert_cells_current(url)
    if remove_demo:
        with db.writing(engine) as conn:
            writes.remove_demo(conn)
        assert_cells_current(url)


def test_a_write_of_more_than_a_row_group_keeps_every_cell_once(empty_store, tmp_path):
    """A transaction that writes no cell, then more than a row group of them (122,880 rows),
    then changes them: what building a national store does. DuckDB 2.0.0 left an ordered
    insert of some 100,000 rows or more unreadable after an empty one, so the next refresh
    could not delete it and every cell came out several times (counts multiplied, rates
    unchanged): requirements.txt pins 2.0.1."""
    url = copied(empty_store, tmp_path)
    months = pd.period_range("2020-01", periods=60, freq="M")
    codes = [f"X{n:04d}" for n in range(2100)]  # 2,100 units × 60 months: 126,000 cells
    frame = pd.DataFrame(
        {
            "unit_code": [c for c in codes for _ in months],
            "period_type": "month",
            "period_start": [m.start_time.date() for m in months] * len(codes),
            "period_end": [(m + 1).start_time.date() for m in months] * len(codes),
            "value": 10.0,
            "note": None,
        }
    )
    with db.writing(db.get_engine(url)) as conn:
        assert indicator_cells.refill(conn) == 0  # no values yet: an insert of no rows
        source = writes.source_id(conn, "national", "test", False)
        for element in ("dossiers_received", "dossiers_digitized_at_intake"):
            writes.add_observations(conn, frame.assign(element_id=element), source)
    with db.get_engine(url).connect() as conn:
        counts = conn.exec_driver_sql(
            "select indicator_id, count(*), count(distinct (unit_code, period_start)), sum(numerator)"
            " from indicator_cells"
            " where indicator_id in ('dossiers_received_count', 'intake_digitization_rate')"
            " group by indicator_id order by indicator_id"
        ).fetchall()
    assert counts == [
        ("dossiers_received_count", 126_000, 126_000, 1_260_000.0),
        ("intake_digitization_rate", 126_000, 126_000, 1_260_000.0),
    ]


def test_a_cell_needs_every_element_of_the_indicator(tiny_url):
    with db.get_engine(tiny_url).connect() as conn:
        kept = stored_cells(conn)
    rate = kept[kept.indicator_id == "intake_digitization_rate"]
    b = rate[rate.unit_code == "B"]  # March: received only, so no cell
    assert list(b.period_start.astype(str)) == ["2023-01-01", "2023-02-01"]
    survey = kept[(kept.indicator_id == "satisfaction_rate")].iloc[0]
    assert (survey.unit_code, survey.numerator, survey.denominator) == ("G", 9, 10)


def test_changed_definitions_refill_every_cell(tiny_url, monkeypatch, use_store, capsys):
    """A new indicator in the definitions has its cells at the next sync, for values stored before."""
    engine = db.get_engine(tiny_url)
    original = catalog.indicators()
    rate = original["intake_digitization_rate"]
    monkeypatch.setattr(
        catalog,
        "indicators",
        lambda: {**original, "intake_twice": dataclasses.replace(rate, id="intake_twice")},
    )
    assert not reads.is_current(engine)  # the dashboard and the command line ask for `init`
    use_store(tiny_url)
    assert main(["indicators", "--unit", "D", "--year", "2023"]) == 2
    assert "python -m kpi init" in capsys.readouterr().err
    with db.writing(engine) as conn:
        writes.sync_definitions(conn)
        assert indicator_cells.sync(conn) is None  # already current: nothing done twice
    assert reads.is_current(engine)
    with engine.connect() as conn:
        kept = stored_cells(conn)
    twice = kept[kept.indicator_id == "intake_twice"].drop(columns="indicator_id").reset_index(drop=True)
    same = kept[kept.indicator_id == "intake_digitization_rate"].drop(columns="indicator_id")
    pd.testing.assert_frame_equal(twice, same.reset_index(drop=True))
    (row,) = computation.compute(
        computation.Query(("intake_twice",), "D", Range.year(2023)), engine
    ).itertuples()
    assert (row.numerator, row.denominator) == (60 + 18, 600 + 20)  # communes A and B
