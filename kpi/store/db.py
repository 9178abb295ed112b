"""Access to the store: one engine per URL, SQL read from files in sql/, values always bound.

A DuckDB file is shared by the processes that use it through kpi.store.shared_file: every
connection of this process is a cursor of one DuckDB instance, open only while it is used.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import threading
import uuid
import warnings
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from kpi import config
from kpi.store.shared_file import SharedFile, StoreBusy

_PARAM = re.compile(r"(?<![:\w]):(\w+)")  # how SQLAlchemy's text() finds bound parameters
# text_frame() takes an Arrow table from a cursor on purpose: the copy DuckDB warns of is far
# cheaper than building the strings of a DataFrame.
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


def get_engine(url: str | None = None) -> Engine:
    """The engine for a URL (default: the configured one, read now), created once per process."""
    return _engine_for(url or config.database_url())


@lru_cache(maxsize=16)
def _engine_for(url: str) -> Engine:
    if not url.startswith("duckdb"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, poolclass=NullPool)
    path = file_of(engine)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    shared = _SHARED[url] = SharedFile(path or ":memory:")
    atexit.register(shared.close_at_exit)
    sa.event.listen(engine, "do_connect", lambda *_args: shared.connect())
    return engine


_SHARED: dict[str, SharedFile] = {}


def file_of(engine: Engine) -> str | None:
    """The DuckDB file an engine opens; None for PostgreSQL or an in-memory database."""
    path = engine.url.database if is_duckdb(engine) else None
    return path if path and path != ":memory:" else None


def release(url: str | None = None) -> None:
    """Let go of a DuckDB file now rather than after its idle time, e.g. before copying or
    removing it (a connection still in use keeps it open)."""
    shared = _SHARED.get(url or config.database_url())
    if shared is not None:
        shared.close_if_unused()


_WRITERS: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_PG_WRITE_LOCK = 524_2023  # any fixed number: the advisory lock all of the product's writes take
VERSION_KEY = "data_version"  # the setting that changes with every write the dashboard shows


@contextlib.contextmanager
def writing(engine: Engine, shown: bool = True) -> Iterator[Connection]:
    """A transaction that writes, begun once every other write to the store has ended.

    Two dashboard sessions are threads of one process: two imports at once collided in
    DuckDB ("Conflict on update") and on PostgreSQL one would log as "replaced" a value the
    other was replacing. Writes are few and short, so they simply take turns: a lock per
    store in this process, and on PostgreSQL an advisory lock shared by every process.

    A write that succeeds gives the store a new version (kpi.store.reads.data_version) in the
    same transaction, unless shown is false (accounts, a sign-in's count of failures: no page
    caches them): the dashboard keys its cached figures by it, so a write from any process
    shows at the next page run.
    """
    seconds = config.lock_timeout()
    lock = _WRITERS[engine.url.render_as_string()]
    if not lock.acquire(timeout=seconds):
        raise StoreBusy("err_store_busy_writing", seconds=float(seconds))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                _take_turn(conn, seconds)
            yield conn
            if shown:
                execute(conn, "queries/set_setting", key=VERSION_KEY, value=uuid.uuid4().hex)
    finally:
        lock.release()


def _take_turn(conn: Connection, seconds: float) -> None:
    conn.exec_driver_sql(f"set local lock_timeout = {int(seconds * 1000)}")
    try:
        conn.exec_driver_sql(f"select pg_advisory_xact_lock({_PG_WRITE_LOCK})")
    except sa.exc.OperationalError as exc:
        raise StoreBusy("err_store_busy_writing", seconds=float(seconds)) from exc


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


def text_frame(conn: Connection, sql_name: str, /, **params: Any) -> pd.DataFrame:
    """frame() for rows of text and numbers (names, codes), handed over from DuckDB through an
    Arrow table: pandas keeps Arrow's strings as they are, where a DataFrame hand-over builds
    them again (the country's 21,000 unit names: 4 ms against 15). Not for dates, which Arrow
    would give as objects rather than timestamps."""
    result = execute(conn, sql_name, **params)
    if is_duckdb(conn):
        return result.cursor.to_arrow_table().to_pandas()
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def run_script(conn: Connection, sql: str) -> None:
    """Run a file of several statements (a migration), one statement at a time."""
    for stmt in re.split(r";\s*(?:\n|$)", sql):
        body = "\n".join(line for line in stmt.splitlines() if not line.strip().startswith("--")).strip()
        if body:
            conn.exec_driver_sql(body)


@contextlib.contextmanager
def staged(conn: Connection, name: str, data: pd.DataFrame | pa.Table) -> Iterator[None]:
    """Make a DataFrame or an Arrow table readable as table NAME for the statements run inside
    the block.

    DuckDB reads a registered frame in place (DataFrame.to_sql inserts row by row, far slower);
    other databases get a table in the current transaction, dropped at the end of the block.
    """
    if is_duckdb(conn):
        conn.connection.driver_connection.register(name, data)
    else:
        frame = data.to_pandas(types_mapper=pd.ArrowDtype) if isinstance(data, pa.Table) else data
        frame.to_sql(name, conn, if_exists="replace", index=False)
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
