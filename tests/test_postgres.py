"""The same store on PostgreSQL: KPI_DATABASE_URL is configuration, and this proves it.

Starts a throw-away PostgreSQL cluster (Debian's server, installed by scripts/install-postgres)
on a local socket, and runs the set-up, the indicators and an import with its undo against
it. Skips, saying why, where no PostgreSQL server is installed.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from kpi import catalog, config
from kpi.cli import main
from kpi.imports import checking, storing
from kpi.meeting import links
from kpi.store import db, setup
from tests.helpers import assert_cells_current, imports_at_once

pytestmark = pytest.mark.slow
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
if not BINARIES:
    pytest.skip(
        "PostgreSQL is not installed (Debian package 'postgresql'; "
        "scripts/install-postgres installs it as root)",
        allow_module_level=True,
    )
BIN = Path(BINARIES[-1]).parent

REPORTED = len(catalog.report_figures())  # the 2023 report's figures, each one value


def _as_postgres(*command: str) -> list[str]:
    """Run as the postgres user when we are root: the server refuses to run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


@pytest.fixture(scope="module")
def pg_url():
    # Not under pytest's own temporary folder: the postgres user may not enter root's.
    folder = Path(tempfile.mkdtemp(prefix="kpi-postgres-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    with socket.socket() as probe:  # a free port number; the server listens on its socket file only
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    subprocess.run(
        _as_postgres(str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            str(BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            f"-p {port} -k {sockets} -c listen_addresses=''",
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            _as_postgres(str(BIN.parent / "bin" / "createdb"), "-h", str(sockets), "-p", port, "kpi"),
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@/kpi?host={sockets}&port={port}"
    finally:
        subprocess.run(
            _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"), capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


def test_set_up_twice_and_the_report_figures(pg_url, monkeypatch, capsys):
    monkeypatch.setenv("KPI_DATABASE_URL", pg_url)
    first = setup.initialise(db.get_engine(pg_url))
    assert first.report_values == REPORTED and first.demo_values > 10_000
    again = setup.initialise(db.get_engine(pg_url))
    assert (again.migrations, again.report_values, again.demo_values) == ([], 0, 0)
    assert main(["indicators", "--year", "2023", "--format", "json"]) == 0
    rows = {r["indicator"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["intake_digitization_rate"]["value"] == 64.39
    assert rows["result_digitization_rate"]["value"] == 28.42
    assert rows["satisfaction_rate"]["value"] == 98.78
    assert rows["contest_prizes"]["value"] == 28
    assert (
        main(
            [
                "indicators",
                "--year",
                "2023",
                "--by",
                "unit",
                "--indicator",
                "intake_digitization_rate",
                "--format",
                "json",
            ]
        )
        == 0
    )
    parts = json.loads(capsys.readouterr().out)
    assert sum(r["numerator"] for r in parts) == 21777 and sum(r["denominator"] for r in parts) == 33821


def test_import_and_undo(pg_url, monkeypatch):
    monkeypatch.setenv("KPI_DATABASE_URL", pg_url)
    engine = db.get_engine(pg_url)
    setup.initialise(engine)
    corpus = config.PROJECT_DIR / "tests" / "imports"
    report = checking.check((corpus / "good_long_utf16_tab.txt").read_bytes(), "long.txt", engine)
    result = storing.apply(report, engine, accept_warnings=True)
    assert (result.new, result.changed) == (2, 5)  # four months of 2025 replace illustrative values
    assert_cells_current(pg_url)
    bad = checking.check((corpus / "bad_every_problem.csv").read_bytes(), "bad.csv", engine)
    assert len(bad.errors) == 14
    assert storing.undo(result.import_id, engine) == 7
    assert_cells_current(pg_url)
    assert checking.check((corpus / "good_long_utf16_tab.txt").read_bytes(), "long.txt", engine).counts() == {
        "new": 2,
        "changed": 5,
        "unchanged": 0,
    }


def test_two_dashboard_sessions_import_at_once(pg_url):
    setup.initialise(db.get_engine(pg_url))
    imports_at_once(pg_url)


def test_access_rules_on_postgres(pg_url):
    from tests.test_access import access_rules, with_accounts

    setup.initialise(db.get_engine(pg_url))
    access_rules(with_accounts(pg_url))


@pytest.mark.parametrize("name", ["upload", "administration"])
def test_the_data_pages_on_postgres(pg_url, monkeypatch, name):
    from tests.helpers import run_page, signed_in

    setup.initialise(db.get_engine(pg_url))
    at = run_page(name, pg_url, monkeypatch, **signed_in(pg_url))
    assert not at.exception, [e.value for e in at.exception]
    if name == "upload":
        good = (config.PROJECT_DIR / "tests" / "imports" / "good_wide.xlsx").read_bytes()
        at.file_uploader(key="upload").upload("good_wide.xlsx", good).run()
        assert not at.exception and at.button(key="do")
    else:
        assert len(at.tabs) == 4 and at.button(key="approve")


VIEWS = {  # the map before 2025 in 2023; the current map over the merger, with a new commune
    "legacy": (("2023-01", "2023-12"), ["21040", "21049"]),
    "2025": (("2024-07", "2025-12"), ["21040@2025"]),
}


@pytest.mark.parametrize("map_id", VIEWS)
@pytest.mark.parametrize("name", links.READING)
def test_every_page_on_postgres_shows_what_it_shows_on_duckdb(pg_url, demo_url, monkeypatch, name, map_id):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    setup.initialise(db.get_engine(pg_url))  # does nothing when the store is set up already
    shown = {}
    for url in (pg_url, demo_url):
        st.cache_data.clear()
        monkeypatch.setenv("KPI_DATABASE_URL", url)
        at = AppTest.from_file(str(config.PROJECT_DIR / "pages" / f"{name}.py"), default_timeout=120)
        at.session_state["span"], at.session_state["communes"] = VIEWS[map_id]
        at.session_state["map"] = map_id
        at.session_state["digitisation_tab_vi"] = "Bảng số liệu"  # its table, drawn only when open
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown[url] = ([(m.label, m.value) for m in at.metric], [d.value.to_dict() for d in at.dataframe])
    assert shown[pg_url] == shown[demo_url]


def test_the_reports_listed_figures_and_a_meeting_pack_on_postgres(pg_url, demo_url):
    from kpi.dashboard import figures
    from kpi.meeting import content, sentences
    from kpi.periods import Range
    from kpi.store import reads

    setup.initialise(db.get_engine(pg_url))
    year = Range.year(2023)
    listed = {url: figures.listed("524", year, db.get_engine(url)) for url in (pg_url, demo_url)}
    assert len(listed[pg_url]) == len(listed[demo_url]) > 30
    assert figures.table(listed[pg_url], "vi").equals(figures.table(listed[demo_url], "vi"))
    said = []
    for url in (pg_url, demo_url):
        engine = db.get_engine(url)
        pack = content.gather(reads.unit("524", engine), year, engine)
        said.append([sentences.result(h, "vi") for h in pack.headlines] + sentences.status_lines(pack))
    assert said[0] == said[1] and "đạt 64,39 % (21.777 hồ sơ)." in said[0][0]


def test_every_unit_by_month_on_postgres_as_on_duckdb(pg_url, demo_url):
    """The computation's path for every unit by month (kpi.unit_months) on PostgreSQL: the rows
    of the general path there, and those DuckDB gives."""
    from kpi import computation
    from kpi.periods import Range
    from tests.test_engine_paths import BY_UNIT_MONTH, by_unit, general_only, paths_of

    setup.initialise(db.get_engine(pg_url))
    query = by_unit(tuple(catalog.indicators()), "524", Range.year(2023))
    assert paths_of([query], pg_url) == [BY_UNIT_MONTH]
    fast = computation.compute(query, db.get_engine(pg_url))
    with general_only():
        general = computation.compute(query, db.get_engine(pg_url))
    on_duckdb = computation.compute(query, db.get_engine(demo_url))
    pd.testing.assert_frame_equal(fast, general)
    pd.testing.assert_frame_equal(fast, on_duckdb, check_dtype=False)
    assert fast.numerator.notna().sum() > 100
