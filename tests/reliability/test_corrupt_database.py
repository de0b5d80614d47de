"""A damaged database at start-up: copies of a real profile with bytes overwritten the ways
disks and USB sticks damage files are refused by ``quick_check`` before anything writes to
them; the newest backup that passes ``integrity_check`` is offered (the window asks, the
command line names the file and the command); restoring it moves the damaged file aside,
byte for byte as it was, with its write-ahead log, and never writes to it.

Figure: damaged copies detected at start-up, each offered the newest good backup, 0 written
to, each restored; and, for bytes flipped anywhere at random, how many hit the file's
structure (detected) and how many only changed stored values (which no check can see: SQLite
keeps no page checksums), with 0 start-ups that failed in any other way.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from schoolhr.cli import main
from schoolhr.contacts.records import ContactRecord
from schoolhr.contacts.service import save_contact
from schoolhr.errors import DatabaseCorruptError, ExitCode
from schoolhr.paths import DataPaths
from schoolhr.store import backup as backups
from schoolhr.store.database import open_store, restore_backup
from schoolhr.text import roc_datetime
from schoolhr.ui.app import application, make_main_window, open_store_in_background
from schoolhr.ui.jobs import wait_for_jobs
from tests.helpers import PAGE_SIZE, TEST_CONTENT, fill_operation_log, flip_bytes
from tests.reliability.support import SEED, Figures, content_digest, integrity_problems

DAMAGED_COPIES = 12
RANDOM_FLIPS = 12


def _state(paths: DataPaths) -> tuple[bytes, bytes]:
    """The damaged database's bytes and its write-ahead log's. A read-only look at a WAL-mode
    database may create an empty -wal and -shm beside it (SQLite's own doing): no data, so a
    missing log counts as an empty one."""
    wal = paths.database.with_name(paths.database.name + "-wal")
    return paths.database.read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> DataPaths:
    """A profile with data over many pages, an older backup, then more data and the newest
    backup; every test damages its own copy."""
    root = tmp_path_factory.mktemp("healthy") / "data"
    root.mkdir()
    paths = DataPaths(root)
    paths.backups.mkdir()
    shutil.copyfile(template_db, paths.database)
    fill_operation_log(paths.database)
    store = open_store(paths, daily_backup=False)
    try:
        with store.write() as session:
            for n in range(50):
                save_contact(session, ContactRecord(name=f"備份前{n}", school="桃源國小"))
        store.backup("manual")
        with store.write() as session:
            for n in range(50):
                save_contact(session, ContactRecord(name=f"最新{n}", school="桃源國小"))
        store.backup("manual")
    finally:
        store.close()
    return paths


def kept_aside(paths: DataPaths) -> list[Path]:
    return [
        p
        for p in paths.root.glob("schoolhr.sqlite3.corrupt-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]


def copy_of(healthy: DataPaths, root: Path) -> DataPaths:
    shutil.copytree(healthy.root, root)
    return DataPaths(root)


def overwrite_a_page(path: Path, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    page = rng.randrange(1, len(data) // PAGE_SIZE)
    data[page * PAGE_SIZE : (page + 1) * PAGE_SIZE] = rng.randbytes(PAGE_SIZE)
    path.write_bytes(bytes(data))


def cut_short(path: Path, rng: random.Random) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: rng.randrange(len(data) // 3, len(data) * 2 // 3)])


def zero_the_header(path: Path, _rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


def page_headers(path: Path, rng: random.Random) -> None:
    flip_bytes(path, seed=rng.randrange(1 << 30))


DAMAGE: list[Callable[[Path, random.Random], None]] = [
    page_headers,
    overwrite_a_page,
    cut_short,
    zero_the_header,
]


def test_damaged_copies_are_refused_at_start_up_untouched_and_restored_from_the_newest_backup(
    healthy: DataPaths, tmp_path: Path, figures: Figures
) -> None:
    rng = random.Random(f"{SEED}-damage")
    newest = backups.list_backups(healthy)[0]
    restored = 0
    for number in range(DAMAGED_COPIES):
        paths = copy_of(healthy, tmp_path / f"copy{number}")
        damage = DAMAGE[number % len(DAMAGE)]
        damage(paths.database, rng)
        before = _state(paths)

        with pytest.raises(DatabaseCorruptError) as caught:
            open_store(paths)
        error = caught.value
        assert error.backup is not None and error.backup.name == newest.path.name, damage
        assert f'schoolhr restore "{error.backup}"' in error.message
        assert _state(paths) == before, f"{damage.__name__}: the file was written"
        assert not any(p.name.endswith(".partial") for p in paths.backups.iterdir())

        kept = restore_backup(paths, error.backup)
        assert kept is not None and kept.name.startswith("schoolhr.sqlite3.corrupt-")
        assert kept.read_bytes() == before[0]  # moved aside, never written to
        assert content_digest(paths.database, skip=("operation_log",)) == content_digest(
            newest.path, skip=("operation_log",)
        )
        open_store(paths, daily_backup=False).close()
        assert integrity_problems(paths.database) == []
        restored += 1
    figures.add(
        f"corrupted database: {DAMAGED_COPIES} damaged copies ({len(DAMAGE)} kinds of damage), "
        f"{DAMAGED_COPIES} detected at start-up by quick_check, {DAMAGED_COPIES} offered the "
        f"newest good backup, 0 written to, {restored} restored with the damaged file kept aside"
    )


def test_bytes_flipped_anywhere_are_caught_when_they_break_the_structure(
    healthy: DataPaths, tmp_path: Path, figures: Figures
) -> None:
    rng = random.Random(f"{SEED}-flips")
    detected = values_only = 0
    for number in range(RANDOM_FLIPS):
        paths = copy_of(healthy, tmp_path / f"flip{number}")
        data = bytearray(paths.database.read_bytes())
        for offset in rng.sample(range(len(data)), 16):
            data[offset] ^= 1 << rng.randrange(8)
        paths.database.write_bytes(bytes(data))
        before = _state(paths)
        try:
            open_store(paths, daily_backup=False).close()
        except DatabaseCorruptError as exc:
            assert exc.backup is not None
            assert _state(paths) == before
            detected += 1
        else:
            values_only += 1
    figures.add(
        f"random bit flips ({RANDOM_FLIPS} copies, 16 bits each): {detected} broke the "
        f"structure and were refused at start-up untouched, {values_only} changed only stored "
        "values or unused space (SQLite keeps no page checksums: no check can see them); "
        "0 start-ups failed any other way"
    )


def test_without_a_good_backup_the_message_says_so_and_the_file_is_untouched(
    healthy: DataPaths, tmp_path: Path
) -> None:
    paths = copy_of(healthy, tmp_path / "copy")
    newest, older = backups.list_backups(paths)[:2]
    flip_bytes(newest.path, seed=7)  # the newest backup rotted on the disk too
    page_headers(paths.database, random.Random(1))
    with pytest.raises(DatabaseCorruptError) as caught:
        open_store(paths)
    assert caught.value.backup == older.path  # the older one that is still sound

    for info in backups.list_backups(paths):
        info.path.unlink()
    before = _state(paths)
    with pytest.raises(DatabaseCorruptError, match="找不到可用的備份") as caught:
        open_store(paths)
    assert caught.value.backup is None
    assert _state(paths) == before


def test_the_command_line_names_the_backup_and_the_restore_command(
    healthy: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = copy_of(healthy, tmp_path / "copy")
    newest = backups.list_backups(paths)[0]
    overwrite_a_page(paths.database, random.Random(3))
    before = paths.database.read_bytes()

    assert main(["--data-dir", str(paths.root), "backup"]) == ExitCode.DATABASE_DAMAGED
    err = capsys.readouterr().err
    assert newest.path.name in err and "schoolhr restore" in err
    assert paths.database.read_bytes() == before

    assert main(["--data-dir", str(paths.root), "restore", str(newest.path)]) == ExitCode.OK
    out = capsys.readouterr().out
    (kept,) = kept_aside(paths)
    assert str(kept) in out and kept.read_bytes() == before
    assert main(["--data-dir", str(paths.root), "backup"]) == ExitCode.OK


@pytest.fixture
def damaged(
    healthy: DataPaths, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> DataPaths:
    """The test's own data folder holding a damaged copy of the profile and its backups."""
    monkeypatch.setattr("schoolhr.content.install.bundled_content_dir", lambda: TEST_CONTENT)
    shutil.rmtree(data_paths.root)
    shutil.copytree(healthy.root, data_paths.root)
    page_headers(data_paths.database, random.Random(5))
    return data_paths


def _close(window: object) -> None:
    assert wait_for_jobs(20_000)
    QApplication.processEvents()
    window.close()  # type: ignore[attr-defined]
    if window.store is not None:  # type: ignore[attr-defined]
        window.store.close()  # type: ignore[attr-defined]
    window.deleteLater()  # type: ignore[attr-defined]
    window.zoom.deleteLater()  # type: ignore[attr-defined]


def test_the_window_offers_the_newest_good_backup_and_restores_it_on_yes(
    qtbot: QtBot, damaged: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = backups.list_backups(damaged)[0]
    before = damaged.database.read_bytes()
    asked: list[str] = []

    def answer_yes(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    window = make_main_window(application(), damaged)
    try:
        with qtbot.waitSignal(window.store_ready, timeout=20_000):
            open_store_in_background(window)
        assert window.store is not None
    finally:
        _close(window)
    assert len(asked) == 1 and asked[0].startswith("資料庫已損壞")
    assert roc_datetime(newest.taken_at) in asked[0] and "還原嗎" in asked[0]  # 民國, local
    (kept,) = kept_aside(damaged)
    assert kept.read_bytes() == before
    assert integrity_problems(damaged.database) == []


def test_the_window_closes_with_the_damage_exit_code_on_no_and_writes_nothing(
    qtbot: QtBot, damaged: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(damaged)
    shown: list[str] = []
    codes: list[int] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(str(a[2])))
    monkeypatch.setattr(QApplication, "exit", lambda code=0: codes.append(code))
    window = make_main_window(application(), damaged)
    try:
        open_store_in_background(window)
        qtbot.waitUntil(lambda: bool(codes), timeout=20_000)
    finally:
        _close(window)
    assert codes == [int(ExitCode.DATABASE_DAMAGED)]
    assert "schoolhr restore" in shown[0]
    assert _state(damaged) == before
    assert kept_aside(damaged) == []
