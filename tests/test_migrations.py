"""Schema versions: an older store is migrated in place and keeps its data."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from kpi import builtin, db, migrate
from tests.helpers import count


def test_an_empty_database_gets_every_version(fresh_url):
    engine = db.get_engine(fresh_url)
    assert migrate.migrate(engine) == [m.version for m in migrate.available()]
    assert migrate.migrate(engine) == []
    with engine.connect() as conn:
        assert migrate.current_version(conn) == migrate.latest_version()


def test_a_new_version_migrates_a_store_in_place(fresh_url, tmp_path):
    engine = db.get_engine(fresh_url)
    builtin.initialise(engine)
    values = count(fresh_url, "select count(*) from observations")
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder)
    version = migrate.latest_version() + 1
    (folder / f"{version:03d}_add_comment.sql").write_text(
        "alter table observations add column comment text;\nupdate observations set comment = 'kept';\n"
    )
    assert migrate.migrate(engine, folder) == [version]
    assert count(fresh_url, "select count(*) from observations where comment = 'kept'") == values


def test_a_failing_migration_changes_nothing(fresh_url, tmp_path):
    engine = db.get_engine(fresh_url)
    builtin.initialise(engine)
    values = count(fresh_url, "select count(*) from observations")
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder)
    version = migrate.latest_version() + 1
    (folder / f"{version:03d}_broken.sql").write_text(
        "delete from observations;\nalter table no_such_table add column x text;\n"
    )
    with pytest.raises(sa.exc.DBAPIError):
        migrate.migrate(engine, folder)
    assert count(fresh_url, "select count(*) from observations") == values
    with engine.connect() as conn:
        assert migrate.current_version(conn) == migrate.latest_version()
