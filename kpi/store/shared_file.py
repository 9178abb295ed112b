"""One DuckDB file shared by the dashboard's threads and the command line's processes.

DuckDB lets one process open a database file read-write, and while it does no other process
can open the file at all. So:

- inside a process, threads share one DuckDB instance of the file, each with a cursor of its
  own: two threads that open the same file at once would otherwise collide;
- the instance is closed once the last connection is returned and none was taken for
  IDLE_CLOSE_SECONDS: a page's few queries in a row share one opening (opening a large file
  costs tens of milliseconds), and the file is not held while nobody uses it;
- a process that finds the file taken waits, with back-off, and says so with a marker file
  beside it (`<file>.waiting-<pid>-<thread>`). A holder that sees a marker closes the file as
  soon as its last query ends, and opens it again only once the marker is gone, so a busy
  dashboard never starves the command line (and the other way round).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from duckdb_engine import ConnectionWrapper

from kpi import config
from kpi.i18n import Failure

#: Seconds the file stays open after the process's last query.
IDLE_CLOSE_SECONDS = 0.5
#: How long a holder leaves the file to a waiting process before it takes it again anyway.
HAND_OVER_SECONDS = 2.0


class StoreBusy(Failure, RuntimeError):
    """Another process held the database file for longer than the lock timeout."""


class _Cursor(ConnectionWrapper):
    """A DB-API connection on a cursor of the shared instance; closing it returns the instance."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, release: Callable[[], None]) -> None:
        super().__init__(cursor)
        self._release = release

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._release()


class SharedFile:
    """The process's DuckDB instance of one file, open only while it is being used."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._base: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._closer: threading.Timer | None = None
        self._timers: list[threading.Timer] = []  # the closers not finished yet, cancelled or not

    def connect(self) -> _Cursor:
        with self._lock:
            if self._base is None:
                _let_waiters_in(self.path)
                self._base = open_when_free(self.path)
            self._users += 1
            return _Cursor(self._base.cursor(), self._release)

    def _release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users > 0:
                return
            if _waiters(self.path):
                self._close()
                return
            if self._closer is not None:
                self._closer.cancel()
            self._closer = threading.Timer(IDLE_CLOSE_SECONDS, self._close_if_idle)
            self._closer.daemon = True
            self._closer.start()
            self._timers = [*(t for t in self._timers if t.is_alive()), self._closer]

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._users == 0 and self._closer is threading.current_thread():
                self._close()

    def _close(self) -> None:
        if self._base is not None:
            self._base.close()
            self._base = None

    def close_if_unused(self) -> None:
        with self._lock:
            if self._users == 0:
                self._close()

    def close_at_exit(self) -> None:
        """Close the file as the process ends: DuckDB's bindings complain of an instance, or a
        closing timer, still alive when the interpreter shuts down."""
        with self._lock:
            timers, self._closer, self._timers = self._timers, None, []
            self._close()
        for timer in timers:  # a cancelled one may not have ended yet on a busy machine
            timer.cancel()
            timer.join(timeout=5)


def signature(path: str) -> tuple[tuple[int, int] | None, ...]:
    """What changes whenever the file's content may have, read without opening it: the size
    and time of change of the file and of its write-ahead log (a commit appends to the log, a
    checkpoint rewrites the file and removes the log; a read changes neither)."""
    found = []
    for name in (path, f"{path}.wal"):
        try:
            stat = os.stat(name)
        except FileNotFoundError:
            found.append(None)
        else:
            found.append((stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _marker(path: str) -> Path:
    return Path(f"{path}.waiting-{os.getpid()}-{threading.get_ident()}")


def _waiters(path: str) -> list[Path]:
    """Other processes' markers that are fresh (a killed waiter's marker goes stale)."""
    if path == ":memory:":
        return []
    folder, name = Path(path).parent, Path(path).name
    stale = time.time() - 2 * config.lock_timeout()
    found = []
    for marker in folder.glob(f"{name}.waiting-*"):
        try:
            if (
                not marker.name.startswith(f"{name}.waiting-{os.getpid()}-")
                and marker.stat().st_mtime > stale
            ):
                found.append(marker)
        except FileNotFoundError:  # it was just removed
            continue
    return found


def _let_waiters_in(path: str) -> None:
    """Before taking the file again, leave it to a process that waits for it (for a while)."""
    deadline = time.monotonic() + HAND_OVER_SECONDS
    while _waiters(path) and time.monotonic() < deadline:
        time.sleep(0.01)


def open_when_free(path: str) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, waiting (and saying so with a marker) while another process holds it."""
    deadline = time.monotonic() + config.lock_timeout()
    delay = 0.005
    marker = None
    try:
        while True:
            try:
                return duckdb.connect(path, config={"max_temp_directory_size": config.duckdb_temp_limit()})
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() > deadline:
                    raise StoreBusy("err_store_busy", seconds=float(config.lock_timeout())) from exc
                if marker is None:
                    marker = _marker(path)
                    with contextlib.suppress(OSError):  # no marker: the holder lets go when idle
                        marker.touch()
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)
