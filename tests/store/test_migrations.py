import shutil
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from schoolhr.errors import DatabaseNewerError
from schoolhr.paths import DataPaths
from schoolhr.status import read_status
from schoolhr.store import migrate
from schoolhr.store.all_models import metadata
from schoolhr.store.backup import list_backups
from schoolhr.store.database import open_store
from schoolhr.store.migrate import include_name
from tests.helpers import TEST_DATA

OLD_DATABASE = TEST_DATA / "schema_0001.sqlite3.bin"


def test_models_and_migrations_agree(data_paths: DataPaths) -> None:
    store = open_store(data_paths)
    try:
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_name": include_name})
            differences = compare_metadata(context, metadata)
    finally:
        store.close()
    assert differences == []


def test_revisions_read_from_file_names_match_alembic_history() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    history = [rev.revision for rev in script.walk_revisions()]  # newest first
    assert list(reversed(history)) == migrate.known_revisions()
    assert script.get_current_head() == migrate.head_revision()
    assert len(script.get_heads()) == 1, "the migration history must stay one straight line"


def test_the_kept_first_schema_database_is_upgraded_with_its_data(data_paths: DataPaths) -> None:
    shutil.copy(OLD_DATABASE, data_paths.database)
    store = open_store(data_paths)
    try:
        site = store.site()
        operations = read_status(data_paths, 20).operations
    finally:
        store.close()
    assert site.name == "宜蘭縣立示範國民小學"
    assert site.site_uuid == "5f0c3d52-9d1e-4c43-9a57-0f6a3c1e2b11"
    assert migrate.database_revision(data_paths.database) == migrate.head_revision()
    assert "0001_site" in operations[-1].summary
    reasons = [b.reason for b in list_backups(data_paths)]
    assert "pre-migrate" in reasons, "a verified backup must be taken before migrating"


def test_the_backup_before_migration_holds_the_old_schema(data_paths: DataPaths) -> None:
    shutil.copy(OLD_DATABASE, data_paths.database)
    open_store(data_paths).close()
    backup = next(b for b in list_backups(data_paths) if b.reason == "pre-migrate")
    assert migrate.database_revision(backup.path) == "0001_site"


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(
    data_paths: DataPaths,
) -> None:
    open_store(data_paths).close()
    connection = sqlite3.connect(data_paths.database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = data_paths.database.read_bytes()
    backups_before = list_backups(data_paths)

    with pytest.raises(DatabaseNewerError, match="較新版本"):
        open_store(data_paths)

    assert data_paths.database.read_bytes() == before
    assert list_backups(data_paths) == backups_before


def test_records_written_before_origins_were_kept_are_stamped_as_this_sites(
    data_paths: DataPaths,
) -> None:
    # GIVEN a database at 0008 whose contact was written with an empty origin
    from schoolhr.store.engine import make_engine

    engine = make_engine(data_paths.database)
    migrate.upgrade(engine, "0008_sync")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO site (id, site_uuid, name, role, created_at) "
            "VALUES (1, '11111111-2222-3333-4444-555555555555', '示範國小', 'school', "
            "'2026-01-01 00:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO contact (uuid, name, school, region, role, duties, office_phone, "
            "mobile, email, line_id, notes, consent_scope, origin, deleted, updated_at) VALUES "
            "('aaaaaaaa-2222-3333-4444-555555555555', '林小芬', '示範國小', '', '', '[]', '', "
            "'', '', '', '', '', '', 0, '2026-01-01 00:00:00')"
        )
    engine.dispose()
    # WHEN it is opened by this version
    open_store(data_paths).close()
    # THEN the old contact belongs to this site
    with sqlite3.connect(data_paths.database) as connection:
        origin = connection.execute("SELECT origin FROM contact").fetchone()[0]
    assert origin == "11111111-2222-3333-4444-555555555555"
