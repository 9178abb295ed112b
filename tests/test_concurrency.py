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
from concurrent.futures import ThreadPoolExecutor

import pytest

from kpi import computation, config
from kpi.periods import Range
from kpi.store import db, setup
from tests.helpers import count

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
