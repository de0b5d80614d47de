"""The window is usable before its store is open: what needs the store waits for it, visibly,
and happens once it is open; nothing the clerk typed or pressed is lost.

The window is built with ``make_main_window`` and the store attached later, as ``run_gui``
does when the store has opened off the UI thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from schoolhr.contacts import service as contacts
from schoolhr.paths import DataPaths
from schoolhr.startup import open_profile
from schoolhr.store import backup as backups
from schoolhr.store.database import update_site
from schoolhr.ui.app import STARTUP_PROBE_ENV, application, make_main_window
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.faq_page import ENTRY_ROLE
from tests.helpers import TEST_CONTENT
from tests.ui.conftest import TEST_SITE_NAME, reset_app_zoom

REPO = Path(__file__).resolve().parents[2]
WAITING = "正在開啟資料庫…"


@pytest.fixture
def early(
    qtbot: QtBot, data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """A profile in use (a site name, the test content), its window shown before its store
    is attached (``attach`` below attaches it)."""
    monkeypatch.setattr("schoolhr.content.install.bundled_content_dir", lambda: TEST_CONTENT)
    store = open_profile(data_paths)
    update_site(store, name=TEST_SITE_NAME)
    store.close()
    window = make_main_window(application(), data_paths)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # a shown window is not active until asked (offscreen, Xvfb)
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    yield window
    assert wait_for_jobs(10_000), "a job was still running at the end of the test"
    QApplication.processEvents()
    window.close()
    if window.store is not None:
        window.store.close()
    zoom = window.zoom
    window.deleteLater()
    zoom.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    reset_app_zoom(application())


def attach(window: MainWindow) -> None:
    window.attach_store(open_profile(window.paths))


def waits_visibly(window: MainWindow) -> bool:
    cursor = QGuiApplication.overrideCursor()
    return (
        cursor is not None
        and cursor.shape() == Qt.CursorShape.BusyCursor
        and window.statusBar().currentMessage() == WAITING
    )


def test_every_action_and_button_is_enabled_before_the_store(early: MainWindow) -> None:
    assert early.store is None
    menus = [action.menu() for action in early.menuBar().actions()]
    actions = [a for menu in menus if menu is not None for a in menu.actions()]
    offered = [a for a in actions if a.isVisible() and not a.isSeparator()]
    assert offered and all(a.isEnabled() for a in offered)
    home, sync = early.home_page, early.sync_page
    buttons = [
        home.edit_site_button,
        home.backup_button,
        home.import_button,
        early.faq_page.not_found_button,
        early.guides_page.address_button,
        early.checklists_page.new_run_button,
        early.checklists_page.blank_button,
        early.contacts_page.import_button,
        early.contacts_page.export_button,
        early.contacts_page.new_button,
        early.contacts_page.save_button,
        early.rewards_page.add_button,
        sync.import_button,
        sync.import_folder_button,
        sync.export_data_button,
        sync.export_school_button,
        sync.trust_button,
        early.backups_page.backup_button,
    ]
    assert [b.text() for b in buttons if not b.isEnabled()] == []
    assert early.faq_page.search_box.isEnabled()
    assert QGuiApplication.overrideCursor() is None  # nothing pressed yet: no wait shown


def test_a_query_typed_before_the_store_is_kept_and_searched_once_it_opens(
    qtbot: QtBot, early: MainWindow
) -> None:
    early.find_in_faq()
    page = early.faq_page
    qtbot.waitUntil(page.search_box.hasFocus, timeout=2000)
    for char in "補休":
        page.search_box.insert(char)
    page.search_now()
    assert page.results.count() == 0
    assert waits_visibly(early)

    attach(early)

    assert page.search_box.text() == "補休"
    ids = [page.results.item(i).data(ENTRY_ROLE) for i in range(page.results.count())]
    assert ids and ids[0] == "overtime-compensatory-leave-expiry"
    assert QGuiApplication.overrideCursor() is None
    assert early.statusBar().currentMessage() != WAITING


def test_a_page_opened_before_the_store_waits_and_is_filled_once_it_opens(
    qtbot: QtBot, early: MainWindow
) -> None:
    row = early.page_keys().index("guides")
    rect = early.navigation.visualItemRect(early.navigation.item(row))
    qtbot.mouseClick(early.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert early.current_page() is early.guides_page
    assert early.guides_page.tree.topLevelItemCount() == 0
    assert waits_visibly(early)

    attach(early)

    assert early.current_page() is early.guides_page
    assert early.guides_page.tree.topLevelItemCount() > 0
    assert QGuiApplication.overrideCursor() is None


def test_backup_pressed_twice_before_the_store_is_taken_once_after_it_opens(
    qtbot: QtBot, early: MainWindow
) -> None:
    before = len(backups.list_backups(early.paths))
    qtbot.mouseClick(early.home_page.backup_button, Qt.MouseButton.LeftButton)
    early.backup_action.trigger()  # Ctrl+B, the same action: still one backup
    assert waits_visibly(early)
    assert len(backups.list_backups(early.paths)) == before

    with qtbot.waitSignal(early.backup_finished, timeout=20_000) as finished:
        attach(early)

    assert finished.args is not None
    [info] = finished.args
    manual = [b for b in backups.list_backups(early.paths) if b.reason == "manual"]
    assert [b.path for b in manual] == [info.path]


def test_a_contact_typed_and_saved_before_the_store_is_saved_once_it_opens(
    qtbot: QtBot, early: MainWindow
) -> None:
    early.show_page("contacts")
    page = early.contacts_page
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.name.setText("王小明")
    page.school.setText("初鹿國小")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert waits_visibly(early)

    attach(early)

    assert "已儲存" in page.status.text()
    assert early.store is not None
    with early.store.read() as session:
        [saved] = [v for v in contacts.list_contacts(session) if v.record.name == "王小明"]
    assert saved.record.school == "初鹿國小"


def test_a_file_dialog_asked_for_before_the_store_opens_once_it_is_open(
    qtbot: QtBot, early: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def choose(*_args: object, **_kwargs: object) -> tuple[str, str]:
        asked.append(early.store is not None)
        return "", ""  # the clerk cancels the dialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose))
    qtbot.mouseClick(early.home_page.import_button, Qt.MouseButton.LeftButton)  # 匯入交換檔
    assert early.current_page() is early.sync_page
    assert asked == [] and waits_visibly(early)

    attach(early)

    assert asked == [True]  # once, with the store open


def test_closing_the_window_while_it_waits_gives_the_cursor_back(early: MainWindow) -> None:
    early.backup_now()
    assert waits_visibly(early)
    early.close()
    assert QGuiApplication.overrideCursor() is None


def test_the_app_is_usable_before_sqlalchemy_loads_and_opens_its_store_after(
    data_paths: DataPaths,
) -> None:
    """The real start (``python -m schoolhr``): shown, then usable with SQLAlchemy not yet
    imported, then the store ready (the marks the start-up benchmark times)."""
    env = {**os.environ, STARTUP_PROBE_ENV: "1", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "schoolhr", "--data-dir", str(data_paths.root)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    events = [line.split()[0] for line in done.stdout.splitlines()]
    assert events == ["shown", "usable", "sqlalchemy-loaded", "ready"]
    assert "sqlalchemy-loaded 0" in done.stdout.splitlines()
