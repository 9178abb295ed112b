"""Setting a store up, again, for another district, and removing the demo set."""

from __future__ import annotations

import pytest

from kpi import catalog, computation, config
from kpi.periods import Range
from kpi.store import db, migrate, setup
from tests.helpers import assert_same, count, rows_of, snapshot

REPORTED = len(catalog.report_figures())  # the 2023 report's figures, each one value


def test_init_loads_units_report_and_demo(fresh_url):
    result = setup.initialise(db.get_engine(fresh_url))
    assert result.migrations == [m.version for m in migrate.available()]
    # Country, province, districts 524 and 522, 22 + 1 old communes (Tịnh Hòa of 522 went into
    # Đông Sơn), 10 agencies, 5 new communes; the area comes with them.
    assert (result.units, result.report_values) == (42, REPORTED)
    assert result.demo_values > 10_000 and result.demo_targets > 0
    communes = "select count(*) from units where level = 'commune' and "
    assert count(fresh_url, communes + "valid_to is not null") == 23
    assert count(fresh_url, communes + "valid_from is not null") == 5
    assert count(fresh_url, "select count(*) from units where level = 'area'") == 1
    demo_rows = (
        "select count(*) from observations join sources on sources.id = source_id where sources.is_demo"
    )
    assert count(fresh_url, demo_rows) == result.demo_values


def test_init_twice_changes_nothing(fresh_url):
    setup.initialise(db.get_engine(fresh_url))
    before = snapshot(fresh_url)
    again = setup.initialise(db.get_engine(fresh_url))
    assert (again.migrations, again.report_values, again.demo_values, again.demo_targets) == ([], 0, 0, 0)
    assert_same(before, snapshot(fresh_url))


def test_init_never_overwrites_a_stored_value(fresh_url):
    setup.initialise(db.get_engine(fresh_url))
    with db.get_engine(fresh_url).begin() as conn:
        conn.exec_driver_sql("update observations set value = 1 where unit_code = '21040'")
    setup.initialise(db.get_engine(fresh_url))
    assert count(fresh_url, "select count(*) from observations where unit_code = '21040' and value <> 1") == 0


def test_init_replaces_an_older_demo_set_and_keeps_real_values(fresh_url):
    setup.initialise(db.get_engine(fresh_url))
    with db.get_engine(fresh_url).begin() as conn:  # as a store made before the ten agencies
        conn.exec_driver_sql("update observations set value = 123456 where unit_code = '21040'")
        conn.exec_driver_sql("update settings set value = '1' where key = 'demo_version:524'")
    real = "select count(*) from observations join sources on sources.id = source_id where not is_demo"
    before = count(fresh_url, real)
    again = setup.initialise(db.get_engine(fresh_url))
    assert again.demo_values > 10_000  # the current set, in place of the older one
    assert count(fresh_url, "select count(*) from observations where value = 123456") == 0
    assert count(fresh_url, real) == before
    assert count(fresh_url, "select count(*) from audit_log where action = 'demo_replace'") == 1
    assert _district_2023(fresh_url).value == 64.39
    assert setup.initialise(db.get_engine(fresh_url)).demo_values == 0  # replaced once


def test_no_demo_keeps_the_real_report(fresh_url):
    result = setup.initialise(db.get_engine(fresh_url), with_demo=False)
    assert result.demo_values == 0 and result.report_values == REPORTED
    row = _district_2023(fresh_url)
    assert (row.numerator, row.denominator, row.value) == (21777, 33821, 64.39)
    assert row.units_reported == 0  # the report is a district total: no commune has reported


def test_remove_demo_keeps_real_data_and_is_not_undone_by_init(fresh_url):
    setup.initialise(db.get_engine(fresh_url))
    removed = setup.remove_demo(db.get_engine(fresh_url))
    assert removed["observations"] > 10_000 and removed["targets"] > 0
    assert count(fresh_url, "select count(*) from sources where is_demo") == 0
    assert count(fresh_url, "select count(*) from observations") == REPORTED
    assert count(fresh_url, "select count(*) from indicator_targets") == 0
    result = setup.initialise(db.get_engine(fresh_url))
    assert result.demo_values == 0 and "demo_removed" in result.notes
    assert _district_2023(fresh_url).value == 64.39
    added, targets = setup.load_demo(db.get_engine(fresh_url))
    assert added == removed["observations"] and targets == removed["targets"]


