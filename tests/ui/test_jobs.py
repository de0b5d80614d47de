"""Long work off the UI thread: backing up from the window, cancelling, and reporting errors."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from schoolhr.errors import UserError
from schoolhr.paths import DataPaths
from schoolhr.progress import Progress
from schoolhr.store.backup import PAGES_PER_STEP, create_backup, list_backups
from schoolhr.store.sqlite_files import verify_database_file
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.main_window import MainWindow

FILE_COLUMN = 3  # 檔名 on the backups page


def backup_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def add_ballast(window: MainWindow, megabytes: int = 3) -> None:
    """Make the live database big enough for a backup to take several steps."""
    assert window.store is not None
    with window.store.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE test_ballast (data BLOB NOT NULL)")
        connection.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO test_ballast (data) SELECT randomblob(10000) FROM n",
            (megabytes * 100,),
        )


def test_backup_now_makes_a_verified_backup_that_home_and_backups_pages_show(
    qtbot: QtBot, window: MainWindow, data_paths: DataPaths
) -> None:
    assert list_backups(data_paths) == []
    assert window.backups_page.model.rowCount() == 0

    job = window.backup_now()
    assert isinstance(job, Job)
    with qtbot.waitSignal(job.succeeded, timeout=10_000) as blocker:
        pass

    backups = list_backups(data_paths)
    assert len(backups) == 1
    backup = backups[0]
    assert blocker.args[0].path == backup.path
    assert backup.reason == "manual"
    verify_database_file(backup.path)  # raises if the copy is not an intact database
    assert not list(data_paths.backups.glob("*.partial"))

    table = window.backups_page.table.model()
    assert table.rowCount() == 1
    assert table.index(0, FILE_COLUMN).data() == backup.path.name
    qtbot.waitUntil(lambda: "共 1 份" in window.home_page.backup_status.text(), timeout=10_000)
    assert "手動備份" in window.home_page.operations.text()
    assert backup.path.name in window.statusBar().currentMessage()


def test_cancelled_backup_leaves_no_file_behind(
    qtbot: QtBot, window: MainWindow, data_paths: DataPaths
) -> None:
    add_ballast(window)
    database_pages = data_paths.database.stat().st_size // 4096
    wal = data_paths.database.with_name(data_paths.database.name + "-wal")
    if wal.exists():
        database_pages += wal.stat().st_size // 4096
    assert database_pages > 2 * PAGES_PER_STEP, "the backup must take several steps"
    before = backup_files(data_paths.backups)

    started = threading.Event()
    proceed = threading.Event()

    def work(progress: Progress) -> object:
        def gated(done: int, total: int, text: str = "") -> None:
            if not started.is_set():
                started.set()
                proceed.wait(10)
            progress(done, total, text)

        return create_backup(data_paths, "manual", progress=gated)

    job = run_job(window, "備份", work)
    try:
        qtbot.waitUntil(started.is_set, timeout=10_000)
        # The progress dialog comes up for a job that takes a while; the user presses 取消.
        dialog = job.dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        cancel_button = dialog.findChild(QPushButton)
        assert cancel_button is not None and cancel_button.text() == "取消"
        with qtbot.waitSignal(job.cancelled, timeout=10_000):
            cancel_button.click()
            proceed.set()
    finally:
        proceed.set()

    assert backup_files(data_paths.backups) == before
    assert not list(data_paths.backups.glob("schoolhr-*.sqlite3"))
    assert not list(data_paths.backups.glob("*.partial"))
    assert job.dialog is None  # closed once the work stopped


def test_cancel_keeps_the_progress_dialog_up_saying_cancelling_until_the_work_stops(
    qtbot: QtBot, window: MainWindow
) -> None:
    proceed = threading.Event()

    def work(progress: Progress) -> object:
        proceed.wait(10)  # the work has not reached its next safe point yet
        progress(1, 2)
        return None

    job = run_job(window, "測試作業", work)
    try:
        dialog = job.dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        cancel_button = dialog.findChild(QPushButton)
        assert cancel_button is not None
        cancel_button.click()

        assert job.is_running()
        assert dialog.label.text() == "正在取消，請稍候…"
        assert dialog.isVisible()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc asks again; the dialog stays up
        assert dialog.isVisible()
    finally:
        with qtbot.waitSignal(job.cancelled, timeout=10_000):
            proceed.set()


def test_finished_job_says_it_is_not_running(qtbot: QtBot, window: MainWindow) -> None:
    job = run_job(window, "測試作業", lambda _progress: 42, quiet=True)
    with qtbot.waitSignal(job.succeeded, timeout=10_000) as blocker:
        pass
    assert blocker.args == [42]
    qtbot.wait(10)  # the event loop runs on, as in the app

    assert not job.is_running()
    assert job.wait(0)


def test_user_error_in_a_job_is_reported_in_a_message_box(qtbot: QtBot, window: MainWindow) -> None:
    def work(_progress: Progress) -> object:
        raise UserError("測試訊息")

    job = run_job(window, "測試作業", work)
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        pass

    assert blocker.args == ["測試訊息"]
    box = job.message_box
    assert box is not None
    assert box.text() == "測試訊息"
    assert box.windowTitle() == "測試作業"
    qtbot.waitUntil(box.isVisible, timeout=2000)
    box.close()
    assert not box.isVisible()


def test_unexpected_error_in_a_job_is_logged_and_the_message_points_to_the_log(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_work(_progress: Progress) -> object:
        raise RuntimeError("internal detail the clerk should not see")

    caplog.set_level(logging.ERROR, logger="schoolhr.ui.jobs")
    job = run_job(window, "測試作業", broken_work)
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        pass

    message = blocker.args[0]
    assert "記錄檔" in message
    assert "internal detail" not in message
    errors = [r for r in caplog.records if r.name == "schoolhr.ui.jobs" and r.exc_info]
    assert len(errors) == 1
    assert errors[0].exc_info is not None and errors[0].exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text and "broken_work" in caplog.text
    box = job.message_box
    assert box is not None and box.text() == message
    box.close()


def test_the_garbage_collector_pauses_while_a_job_runs(qtbot: QtBot) -> None:
    """A full collection over a big import's objects would freeze the window for a moment."""
    import gc

    seen: list[bool] = []
    job = run_job(None, "測試", lambda _progress: seen.append(gc.isenabled()), quiet=True)
    with qtbot.waitSignal(job.succeeded, timeout=10_000):
        pass
    assert seen == [False]
    assert gc.isenabled()
