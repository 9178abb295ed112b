"""Schema versions: an older store is migrated in place and keeps its data."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from kpi.store import db, migrate
from tests.helpers import count


def test_an_empty_database_gets_every_version(fresh_url):
    engine = db.get_engine(fresh_url)
    assert migrate.migrate(engine) == [m.version for m in migrate.available()]
    assert migrate.migrate(engine) == []
    with engine.connect() as conn:
        assert migrate.current_version(conn) == migrate.latest_version()


def with_extra_migration(url: str, tmp_path, sql: str) -> tuple[object, int, object]:
    """A set-up store's engine, its value count, and a copy of the migrations with one more file."""
    engine = db.get_engine(url)
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder)
    (folder / f"{migrate.latest_version() + 1:03d}_next.sql").write_text(sql)
    return engine, count(url, "select count(*) from observations"), folder


def test_a_new_version_migrates_a_store_in_place(demo_copy_url, tmp_path):
    sql = "alter table observations add column comment text;\nupdate observations set comment = 'kept';\n"
    engine, values, folder = with_extra_migration(demo_copy_url, tmp_path, sql)
    assert migrate.migrate(engine, folder) == [migrate.latest_version() + 1]
    assert count(demo_copy_url, "select count(*) from observations where comment = 'kept'") == values


def test_a_failing_migration_changes_nothing(demo_copy_url, tmp_path):
    sql = "delete from observations;\nalter table no_such_table add column x text;\n"
    engine, values, folder = with_extra_migration(demo_copy_url, tmp_path, sql)
    with pytest.raises(sa.exc.DBAPIError):
        migrate.migrate(engine, folder)
    assert count(demo_copy_url, "select count(*) from observations") == values
    with engine.connect() as conn:
        assert migrate.current_version(conn) == migrate.latest_version()
