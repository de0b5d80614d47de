"""Starting the Qt application: one instance per data folder, zoom, the main window."""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from schoolhr import APP_ID, APP_NAME, __version__
from schoolhr.display import NO_DISPLAY_MESSAGE
from schoolhr.errors import DatabaseCorruptError, ExitCode, UserError
from schoolhr.paths import DataPaths
from schoolhr.progress import Progress
from schoolhr.temporary import remove_leftovers
from schoolhr.text import roc_datetime
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.settings import open_settings
from schoolhr.ui.single_instance import SingleInstance
from schoolhr.ui.zoom import ZoomController

if TYPE_CHECKING:
    from schoolhr.store.checks import BackgroundCheck
    from schoolhr.store.database import Store
    from schoolhr.ui.jobs import Job

log = logging.getLogger(__name__)

STARTUP_PROBE_ENV = "SCHOOLHR_STARTUP_PROBE"  # set by tests/benchmarks/bench_startup.py


def application() -> QApplication:
    """The QApplication, created once with the app's names and a remote-friendly style."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(APP_ID)
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    # Qt aborts the process when no platform plugin can start (no display): say it in zh-TW
    previous = qInstallMessageHandler(_while_starting_qt)
    try:
        app = QApplication(sys.argv[:1])
    finally:
        qInstallMessageHandler(previous)
    app.setApplicationDisplayName(APP_NAME)
    app.setStyle("Fusion")  # the same look on every Windows version; no animations
    _install_qt_translations(app)
    for effect in (
        Qt.UIEffect.UI_AnimateMenu,
        Qt.UIEffect.UI_AnimateCombo,
        Qt.UIEffect.UI_AnimateTooltip,
        Qt.UIEffect.UI_FadeMenu,
        Qt.UIEffect.UI_FadeTooltip,
    ):
        app.setEffectEnabled(effect, False)
    return app


def _while_starting_qt(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages while the application starts: to the log; a fatal one (no platform
    plugin could start, for a display that went away) ends with the zh-TW sentence and
    ``ExitCode.NO_DISPLAY`` instead of Qt's abort."""
    if kind != QtMsgType.QtFatalMsg:
        log.warning("Qt: %s", message)
        return
    log.error("Qt could not start: %s", message)
    print(NO_DISPLAY_MESSAGE, file=sys.stderr, flush=True)
    logging.shutdown()
    os._exit(int(ExitCode.NO_DISPLAY))


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own zh-TW strings (standard buttons such as 關閉, 儲存, 取消, 是, 否), shipped
    with PySide6. The app's own strings are written in zh-TW already."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan), "qtbase", "_", folder
    ):
        app.installTranslator(translator)
    else:
        log.warning("Qt's zh-TW translations were not found in %s", folder)


def make_main_window(app: QApplication, paths: DataPaths) -> MainWindow:
    """The main window, before its store is open (cheap: no SQLAlchemy yet)."""
    settings = open_settings(paths)
    return MainWindow(paths, settings, ZoomController(app, settings))


def build_main_window(app: QApplication, paths: DataPaths) -> MainWindow:
    """The main window with its store opened synchronously (tests, self-test)."""
    from schoolhr.startup import open_profile

    window = make_main_window(app, paths)
    window.attach_store(open_profile(paths))
    return window


def open_store_in_background(window: MainWindow, *, checked: bool = False) -> Job[Store]:
    """Open the profile off the UI thread (migrating and backing up if needed, bringing the
    bundled content up to date), then attach its store. ``checked``: ``check_profile`` has
    passed just before (it is not run twice).

    If it cannot be opened (a database from a newer version, a damaged file) the user reads
    why and the app closes with that error's exit code, leaving the database untouched. A
    damaged database with a good backup is the exception: the user is offered that backup
    (``offer_restore``).
    """

    from schoolhr.ui.jobs import Job

    def work(_progress: Progress) -> Store:
        from schoolhr.startup import open_profile

        return open_profile(window.paths, checked=checked)

    job = Job(window, window.tr("開啟資料庫"), work, quiet=True)
    job.succeeded.connect(window.attach_store)
    job.failed.connect(lambda message: _on_open_failed(window, message, job.error))
    return job.start()


def check_profile(paths: DataPaths, started: BackgroundCheck | None = None) -> UserError | None:
    """The checks made before the window shows, with plain sqlite3 (no SQLAlchemy): why this
    profile's database cannot be opened (read-only, damaged, from a newer version), or None.
    ``started``: the same checks, already running in a thread (``cli`` starts them before Qt
    loads)."""
    from schoolhr.store.checks import BackgroundCheck

    problem = (started or BackgroundCheck(paths)).problem()
    if problem is not None:
        log.warning("%s before the window: %s", type(problem).__name__, problem.message)
    return problem


def _on_open_failed(window: MainWindow, message: str, error: BaseException | None) -> None:
    window.end_wait_cursor()
    if isinstance(error, DatabaseCorruptError) and error.backup is not None:
        offer_restore(window, error)
        return
    _refuse_to_run(window, message, error)


