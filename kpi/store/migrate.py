"""Schema versions: sql/migrations/NNN_name.sql applied in order, each in one transaction.

A database records the versions it has; `migrate` applies only the newer files, so an older
database is brought up to date in place and keeps its data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import config
from kpi.store import db

MIGRATIONS_DIR = config.SQL_DIR / "migrations"
_NAME = re.compile(r"^(\d{3})_(\w+)\.sql$")


@dataclass(frozen=True, order=True)
class Migration:
    version: int
    name: str
    path: Path


def available(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files, oldest first."""
    found = [(_NAME.match(p.name), p) for p in directory.glob("*.sql")]
    return sorted(Migration(int(m[1]), m[2], p) for m, p in found if m)


def current_version(conn: Connection) -> int:
    """The newest version applied to this database (0 for an empty one)."""
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    return db.execute(conn, "queries/schema_version").scalar_one()


def latest_version(directory: Path = MIGRATIONS_DIR) -> int:
    """The version a database has once every file is applied."""
    return max((m.version for m in available(directory)), default=0)


def migrate(engine: Engine, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply every migration newer than the database; return the versions applied."""
    with engine.begin() as conn:
        db.execute(conn, "queries/create_schema_migrations")
    applied = []
    for migration in available(directory):
        with engine.begin() as conn:
            if migration.version <= current_version(conn):
                continue
            db.run_script(conn, migration.path.read_text(encoding="utf-8"))
            db.execute(conn, "queries/record_migration", version=migration.version, name=migration.name)
        applied.append(migration.version)
    return applied
