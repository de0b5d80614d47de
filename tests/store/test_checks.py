"""The checks made before the window shows: plain sqlite3, no SQLAlchemy, nothing written."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from schoolhr.errors import DatabaseCorruptError, DatabaseNewerError
from schoolhr.paths import DataPaths
from schoolhr.store.backup import list_backups
from schoolhr.store.checks import check_before_open
from schoolhr.store.database import open_store

REPO = Path(__file__).resolve().parents[2]

CHECK_IN_A_FRESH_PROCESS = """
import sys
from schoolhr.paths import DataPaths
from schoolhr.store.checks import check_before_open
print(check_before_open(DataPaths(__import__("pathlib").Path(sys.argv[1]))))
print("sqlalchemy" in sys.modules, "alembic" in sys.modules)
"""


def test_the_checks_load_no_sqlalchemy(data_paths: DataPaths) -> None:
    open_store(data_paths).close()
    done = subprocess.run(
        [sys.executable, "-c", CHECK_IN_A_FRESH_PROCESS, str(data_paths.root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.split() == ["True", "False", "False"]


def test_a_new_profile_passes_and_nothing_is_created(data_paths: DataPaths) -> None:
    assert check_before_open(data_paths) is False
    assert not data_paths.database.exists()


def test_a_database_from_a_newer_version_is_refused_untouched(data_paths: DataPaths) -> None:
    open_store(data_paths).close()
    connection = sqlite3.connect(data_paths.database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = data_paths.database.read_bytes()

    with pytest.raises(DatabaseNewerError, match="較新版本"):
        check_before_open(data_paths)

    assert data_paths.database.read_bytes() == before


def test_a_damaged_database_is_refused_untouched_naming_the_newest_backup(
    data_paths: DataPaths,
) -> None:
    store = open_store(data_paths)
    store.backup("manual")
    store.close()
    [backup] = [b for b in list_backups(data_paths) if b.reason == "manual"]
    damaged = b"not a database any more " * 200
    data_paths.database.write_bytes(damaged)

    with pytest.raises(DatabaseCorruptError) as caught:
        check_before_open(data_paths)

    assert caught.value.backup == backup.path
    assert data_paths.database.read_bytes() == damaged
