"""Starting the Qt application: one instance per data folder, zoom, the main window."""

from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from schoolhr import APP_ID, APP_NAME, __version__
from schoolhr.doctor import run_doctor
from schoolhr.errors import ExitCode, UserError
from schoolhr.paths import DataPaths
from schoolhr.store.database import open_store
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.settings import open_settings
from schoolhr.ui.single_instance import SingleInstance
from schoolhr.ui.zoom import ZoomController

log = logging.getLogger(__name__)

# Set by tests/benchmarks/bench_startup.py: quit as soon as the window has been shown.
QUIT_AFTER_SHOW_ENV = "SCHOOLHR_QUIT_AFTER_SHOW"


def application() -> QApplication:
    """The QApplication, created once with the app's names and a remote-friendly style."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(APP_ID)
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName(APP_NAME)
    app.setStyle("Fusion")  # the same look on every Windows version; no animations
    for effect in (
        Qt.UIEffect.UI_AnimateMenu,
        Qt.UIEffect.UI_AnimateCombo,
        Qt.UIEffect.UI_AnimateTooltip,
        Qt.UIEffect.UI_FadeMenu,
        Qt.UIEffect.UI_FadeTooltip,
    ):
        app.setEffectEnabled(effect, False)
    return app


def build_main_window(app: QApplication, paths: DataPaths) -> MainWindow:
    """Open the profile's store and make the main window over it (not shown yet)."""
    settings = open_settings(paths)
    zoom = ZoomController(app, settings)
    store = open_store(paths)
    return MainWindow(store, settings, zoom)


def run_gui(paths: DataPaths) -> int:
    app = application()
    instance = SingleInstance(paths)
    if not instance.acquire():
        print(f"{APP_NAME}已經開啟（資料夾 {paths.root}），已切換到原本的視窗。", file=sys.stderr)
        return int(ExitCode.OK)
    try:
        try:
            window = build_main_window(app, paths)
        except UserError as exc:
            log.warning("cannot open: %s", exc.message)
            QMessageBox.critical(None, APP_NAME, exc.message)
            return int(exc.exit_code)
        sys.excepthook = _report_unexpected
        instance.activation_requested.connect(window.bring_to_front)
        window.show()
        if os.environ.get(QUIT_AFTER_SHOW_ENV):
            QTimer.singleShot(0, app.quit)
        code = app.exec()
        wait_for_jobs()
        window.store.close()
        return code
    finally:
        instance.release()


def self_test(paths: DataPaths) -> int:
    """Open and close the main window offscreen and check the database (installer smoke test)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    window = build_main_window(app, paths)
    try:
        window.show()
        app.processEvents()
        shown = window.isVisible() and len(window.page_titles()) > 0
        wait_for_jobs()
        app.processEvents()
        window.close()
        app.processEvents()
    finally:
        window.store.close()
    report = run_doctor(paths)
    print(f"主視窗：{'正常開啟與關閉' if shown else '無法顯示'}")
    print(report.to_text())
    if not shown:
        return int(ExitCode.INTERNAL)
    return int(ExitCode.OK if report.healthy else ExitCode.UNHEALTHY)


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