def offer_restore(window: MainWindow, error: DatabaseCorruptError) -> Job[Store] | None:
    """Ask whether to restore the newest good backup in place of the damaged database. Yes:
    the damaged file is moved aside (kept, never written to), the backup restored and the
    profile opened, off the UI thread. No: the app closes as for any other refusal."""
    assert error.backup is not None
    when = roc_datetime(error.backup_taken_at) if error.backup_taken_at else ""
    question = window.tr(
        "資料庫已損壞，無法開啟。要用最新的正常備份（{0}，{1}）還原嗎？\n\n"
        "損壞的檔案會改名保留在資料夾中，不會刪除；備份之後的變更需要重新輸入。"
    ).format(when, error.backup.name)
    answer = QMessageBox.question(
        window,
        APP_NAME,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        _refuse_to_run(window, error.message, error)
        return None
    backup = error.backup
    from schoolhr.ui.jobs import Job

    def work(progress: Progress) -> Store:
        from schoolhr.startup import open_profile
        from schoolhr.store.database import restore_backup

        kept = restore_backup(window.paths, backup, progress)
        log.warning("restored %s at start-up; the damaged database is kept as %s", backup, kept)
        return open_profile(window.paths)

    job = Job(window, window.tr("由備份還原資料庫"), work, quiet=True)
    job.succeeded.connect(window.attach_store)
    job.failed.connect(lambda message: _refuse_to_run(window, message, job.error))
    return job.start()


def _refuse_to_run(window: MainWindow, message: str, error: BaseException | None) -> None:
    QMessageBox.critical(window, APP_NAME, message)
    code = error.exit_code if isinstance(error, UserError) else ExitCode.INTERNAL
    QApplication.exit(int(code))


def run_gui(paths: DataPaths, checks: BackgroundCheck | None = None) -> int:
    """The window: the quick checks (plain sqlite3; ``checks`` when they were started
    already), the window shown and usable, and only then, off the UI thread, the store
    (SQLAlchemy, migrations, bundled content)."""
    app = application()
    instance = SingleInstance(paths)
    if not instance.acquire(listen=False):  # the server answers later starts once shown
        print(f"{APP_NAME}已經開啟（資料夾 {paths.root}），已切換到原本的視窗。", file=sys.stderr)
        return int(ExitCode.OK)
    try:
        # print-preview PDFs a crash left behind hold names and answers: gone before anything
        remove_leftovers(paths)
        problem = check_profile(paths, checks)
        window = make_main_window(app, paths)
        sys.excepthook = _report_unexpected
        instance.activation_requested.connect(window.bring_to_front)
        window.store_ready.connect(_settle_memory)
        window.show()
        probe = _quit_for_benchmark(app, window)

        def after_show() -> None:
            probe("usable")  # shown, every action enabled, taking input; no SQLAlchemy yet
            instance.listen()
            if problem is not None:
                _on_open_failed(window, problem.message, problem)
            else:
                open_store_in_background(window, checked=True)

        QTimer.singleShot(0, after_show)
        code = app.exec()
        from schoolhr.ui.jobs import wait_for_jobs

        wait_for_jobs()
        if window.store is not None:
            window.store.close()
        return code
    finally:
        instance.release()
        gc.enable()  # held off by ``cli`` while starting; on again however the window ended


def _settle_memory() -> None:
    """The store is open: what start-up made (Qt's wrappers, SQLAlchemy's classes, the
    content) lives as long as the app, so the garbage collector leaves it out of its sweeps
    from now on (``gc.freeze``), and collects again (``cli`` holds it off while starting).
    No full collection first: it would hold the UI thread for over 100 ms, for the little
    garbage importing leaves. Once: a store opened again (a demo reset) changes nothing."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def _quit_for_benchmark(app: QApplication, window: MainWindow) -> Callable[[str], None]:
    """tests/benchmarks/bench_startup.py: print when the window is shown, when it is usable
    (shown and taking input, with whether SQLAlchemy is loaded yet) and when its store is
    ready (wall-clock seconds, compared with the benchmark's own clock), then quit. Returns
    the function that prints a mark (doing nothing without SCHOOLHR_STARTUP_PROBE)."""
    if not os.environ.get(STARTUP_PROBE_ENV):
        return lambda _event: None

    def mark(event: str) -> None:
        print(f"{event} {time.time():.6f}", flush=True)
        if event == "usable":
            print(f"sqlalchemy-loaded {int('sqlalchemy' in sys.modules)}", flush=True)

    def ready() -> None:
        mark("ready")
        app.quit()

    QTimer.singleShot(0, lambda: mark("shown"))
    window.store_ready.connect(ready)
    return mark


def _report_unexpected(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """A bug in a slot: log the traceback, tell the user one sentence, keep running."""
    log.error("unexpected error", exc_info=(kind, value, tb))
    if isinstance(value, UserError):
        QMessageBox.warning(None, APP_NAME, value.message)
        return
    QMessageBox.critical(
        None, APP_NAME, "發生未預期的錯誤，資料未變更；詳細內容已寫入記錄檔，請洽縣市人事處。"
    )
