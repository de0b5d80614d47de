import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schoolhr.errors import Cancelled, DatabaseDamagedError, DatabaseNewerError, UserFileError
from schoolhr.paths import DataPaths
from schoolhr.status import read_status
from schoolhr.store import migrate
from schoolhr.store.backup import (
    KEEP_RECENT,
    BackupInfo,
    backups_to_delete,
    create_backup,
    list_backups,
    take_daily_backup,
    thin_backups,
)
from schoolhr.store.database import Store, open_store, restore_backup, update_site
from schoolhr.store.sqlite_files import verify_database_file
from tests.helpers import fill_operation_log, flip_bytes


def test_a_backup_is_verified_and_holds_the_data(store: Store) -> None:
    update_site(store, name="臺東縣立測試國小")
    info = store.backup()
    verify_database_file(info.path)
    connection = sqlite3.connect(info.path)
    assert connection.execute("SELECT name FROM site").fetchone() == ("臺東縣立測試國小",)
    connection.close()
    assert list_backups(store.paths)[0] == info
    assert "手動備份" in read_status(store.paths, 1).operations[0].summary


def test_two_backups_in_the_same_second_get_different_names(store: Store) -> None:
    now = datetime(2026, 11, 21, 10, 0, 0)
    first = create_backup(store.paths, now=now)
    second = create_backup(store.paths, now=now)
    assert first.path != second.path
    assert len(list_backups(store.paths)) == 2


def test_a_cancelled_backup_leaves_no_file(store: Store) -> None:
    fill_operation_log(store.paths.database, rows=3000)

    def cancel_midway(done: int, total: int, text: str = "") -> None:
        if 0 < done < total:
            raise Cancelled()

    with pytest.raises(Cancelled):
        create_backup(store.paths, progress=cancel_midway)
    assert list(store.paths.backups.iterdir()) == []


def test_the_daily_backup_is_taken_at_most_once_a_day(store: Store) -> None:
    morning = datetime(2026, 11, 21, 8, 0)
    assert take_daily_backup(store.paths, now=morning) is not None
    assert take_daily_backup(store.paths, now=morning + timedelta(hours=5)) is None
    assert take_daily_backup(store.paths, now=morning + timedelta(days=1)) is not None
    assert [b.reason for b in list_backups(store.paths)] == ["daily", "daily"]


def test_opening_an_existing_database_takes_the_daily_backup(data_paths: DataPaths) -> None:
    open_store(data_paths).close()  # a new database: nothing worth backing up yet
    assert list_backups(data_paths) == []
    open_store(data_paths).close()
    assert [b.reason for b in list_backups(data_paths)] == ["daily"]


def _fake_backups(stamps: list[datetime]) -> list[BackupInfo]:
    return [
        BackupInfo(Path(f"/b/schoolhr-{i:04d}.sqlite3"), stamp, "daily", 1)
        for i, stamp in enumerate(stamps)
    ]


@settings(max_examples=200, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=800 * 24), min_size=1, max_size=80),
)
def test_thinning_never_deletes_the_newest_or_the_most_recent_ones(offsets: list[int]) -> None:
    now = datetime(2026, 11, 21, 12, 0)
    backups = _fake_backups([now - timedelta(hours=h) for h in offsets])
    doomed = {b.path for b in backups_to_delete(backups, now)}
    newest_first = sorted(backups, key=lambda b: (b.taken_at, b.path.name), reverse=True)
    assert newest_first[0].path not in doomed
    assert not doomed & {b.path for b in newest_first[:KEEP_RECENT]}
    # one backup of every recent day survives
    for backup in backups:
        if now - backup.taken_at <= timedelta(days=14):
            same_day = [b for b in backups if b.taken_at.date() == backup.taken_at.date()]
            assert any(b.path not in doomed for b in same_day)


def test_thinning_deletes_old_extra_backups(store: Store) -> None:
    start = datetime(2026, 1, 1, 9, 0)
    for day in range(60):
        for hour in (9, 12, 15):
            create_backup(store.paths, now=start + timedelta(days=day, hours=hour - 9))
    deleted = thin_backups(store.paths, now=start + timedelta(days=60))
    remaining = list_backups(store.paths)
    assert deleted and len(remaining) < 60
    assert remaining[0].taken_at == start + timedelta(days=59, hours=6)


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(store: Store) -> None:
    update_site(store, name="舊校名")
    backup = store.backup()
    update_site(store, name="新校名")
    store.close()

    safety = restore_backup(store.paths, backup.path)

    reopened = open_store(store.paths)
    try:
        assert reopened.site().name == "舊校名"
        assert "還原" in read_status(reopened.paths, 1).operations[0].summary
    finally:
        reopened.close()
    assert safety is not None
    connection = sqlite3.connect(safety)
    assert connection.execute("SELECT name FROM site").fetchone() == ("新校名",)
    connection.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    fill_operation_log(store.paths.database)
    backup = store.backup()
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copy(backup.path, damaged)
    flip_bytes(damaged)
    backups_before = list_backups(store.paths)
    store.close()
    before = store.paths.database.read_bytes()

    with pytest.raises(DatabaseDamagedError):
        restore_backup(store.paths, damaged)

    assert store.paths.database.read_bytes() == before
    assert list_backups(store.paths) == backups_before


def test_restore_refuses_a_file_that_is_not_a_database(store: Store, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("這不是資料庫", encoding="utf-8")
    with pytest.raises(UserFileError, match="不是學校人事小幫手的備份檔"):
        restore_backup(store.paths, text_file)
    with pytest.raises(UserFileError, match="找不到備份檔"):
        restore_backup(store.paths, tmp_path / "missing.sqlite3")


def test_restore_refuses_a_backup_from_a_newer_version(store: Store, tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(store.backup().path, newer)
    connection = sqlite3.connect(newer)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999_future'")
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    with pytest.raises(DatabaseNewerError):
        restore_backup(store.paths, newer)
    assert migrate.database_revision(store.paths.database) == migrate.head_revision()
