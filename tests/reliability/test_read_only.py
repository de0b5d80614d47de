"""A read-only database file, backups folder, logs folder or data folder gives a clear zh-TW
sentence and exit code 3, never "unexpected error"; doctor reports it. (The tests run as root,
who may write anyway, so "read-only" is what ``os.access`` says for the chosen path.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schoolhr.cli import main as cli
from schoolhr.doctor import run_doctor
from schoolhr.errors import DataDirError, ExitCode
from schoolhr.paths import DataPaths, read_only_problem
from schoolhr.store.database import open_store
from tests.reliability.support import Figures


@pytest.fixture
def profile(data_paths: DataPaths) -> DataPaths:
    open_store(data_paths).close()
    return data_paths


def read_only(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real = os.access

    def access(target: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(target)) == path:
            return False
        return real(target, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize(
    ("which", "label"),
    [
        ("database", "資料庫檔案"),
        ("backups", "備份資料夾"),
        ("logs", "記錄資料夾"),
    ],
)
def test_something_read_only_is_named_and_nothing_is_written(
    profile: DataPaths,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    which: str,
    label: str,
    figures: Figures,
) -> None:
    target = getattr(profile, which)
    before = profile.database.read_bytes()
    read_only(monkeypatch, target)
    assert read_only_problem(profile) is not None
    with pytest.raises(DataDirError, match=label):
        open_store(profile)
    for command in (["site", "--name", "松風國小"], ["backup"]):
        assert cli(["--data-dir", str(profile.root), *command]) == ExitCode.DATA_DIR
        err = capsys.readouterr().err
        assert f"{label}「{target}」是唯讀的" in err and "未預期" not in err
    report = run_doctor(profile)
    assert not report.healthy and any("唯讀" in p for p in report.problems)
    assert profile.database.read_bytes() == before
    assert [p.name for p in profile.backups.iterdir() if ".partial" in p.name] == []
    figures.add(
        f"read-only {label}: the window's open, site --name and backup refused with exit 3 and "
        "the sentence naming it, doctor reports it, 0 changes, 0 stray files"
    )


def test_a_database_made_read_only_while_open_is_a_sentence_not_a_bug(
    profile: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    store = open_store(profile)
    try:
        read_only(monkeypatch, profile.database)

        class _ReadOnly(Exception):
            def __str__(self) -> str:
                return "attempt to write a readonly database"

        with pytest.raises(DataDirError, match="唯讀"), store.write() as session:
            session.execute(text("SELECT 1"))
            raise OperationalError("UPDATE site", {}, _ReadOnly())
    finally:
        store.close()


def test_a_failed_backup_leaves_no_partial_file_nor_its_journal(
    profile: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schoolhr.errors import DiskFullError
    from schoolhr.store import backup as backups

    kept = sorted(p.name for p in profile.backups.iterdir())

    def fails_half_way(source: Path, target: Path, **_kwargs: object) -> None:
        target.write_bytes(b"SQLite format 3\x00 half a copy")
        Path(f"{target}-journal").write_bytes(b"journal")
        raise DiskFullError("磁碟空間不足")

    monkeypatch.setattr(backups, "copy_database", fails_half_way)
    with pytest.raises(DiskFullError):
        backups.create_backup(profile, "manual")
    assert sorted(p.name for p in profile.backups.iterdir()) == kept
