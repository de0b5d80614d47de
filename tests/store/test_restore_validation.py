"""Restore checks a backup in a private copy before it replaces anything (issue 19).

Each candidate is built for real: another program's SQLite file stamped with our schema
revision (head, and an old one), a SchoolHR backup missing a table or with an extra column,
another program's ``application_id``, a copy of a live database with its ``-wal`` beside it,
64 KiB and 512-byte pages, the kept first-schema database. A refused file leaves every file of
the profile byte for byte as it was (no private copy left, no ``tmp`` folder made); a restored
one brings back exactly its data, the -wal's last writes included.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from schoolhr.cli import main
from schoolhr.errors import DataDirError, DiskFullError, ExitCode, UserError
from schoolhr.paths import DataPaths, prepare_data_dir
from schoolhr.status import read_status
from schoolhr.store import database, migrate
from schoolhr.store.database import Store, open_store, restore_backup, update_site
from schoolhr.store.engine import make_engine
from schoolhr.store.sqlite_files import APPLICATION_ID, read_header, verify_database_file
from tests.data.hostile import make_hostile
from tests.helpers import TEST_DATA, fill_operation_log

OLD_DATABASE = TEST_DATA / "schema_0001.sqlite3.bin"
LIVE_NAME = "現在的校名"
BACKUP_NAME = "備份裡的校名"


# -- helpers ----------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    """Every file below ``root`` by its SHA-256, and every folder."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_dir():
            found[relative + "/"] = "folder"
        else:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def site_name(database: Path) -> str:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return str(connection.execute("SELECT name FROM site").fetchone()[0])
    finally:
        connection.close()


def page_size(database: Path) -> int:
    header = read_header(database)
    assert header is not None and header.page_size is not None
    return header.page_size


