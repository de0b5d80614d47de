"""A main window over the test's own data folder, closed with its store after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from schoolhr.paths import DataPaths
from schoolhr.startup import open_profile
from schoolhr.store.database import update_site
from schoolhr.ui.app import application, make_main_window
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.zoom import BASE_POINT_SIZE, style_sheet
from tests.helpers import TEST_CONTENT

TEST_SITE_NAME = "測試國小"


def reset_app_zoom(app: QApplication) -> None:
    """Put the shared QApplication back to the 100 % font and style sheet."""
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(style_sheet(BASE_POINT_SIZE))


@pytest.fixture
def window(
    qtbot: QtBot, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """The main window with its store open (and the small test content installed), not shown,
    the home page's database check done. The profile is one in use (it has a site name), so
    the first-run welcome is not shown."""
    monkeypatch.setattr("schoolhr.content.install.bundled_content_dir", lambda: TEST_CONTENT)
    app = application()
    store = open_profile(data_paths)
    update_site(store, name=TEST_SITE_NAME)
    built = make_main_window(app, data_paths)
    built.attach_store(store)
    assert built.store is not None
    with qtbot.waitSignal(built.home_page.refreshed, timeout=10_000):
        pass
    yield built
    assert wait_for_jobs(10_000), "a job was still running at the end of the test"
    QApplication.processEvents()  # deliver the finished jobs' signals while the window lives
    built.close()
    if built.store is not None:
        built.store.close()
    zoom = built.zoom
    built.deleteLater()
    zoom.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    reset_app_zoom(app)


@pytest.fixture
def shown_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The main window shown and active, so that its keyboard shortcuts fire offscreen."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # offscreen, a shown window is not active until asked
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


@pytest.fixture
def view_actions(window: MainWindow) -> dict[str, QAction]:
    """The actions of the 檢視 (View) menu by their text."""
    menus = [a.menu() for a in window.menuBar().actions() if a.text().startswith("檢視")]
    assert len(menus) == 1 and isinstance(menus[0], QMenu)
    return {a.text(): a for a in menus[0].actions() if not a.isSeparator()}
