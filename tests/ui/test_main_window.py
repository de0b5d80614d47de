"""The main window: title, navigation, page shortcuts and what the home page shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from schoolhr import APP_NAME
from schoolhr.paths import DataPaths
from schoolhr.store.database import update_site
from schoolhr.ui.app import application, make_main_window, open_store_in_background
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from tests.ui.conftest import TEST_SITE_NAME

CTRL = Qt.KeyboardModifier.ControlModifier


def test_window_opens_with_the_app_name_in_its_title_and_both_pages(
    shown_window: MainWindow,
) -> None:
    window = shown_window

    assert "學校人事小幫手" in window.windowTitle()
    assert window.page_titles() == [
        "首頁",
        "常見問答",
        "操作指引",
        "檢核表",
        "安心培力小群組",
        "積點獎勵",
        "交換檔",
        "備份與還原",
    ]
    assert window.current_page() is window.home_page
    assert window.home_page.isVisible()


def test_clicking_a_navigation_row_shows_its_page(qtbot: QtBot, shown_window: MainWindow) -> None:
    window = shown_window
    navigation = window.navigation
    row_rect = navigation.visualItemRect(navigation.item(7))

    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center())

    assert navigation.currentRow() == 7
    assert window.current_page() is window.backups_page
    assert window.backups_page.isVisible()
    assert not window.home_page.isVisible()


def test_show_page_by_key_selects_its_navigation_row(window: MainWindow) -> None:
    window.show_page("backups")

    assert window.navigation.currentRow() == 7
    assert window.current_page() is window.backups_page


def test_ctrl_8_shows_the_backups_page(qtbot: QtBot, shown_window: MainWindow) -> None:
    action = shown_window.page_action("backups")
    assert action.shortcut().toString() == "Ctrl+8"

    with qtbot.waitSignal(action.triggered, timeout=2000):  # the shortcut itself does fire
        qtbot.keyClick(shown_window, Qt.Key.Key_8, CTRL)

    assert shown_window.current_page() is shown_window.backups_page


def test_view_menu_page_action_shows_its_page(
    window: MainWindow, view_actions: dict[str, QAction]
) -> None:
    action = window.page_action("backups")
    assert view_actions[action.text()] is action and action.text() == "備份與還原"
    action.trigger()

    assert window.current_page() is window.backups_page


def test_ctrl_1_returns_to_the_home_page(qtbot: QtBot, shown_window: MainWindow) -> None:
    window = shown_window
    window.navigation.setCurrentRow(7)
    assert window.current_page() is window.backups_page
    action = window.page_action("home")
    assert action.shortcut().toString() == "Ctrl+1"

    with qtbot.waitSignal(action.triggered, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_1, CTRL)

    assert window.current_page() is window.home_page


def test_home_page_and_title_show_the_site_name_after_it_is_set(window: MainWindow) -> None:
    assert window.windowTitle() == f"{TEST_SITE_NAME} — {APP_NAME}"
    assert window.home_page.site_name.text() == TEST_SITE_NAME
    assert window.store is not None

    update_site(window.store, name="  測試   國小 ")
    window.refresh()

    assert window.home_page.site_name.text() == "測試 國小"
    assert window.windowTitle() == f"測試 國小 — {APP_NAME}"


def test_the_home_page_names_the_database_only_when_its_check_finds_a_problem(
    qtbot: QtBot, window: MainWindow, data_paths: DataPaths
) -> None:
    home = window.home_page
    with qtbot.waitSignal(home.refreshed, timeout=10_000):
        window.refresh()

    assert not home.health.isVisibleTo(home)
    assert not home.helpdesk_hint.isVisibleTo(home)
    shown = [label.text() for label in home.findChildren(QLabel) if label.isVisibleTo(home)]
    assert not any(str(data_paths.database) in text for text in shown)
    assert window.store is not None
    site_id = window.store.site().site_uuid
    assert not any(site_id in text or "識別碼" in text or "內容版本" in text for text in shown)


def test_window_shown_before_the_store_opens_has_writing_enabled_and_it_waits_for_the_store(
    qtbot: QtBot, data_paths: DataPaths
) -> None:
    window = make_main_window(application(), data_paths)
    try:
        assert window.store is None
        assert window.home_page.site_name.text() == "正在開啟資料庫…"
        assert window.backup_action.isEnabled()
        assert window.home_page.backup_button.isEnabled()
        assert window.backups_page.backup_button.isEnabled()
        assert window.backup_now() is None  # waits for the store (see test_before_the_store)

        with (
            qtbot.waitSignal(window.store_ready, timeout=10_000),
            qtbot.waitSignal(window.backup_finished, timeout=20_000),
        ):
            open_store_in_background(window)

        assert window.store is not None
        assert window.backup_action.isEnabled()
        assert window.home_page.backup_button.isEnabled()
        assert window.backups_page.backup_button.isEnabled()
        assert window.home_page.site_name.text() == "（尚未設定校名）"
        assert window.welcome_dialog is not None  # a new profile: the first-run welcome
        window.welcome_dialog.reject()
    finally:
        assert wait_for_jobs(10_000)
        QApplication.processEvents()
        window.close()
        if window.store is not None:
            window.store.close()
        window.deleteLater()
        window.zoom.deleteLater()


def test_every_page_comes_from_the_registry_with_its_heading_and_ctrl_key(
    window: MainWindow,
) -> None:
    from schoolhr.ui.pages.registry import PAGES, Role

    for number, entry in enumerate(PAGES, 1):
        page = window.page(entry.key)
        assert page.key == entry.key and page.heading.text() == entry.title()
        assert window.page_action(entry.key).shortcut().toString() == f"Ctrl+{number}"
        window.show_page(entry.key)
        assert window.current_key() == entry.key and window.current_page() is page
    assert window.page_keys() == [e.key for e in PAGES if e.role is Role.EVERY_SITE]