def pragma(database: Path, name: str) -> int:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return int(connection.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        connection.close()


edit = make_hostile.sqlite_edit  # the corpus builds its restore candidates the same way


def copied_while_open(backup_file: Path, *, with_wal: bool) -> Path:
    """``backup_file`` copied (with its -wal when ``with_wal``) while a program that has just
    renamed the site and logged a line, not yet checkpointed, still holds it open."""
    original = backup_file.with_name("open-database.sqlite3")
    shutil.copy(backup_file, original)
    writer = sqlite3.connect(original, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("UPDATE site SET name = '最後寫入的校名'")
        writer.execute("INSERT INTO operation_log (at, kind, summary, ok) VALUES "
                       "('2026-12-01 08:00:00.000000', 'test', '只在記錄檔裡', 1)")  # fmt: skip
        copied = backup_file.with_name("copied.sqlite3")
        shutil.copy(original, copied)
        if with_wal:
            shutil.copy(f"{original}-wal", f"{copied}-wal")
    finally:
        writer.close()
    return copied


@pytest.fixture
def backup_file(data_paths: DataPaths, tmp_path: Path) -> Path:
    """A sound SchoolHR backup (site named ``BACKUP_NAME``) outside the data folder; the
    profile's own database is then renamed ``LIVE_NAME`` and closed."""
    store = open_store(data_paths)
    update_site(store, name=BACKUP_NAME)
    taken = store.backup().path
    update_site(store, name=LIVE_NAME)
    store.close()
    candidates = tmp_path / "candidates"
    candidates.mkdir()
    return Path(shutil.copy(taken, candidates / "schoolhr-backup.sqlite3"))


def refused(paths: DataPaths, source: Path, code: ExitCode, *phrases: str) -> UserError:
    """Restore ``source``, expect a refusal with exit code ``code`` whose message names the
    file and says ``phrases``, and the profile and the file exactly as they were."""
    profile_before = snapshot(paths.root)
    source_before = snapshot(source.parent)
    with pytest.raises(UserError) as caught:
        restore_backup(paths, source)
    error = caught.value
    assert error.exit_code == code, error.message
    assert source.name in error.message
    for phrase in phrases:
        assert phrase in error.message
    assert "未變更" in error.message
    assert snapshot(paths.root) == profile_before, "a refused restore changed the profile"
    assert snapshot(source.parent) == source_before, "the offered file was changed"
    return error


def foreign_database(path: Path, revision: str) -> Path:
    """Another program's SQLite file, stamped with our schema ``revision``."""
    edit(
        path,
        "CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT NOT NULL)",
        "INSERT INTO songs (title) VALUES ('not a SchoolHR database')",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        f"INSERT INTO alembic_version VALUES ('{revision}')",
    )
    return path


# -- refused, the profile untouched ---------------------------------------------------------


def test_another_programs_file_stamped_with_our_head_revision_is_refused(
    data_paths: DataPaths, backup_file: Path
) -> None:
    foreign = foreign_database(backup_file.with_name("songs.sqlite3"), migrate.head_revision())
    refused(data_paths, foreign, ExitCode.FILE, "不是學校人事小幫手的備份檔", "缺少資料表")
    assert site_name(data_paths.database) == LIVE_NAME
    open_store(data_paths, daily_backup=False).close()  # every command still works


def test_another_programs_file_stamped_with_an_old_revision_is_never_half_migrated(
    data_paths: DataPaths, backup_file: Path
) -> None:
    foreign = foreign_database(backup_file.with_name("old-songs.sqlite3"), "0005_guides")
    refused(data_paths, foreign, ExitCode.FILE, "不是可用的", "資料庫結構版本是 0005_guides")
    assert migrate.database_revision(data_paths.database) == migrate.head_revision()


def test_a_backup_missing_the_contact_table_is_refused(
    data_paths: DataPaths, backup_file: Path
) -> None:
    edit(backup_file, "PRAGMA foreign_keys=OFF", "DROP TABLE contact")
    error = refused(data_paths, backup_file, ExitCode.FILE, "缺少資料表「contact」")
    assert "不是完整的學校人事小幫手備份檔" in error.message


def test_a_backup_with_a_column_too_many_is_refused(
    data_paths: DataPaths, backup_file: Path
) -> None:
    edit(backup_file, "ALTER TABLE contact ADD COLUMN salary TEXT")
    refused(data_paths, backup_file, ExitCode.FILE, "資料表「contact」多出欄位 salary")


def test_a_backup_carrying_a_trigger_is_refused(data_paths: DataPaths, backup_file: Path) -> None:
    edit(
        backup_file,
        "CREATE TRIGGER forget AFTER INSERT ON operation_log BEGIN DELETE FROM contact; END",
    )
    refused(data_paths, backup_file, ExitCode.FILE, "觸發程序", "forget")


def test_a_file_with_another_application_id_is_refused_before_it_is_copied(
    data_paths: DataPaths, backup_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(backup_file, "PRAGMA application_id = 305419896")  # 0x12345678
    from schoolhr.store import candidate

    def no_copy(*_args: object) -> list[str]:
        raise AssertionError("copied a file whose application_id says it is not ours")

    monkeypatch.setattr(candidate, "_copy_with_companions", no_copy)
    refused(data_paths, backup_file, ExitCode.FILE, "不是學校人事小幫手的備份檔", "0x12345678")


def test_a_damaged_backup_is_refused_with_the_damaged_exit_code(
    data_paths: DataPaths, backup_file: Path
) -> None:
    fill_operation_log(backup_file)
    edit(backup_file)  # one file again
    data = bytearray(backup_file.read_bytes())
    page = page_size(backup_file)
    for number in (3, 5, 8, 13):
        data[number * page : number * page + 64] = bytes(range(64))
    backup_file.write_bytes(bytes(data))
    refused(data_paths, backup_file, ExitCode.DATABASE_DAMAGED)


def test_a_backup_from_a_newer_version_is_refused_with_its_exit_code(
    data_paths: DataPaths, backup_file: Path
) -> None:
    edit(backup_file, "UPDATE alembic_version SET version_num = '0999_from_the_future'")
    refused(data_paths, backup_file, ExitCode.DATABASE_NEWER, "較新版本")


def full(*_args: object, **_kwargs: object) -> None:
    raise DiskFullError("磁碟空間不足，資料未變更。")


def test_a_failure_after_the_checks_takes_back_the_safety_backup(
    data_paths: DataPaths, backup_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "_write_into_live", full)
    before = snapshot(data_paths.root)
    with pytest.raises(DiskFullError):
        restore_backup(data_paths, backup_file)
    assert snapshot(data_paths.root) == before


# -- restored ---------------------------------------------------------------------------------


def test_a_live_copy_with_its_wal_is_restored_with_the_last_writes(
    data_paths: DataPaths, backup_file: Path
) -> None:
    # GIVEN a database copied with its -wal while the program that wrote it was still open
    copied = copied_while_open(backup_file, with_wal=True)
    assert Path(f"{copied}-wal").stat().st_size > 0
    offered = snapshot(copied.parent)

    # WHEN it is restored
    kept = restore_backup(data_paths, copied)

    # THEN the last writes are there, the offered files untouched, the log says it merged
    assert site_name(data_paths.database) == "最後寫入的校名"
    assert snapshot(copied.parent) == offered
    assert kept is not None and site_name(kept) == LIVE_NAME
    summary = read_status(data_paths, 1).operations[0].summary
    assert "copied.sqlite3-wal" in summary and "併入" in summary
    connection = sqlite3.connect(data_paths.database)
    try:
        logged = connection.execute(
            "SELECT count(*) FROM operation_log WHERE summary = '只在記錄檔裡'"
        ).fetchone()[0]
    finally:
        connection.close()
    assert logged == 1
    assert not data_paths.temporary.exists()


def test_without_its_wal_the_same_copy_restores_the_older_data(
    data_paths: DataPaths, backup_file: Path
) -> None:
    """The control: what the copy holds without the -wal (what restore used to bring back)."""
    copied = copied_while_open(backup_file, with_wal=False)
    restore_backup(data_paths, copied)
    assert site_name(data_paths.database) == BACKUP_NAME


@pytest.mark.parametrize("size", [65536, 512])
def test_a_backup_with_any_valid_page_size_is_restored(
    data_paths: DataPaths, backup_file: Path, size: int
) -> None:
    edit(backup_file, "PRAGMA journal_mode=DELETE", f"PRAGMA page_size = {size}", "VACUUM")
    assert page_size(backup_file) == size
    live_page_size = page_size(data_paths.database)

    kept = restore_backup(data_paths, backup_file)

    assert kept is not None
    assert site_name(data_paths.database) == BACKUP_NAME
    assert page_size(data_paths.database) == live_page_size
    store = open_store(data_paths, daily_backup=False)
    store.close()
    verify_database_file(data_paths.database, immutable=False)


def test_the_first_schema_database_is_restored_upgraded_and_stamped(
    data_paths: DataPaths, backup_file: Path
) -> None:
    old = Path(shutil.copy(OLD_DATABASE, backup_file.with_name("first-release.sqlite3")))
    assert pragma(old, "application_id") == 0
    offered = old.read_bytes()

    restore_backup(data_paths, old)

    assert site_name(data_paths.database) == "宜蘭縣立示範國民小學"
    assert migrate.database_revision(data_paths.database) == migrate.head_revision()
    assert pragma(data_paths.database, "application_id") == APPLICATION_ID
    assert old.read_bytes() == offered
    summary = read_status(data_paths, 1).operations[0].summary
    assert "0001_site" in summary


def test_a_backup_from_before_the_application_id_is_restored_when_its_schema_is_sound(
    data_paths: DataPaths, tmp_path: Path
) -> None:
    older = tmp_path / "before-0011.sqlite3"
    engine = make_engine(older)
    migrate.upgrade(engine, "0010_authority")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO site (id, site_uuid, name, role, created_at) VALUES "
            "(1, '11111111-2222-3333-4444-555555555555', '舊版國小', 'school', "
            "'2026-01-01 00:00:00')"
        )
    engine.dispose()
    edit(older)
    assert pragma(older, "application_id") == 0
    open_store(data_paths, daily_backup=False).close()

    restore_backup(data_paths, older)

    assert site_name(data_paths.database) == "舊版國小"
    assert pragma(data_paths.database, "application_id") == APPLICATION_ID


def test_new_and_migrated_databases_carry_the_application_id(data_paths: DataPaths) -> None:
    open_store(data_paths, daily_backup=False).close()
    assert pragma(data_paths.database, "application_id") == APPLICATION_ID
    assert APPLICATION_ID.to_bytes(4, "big") == b"SHR1"


def test_an_open_store_sees_the_restored_data(store: Store, backup_file: Path) -> None:
    """The window keeps its store open while it restores: the data is written into the live
    database through SQLite, so the open store reads the restored data, not a stale file."""
    restore_backup(store.paths, backup_file)
    assert store.site().name == BACKUP_NAME
    store.log_operation("test", "寫入還原後的資料庫")
    assert site_name(store.paths.database) == BACKUP_NAME


def test_a_damaged_live_database_is_moved_aside_and_back_when_the_restore_fails(
    data_paths: DataPaths, backup_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_paths.database.write_bytes(b"SQLite format 3\x00" + bytes(4096))  # damaged
    before = snapshot(data_paths.root)
    monkeypatch.setattr(database, "_write_into_live", full)
    with pytest.raises(DiskFullError):
        restore_backup(data_paths, backup_file)
    assert snapshot(data_paths.root) == before
    monkeypatch.undo()

    kept = restore_backup(data_paths, backup_file)
    assert kept is not None and kept.name.startswith("schoolhr.sqlite3.corrupt-")
    assert site_name(data_paths.database) == BACKUP_NAME


# -- a file where the backups folder should be ------------------------------------------------


def test_a_file_named_backups_is_named_in_the_message(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    root.mkdir()
    (root / "backups").write_text("not a folder", encoding="utf-8")
    with pytest.raises(DataDirError) as caught:
        prepare_data_dir(root)
    assert f"備份資料夾「{root / 'backups'}」" in caught.value.message
    assert "是一個檔案" in caught.value.message


def test_a_file_named_backups_after_start_is_named_when_restoring(
    data_paths: DataPaths, backup_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(data_paths.backups)
    data_paths.backups.write_text("not a folder", encoding="utf-8")
    before = snapshot(data_paths.root)
    with pytest.raises(DataDirError) as caught:
        restore_backup(data_paths, backup_file)
    assert f"備份資料夾「{data_paths.backups}」" in caught.value.message
    assert snapshot(data_paths.root) == before

    assert main(["restore", str(backup_file)]) == ExitCode.DATA_DIR
    err = capsys.readouterr().err
    assert str(data_paths.backups) in err and "備份資料夾" in err