def test_another_district_is_one_command(fresh_url):
    result = setup.initialise(db.get_engine(fresh_url), district="525")  # Huyện Trà Bồng
    assert result.report_values == 0 and result.demo_values > 0
    assert count(fresh_url, "select count(*) from units where parent_code = '525' and level = 'commune'") > 5
    assert count(fresh_url, "select count(*) from units where code = '524'") == 0
    with db.get_engine(fresh_url).connect() as conn:
        assert conn.exec_driver_sql("select value from settings where key = 'district'").scalar_one() == "525"


def test_a_failed_write_leaves_nothing_behind(fresh_url, monkeypatch):
    from kpi.store import demo

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    migrate.migrate(db.get_engine(fresh_url))
    monkeypatch.setattr(demo, "targets", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        setup.initialise(db.get_engine(fresh_url))
    # Units, definitions, report figures and demo values were written before the failure: none
    # stayed. (The store's version is that of the check for an older demo set, which committed.)
    for table in ("units", "observations", "elements", "sources", "settings"):
        assert count(fresh_url, f"select count(*) from ({rows_of(table)})") == 0, table


def _district_2023(url: str):
    query = computation.Query(("intake_digitization_rate",), "524", Range.year(2023))
    return computation.compute(query, db.get_engine(url)).iloc[0]


def test_the_version_changes_with_every_write_the_dashboard_shows(demo_copy_url):
    """The dashboard keys its cached figures by the version: a write that commits changes it,
    a write that fails or that no page shows (an account, a sign-in's failures) leaves it."""
    from kpi.access import accounts
    from kpi.access.roles import operator
    from kpi.store import reads, writes

    engine = db.get_engine(demo_copy_url)
    first = reads.data_version(engine)
    assert first  # init wrote the store
    with pytest.raises(RuntimeError), db.writing(engine) as conn:
        writes.set_setting(conn, "district", "525")
        raise RuntimeError("disk full")
    assert reads.data_version(engine) == first
    accounts.add(engine, operator(), "ke-toan", "viewer", [], "pw")
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(engine, "ke-toan", "wrong")
    assert reads.data_version(engine) == first
    with db.writing(engine) as conn:
        writes.set_setting(conn, "district", "524")
    assert reads.data_version(engine) not in ("", first)


def test_a_store_not_set_up_has_no_version(fresh_url):
    from kpi.store import reads

    assert reads.data_version(db.get_engine(fresh_url)) == ""


def test_a_duckdb_file_is_opened_for_its_version_only_when_it_changed(demo_copy_url, monkeypatch):
    """The dashboard asks for the version at every click: a DuckDB file unchanged on disk is
    not opened for it; a write from another process (the command line's) is seen at once."""
    import subprocess
    import sys

    from kpi.store import reads

    monkeypatch.setattr(reads, "_FILE_VERSIONS", {})
    opened = []
    stored = reads._stored_version
    monkeypatch.setattr(reads, "_stored_version", lambda engine: opened.append(1) or stored(engine))
    engine = db.get_engine(demo_copy_url)
    first = reads.data_version(engine)
    assert reads.data_version(engine) == first and len(opened) == 1
    db.release(demo_copy_url)
    write = (
        "from kpi.store import db, writes\n"
        f"with db.writing(db.get_engine({demo_copy_url!r})) as conn:\n"
        "    writes.set_setting(conn, 'district', '524')\n"
    )
    subprocess.run([sys.executable, "-c", write], check=True, cwd=config.PROJECT_DIR, timeout=120)
    second = reads.data_version(engine)
    assert second not in ("", first) and len(opened) == 2
    assert reads.data_version(engine) == second and len(opened) == 2
