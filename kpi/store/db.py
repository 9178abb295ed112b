"""Access to the store: one engine per URL, SQL read from files in sql/, values always bound.

DuckDB lets one process open a database file read-write, and while it does no other process
can open the file at all. The dashboard (one process, many threads) and the command line
(another process) share the default file, so:

- inside a process, threads share one DuckDB instance of the file (`_SharedFile`), each with
  a cursor of its own: two threads that open the same file at once would otherwise collide;
- the instance is closed as soon as the last connection of the process is returned
  (NullPool), so the file is held only while a query or transaction runs;
- opening waits, with back-off, while another process holds the file.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import sqlalchemy as sa
from duckdb_engine import ConnectionWrapper
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from kpi import config
from kpi.i18n import Failure

_PARAM = re.compile(r"(?<![:\w]):(\w+)")  # how SQLAlchemy's text() finds bound parameters


class StoreBusy(Failure, RuntimeError):
    """Another process held the database file for longer than the lock timeout."""


def get_engine(url: str | None = None) -> Engine:
    """The engine for a URL (default: the configured one, read now), created once per process."""
    return _engine_for(url or config.database_url())


@lru_cache(maxsize=16)
def _engine_for(url: str) -> Engine:
    if not url.startswith("duckdb"):
        return sa.create_engine(url, pool_pre_ping=True)
    path = sa.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, poolclass=NullPool)
    shared = _SharedFile(path or ":memory:")
    sa.event.listen(engine, "do_connect", lambda *_args: shared.connect())
    return engine


class _Cursor(ConnectionWrapper):
    """A DB-API connection on a cursor of the shared instance; closing it returns the instance."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, release: Callable[[], None]) -> None:
        super().__init__(cursor)
        self._release = release

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._release()


class _SharedFile:
    """The process's DuckDB instance of one file, open only while some connection is out."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._base: duckdb.DuckDBPyConnection | None = None
        self._users = 0

    def connect(self) -> _Cursor:
        with self._lock:
            if self._base is None:
                self._base = _open_when_free(self.path)
            self._users += 1
            return _Cursor(self._base.cursor(), self._release)

    def _release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._base is not None:
                self._base.close()
                self._base = None


def _open_when_free(path: str) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, waiting while another process holds its lock."""
    deadline = time.monotonic() + config.lock_timeout()
    delay = 0.005
    while True:
        try:
            return duckdb.connect(path, config={"max_temp_directory_size": config.duckdb_temp_limit()})
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                raise StoreBusy("err_store_busy", seconds=float(config.lock_timeout())) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


def is_duckdb(bind: Engine | Connection) -> bool:
    """True when the store is DuckDB (bulk loads can then use a registered frame)."""
    return bind.dialect.name == "duckdb"


@cache
def sql_source(name: str) -> str:
    """The text of sql/NAME.sql (NAME may include a folder, e.g. 'queries/units')."""
    return (config.SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def statement(name: str, params: Mapping[str, Any]) -> sa.TextClause:
    """A bound statement from sql/NAME.sql; list values expand into `in :name` lists."""
    clause = sa.text(sql_source(name))
    used = set(_PARAM.findall(sql_source(name)))  # parameters the SQL names; extra values are ignored
    expanding = [
        sa.bindparam(k, expanding=True, type_=sa.String if not v or isinstance(v[0], str) else None)
        for k, v in params.items()
        if isinstance(v, (list, tuple)) and k in used
    ]
    return clause.bindparams(*expanding) if expanding else clause


def execute(conn: Connection, sql_name: str, /, **params: Any) -> sa.CursorResult:
    """Run sql/NAME.sql with bound parameters."""
    return conn.execute(statement(sql_name, params), params)


def read_frame(sql_name: str, engine: Engine | None = None, /, **params: Any) -> pd.DataFrame:
    """Run sql/NAME.sql in a short read and return the rows as a DataFrame."""
    with (engine or get_engine()).connect() as conn:
        return frame(conn, sql_name, **params)


def frame(conn: Connection, sql_name: str, /, **params: Any) -> pd.DataFrame:
    """Run sql/NAME.sql on an open connection and return the rows as a DataFrame.

    DuckDB hands its result over as a DataFrame directly (through Arrow): building one from
    SQLAlchemy rows costs ten times the query on large results.
    """
    result = execute(conn, sql_name, **params)
    if is_duckdb(conn):
        return result.cursor.fetchdf()
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def run_script(conn: Connection, sql: str) -> None:
    """Run a file of several statements (a migration), one statement at a time."""
    for stmt in re.split(r";\s*(?:\n|$)", sql):
        body = "\n".join(line for line in stmt.splitlines() if not line.strip().startswith("--")).strip()
        if body:
            conn.exec_driver_sql(body)


@contextlib.contextmanager
def staged(conn: Connection, name: str, df: pd.DataFrame) -> Iterator[None]:
    """Make a DataFrame readable as table NAME for the statements run inside the block.

    DuckDB reads a registered frame in place (to_sql is slow, see PITFALLS); other databases
    get a table in the current transaction, dropped at the end of the block.
    """
    if is_duckdb(conn):
        conn.connection.driver_connection.register(name, df)
    else:
        df.to_sql(name, conn, if_exists="replace", index=False)
    try:
        yield
    finally:
        # After a failed statement the transaction is aborted and rolls back anyway: the staged
        # frame goes with it, and the original error is the one to report.
        with contextlib.suppress(duckdb.Error, sa.exc.DBAPIError):
            if is_duckdb(conn):
                conn.connection.driver_connection.unregister(name)
            else:
                conn.exec_driver_sql(f"drop table if exists {name}")
