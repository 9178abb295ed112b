"""Several processes and threads on one DuckDB file: nothing fails, nothing is half-written.

The dashboard is one process with many threads, the command line another; DuckDB lets only
one process hold the file, so kpi.db opens it briefly and waits while it is taken.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kpi import computation, config
from kpi.imports import checking, storing
from kpi.periods import Range
from kpi.store import db, setup, shared_file
from tests.helpers import assert_same, count, imports_at_once, snapshot

pytestmark = pytest.mark.slow

# A writer process: N transactions of ROWS rows each, under its own source name.
WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    import pandas as pd
    from kpi.store import db, writes
    from kpi.periods import Period
    url, name = sys.argv[1], sys.argv[2]
    batches, rows, pause = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    engine = db.get_engine(url)
    first = Period(date(1001, 1, 1), "month")  # months no other test data use
    for batch in range(batches):
        months = [first.shift(batch * rows + i) for i in range(rows)]
        frame = pd.DataFrame({
            "unit_code": "21040", "element_id": "dossiers_received", "period_type": "month",
            "period_start": [m.start for m in months], "period_end": [m.end for m in months],
            "value": 1.0, "note": None,
        })
        with engine.begin() as conn:
            source = writes.source_id(conn, f"{name}-{batch}", "test", False)
            writes.add_observations(conn, frame, source)
            if pause:
                print("written, not committed", flush=True)
                time.sleep(pause)  # hold the file inside the transaction
    print("done", flush=True)
    """
)


def spawn(url: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, *map(str, args)],
        cwd=config.PROJECT_DIR,
        env={**os.environ, "PYTHONPATH": str(config.PROJECT_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def shared_url(fresh_url):
    setup.initialise(db.get_engine(fresh_url))
    return fresh_url


def test_readers_and_a_writer_process_share_the_file(shared_url):
    base = count(shared_url, "select count(*) from observations")
    writer = spawn(shared_url, "w", 20, 120, 0.02)
    query = computation.Query(("intake_digitization_rate",), "524", Range.year(2023), by="child")
    seen: list[int] = []

    def read(_: int) -> float:
        seen.append(count(shared_url, "select count(*) from observations") - base)
        return computation.compute(query, db.get_engine(shared_url)).numerator.sum()

    with ThreadPoolExecutor(max_workers=4) as pool:
        while writer.poll() is None:
            sums = list(pool.map(read, range(4)))
            assert sums == [21777.0] * 4
    _, err = writer.communicate()
    assert writer.returncode == 0, err
    assert count(shared_url, "select count(*) from observations") - base == 20 * 120
    assert all(n % 120 == 0 for n in seen), "a reader saw half of a transaction"
    assert len(seen) > 4


def test_two_writer_processes_neither_lose_nor_double(shared_url):
    base = count(shared_url, "select count(*) from observations")
    writers = [spawn(shared_url, name, 10, 60, 0.01) for name in ("a", "b")]
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    # Both wrote the same unit-periods: the first value stays, the second is not added twice.
    assert count(shared_url, "select count(*) from observations") - base == 10 * 60


def test_the_command_line_runs_while_the_dashboard_process_reads(shared_url):
    env = {**os.environ, "KPI_DATABASE_URL": shared_url}
    commands = [
        ["init"],
        ["indicators", "--year", "2023", "--format", "json"],
        ["demo", "remove"],
        ["demo", "load"],
    ]
    query = computation.Query(("satisfaction_rate",), "524", Range.year(2023))
    for command in commands:
        cli = subprocess.Popen(
            [sys.executable, "-m", "kpi", *command],
            cwd=config.PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while cli.poll() is None:
            assert computation.compute(query, db.get_engine(shared_url)).value.iloc[0] == 98.78
        _, err = cli.communicate()
        assert cli.returncode == 0, (command, err)


def test_a_killed_writer_leaves_nothing_half_written(shared_url):
    base = count(shared_url, "select count(*) from observations")
    writer = spawn(shared_url, "killed", 1, 5000, 60)  # waits 60 s inside its transaction
    assert writer.stdout.readline().strip() == "written, not committed"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert count(shared_url, "select count(*) from observations") == base
    assert count(shared_url, "select count(*) from sources where name like 'killed%'") == 0


OPENER = textwrap.dedent(
    """
    import sys, time
    from kpi.store import db
    with db.get_engine(sys.argv[1]).connect() as conn:
        conn.exec_driver_sql("select 1").fetchall()
        print("opened", flush=True)
    """
)


def test_a_waiting_process_is_handed_the_file_as_soon_as_the_queries_end(shared_url):
    path = Path(shared_url.removeprefix("duckdb:///"))
    engine = db.get_engine(shared_url)
    conn = engine.connect()  # this process holds the file
    conn.exec_driver_sql("select 1").fetchall()
    other = subprocess.Popen(
        [sys.executable, "-c", OPENER, shared_url],
        cwd=config.PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(path.parent.glob(f"{path.name}.waiting-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(path.parent.glob(f"{path.name}.waiting-*")), "the other process said it waits"
    conn.close()  # the last query ends: the file is handed over now, not after the idle time
    busy_until = time.monotonic() + 20
    while other.poll() is None and time.monotonic() < busy_until:  # a busy dashboard goes on querying
        with engine.connect() as again:
            again.exec_driver_sql("select 1").fetchall()
    assert other.poll() is not None, "the waiting process got the file while this one kept querying"
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0 and "opened" in out, err
    assert not list(path.parent.glob(f"{path.name}.waiting-*"))
    with engine.connect() as again:  # and this process gets it back
        assert again.exec_driver_sql("select 1").scalar_one() == 1


def test_a_stale_waiting_marker_is_ignored(shared_url):
    path = Path(shared_url.removeprefix("duckdb:///"))
    marker = path.parent / f"{path.name}.waiting-1-1"
    marker.touch()
    old = time.time() - 10 * config.lock_timeout()
    os.utime(marker, (old, old))
    started = time.monotonic()
    with db.get_engine(shared_url).connect() as conn:
        assert conn.exec_driver_sql("select 1").scalar_one() == 1
    assert time.monotonic() - started < shared_file.HAND_OVER_SECONDS


def test_two_dashboard_sessions_import_at_once(shared_url):
    imports_at_once(shared_url)


def test_a_write_that_waits_too_long_says_so_and_stores_nothing(shared_url, monkeypatch):
    engine = db.get_engine(shared_url)
    report = checking.check(b"Ma xa,Ky,So ho so tiep nhan\n21043,2025-03,10\n", "x.csv", engine)
    monkeypatch.setenv("KPI_LOCK_TIMEOUT", "0.2")
    before = snapshot(shared_url)
    with db.writing(engine), ThreadPoolExecutor(1) as pool:  # another session's long write
        waited = pool.submit(storing.apply, report, engine, accept_warnings=True)
        with pytest.raises(shared_file.StoreBusy) as busy:
            waited.result()
    assert busy.value.key == "err_store_busy_writing" and "0,20 giây" in busy.value.text()
    assert_same(before, snapshot(shared_url))
