"""The help-desk panel, high contrast, presentation mode and the shortcut overlay."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from schoolhr.paths import DataPaths
from schoolhr.ui.app import application
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import PRESENTATION_ZOOM, MainWindow
from schoolhr.ui.settings import open_settings
from schoolhr.ui.zoom import ZoomController


def test_the_help_desk_panel_shows_copies_and_saves_the_diagnostics(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.show_page("guides")
    dialog = window.show_helpdesk()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    text = dialog.text.toPlainText()
    assert __import__("schoolhr").__version__ in text
    assert str(window.paths.root.name) in text
    dialog.copy_text()
    assert QGuiApplication.clipboard().text() == text
    job = dialog.save_zip_to(tmp_path / "diag.zip")
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    with zipfile.ZipFile(tmp_path / "diag.zip") as archive:
        blobs = [archive.read(name) for name in archive.namelist()]
    assert blobs and not any(b"SQLite format 3" in blob for blob in blobs)
    dialog.close()


def test_the_help_desk_panel_names_the_guide_and_step_the_clerk_has_open(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.guides_page
    window.show_page("guides")
    first = next(iter(page._guides))
    page.show_guide(first)
    state = window.open_guide_state()
    assert state is not None and state[0] == page._guides[first].title
    assert state[1].startswith("第 1／")


def test_high_contrast_is_applied_and_remembered(
    qtbot: QtBot, window: MainWindow, data_paths: DataPaths
) -> None:
    app = application()
    window.contrast_action.trigger()
    assert window.zoom.high_contrast
    assert app.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert "#ffff00" in app.styleSheet()
    remembered = ZoomController(app, open_settings(data_paths))
    assert remembered.high_contrast
    window.contrast_action.trigger()
    assert app.palette().color(QPalette.ColorRole.Window).name() != "#000000"


def test_presentation_mode_enlarges_goes_full_screen_and_gives_back_the_zoom(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    before = window.zoom.percent
    window.presentation_action.trigger()
    assert window.presenting and window.isFullScreen()
    assert window.zoom.percent >= PRESENTATION_ZOOM
    window.presentation_action.trigger()
    assert not window.presenting and not window.isFullScreen()
    assert window.zoom.percent == before


def test_the_shortcut_overlay_lists_the_menus_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    rows = dict(dialog.rows())
    assert rows["支援資訊（遠端協助）…"] == "Ctrl+Shift+H"
    assert rows["搜尋常見問答"] == "Ctrl+F"
    assert "簡報模式（全螢幕、放大）" in rows
    assert any(keys == "?" for keys in rows.values())
    dialog.close()
    QApplication.processEvents()


def test_the_county_sees_its_own_work_on_the_home_page(qtbot: QtBot, window: MainWindow) -> None:
    from schoolhr.faq.unanswered import record_unanswered
    from schoolhr.store.database import update_site

    assert window.store is not None
    record_unanswered(window.store, "代理教師可以請婚假嗎")
    update_site(window.store, role="county")
    window.refresh()
    home = window.home_page
    assert home.county_section.isVisibleTo(home)
    assert "未解答問題 1 則" in home.county_summary.text()
    assert "代理教師可以請婚假嗎" in home.county_questions.text()
    home.county_buttons[0].click()
    assert window.current_page() is window.unanswered_page
    update_site(window.store, role="school")
    window.refresh()
    assert not home.county_section.isVisibleTo(home)


def test_closing_during_a_presentation_keeps_the_trainers_own_zoom(
    qtbot: QtBot, window: MainWindow, data_paths: DataPaths
) -> None:
    before = window.zoom.percent
    window.presentation_action.trigger()
    window.close()
    assert ZoomController(application(), open_settings(data_paths)).percent == before


def test_the_demo_profile_is_marked_and_reset_from_the_menu(qtbot: QtBot, tmp_path: Path) -> None:
    from schoolhr.contacts import service as contacts
    from schoolhr.contacts.records import ContactRecord
    from schoolhr.demo import build_demo
    from schoolhr.paths import prepare_data_dir
    from schoolhr.ui.app import build_main_window

    paths = prepare_data_dir(tmp_path / "demo")
    build_demo(paths, reset=False)
    window = build_main_window(application(), paths)
    try:
        assert window.demo and window.demo_label.isVisibleTo(window)
        assert window.welcome_dialog is None  # the demo is never a first run
        assert window.windowTitle().startswith("【示範模式】")
        assert window.reset_demo_action.isVisible()
        assert window.store is not None
        with window.store.write() as session:
            contacts.save_contact(session, ContactRecord(name="研習學員", school="練習國小"))
        job = window.reset_demo()
        assert job is not None
        qtbot.waitUntil(lambda: window.store is not None, timeout=60_000)
        with window.store.read() as session:
            names = {v.record.name for v in contacts.list_contacts(session)}
        assert "研習學員" not in names and len(names) >= 60
    finally:
        assert wait_for_jobs(60_000)
        QApplication.processEvents()
        window.close()
        if window.store is not None:
            window.store.close()


def test_a_real_profile_has_no_demo_marker_or_reset(window: MainWindow) -> None:
    assert not window.demo and not window.demo_label.isVisibleTo(window)
    assert not window.reset_demo_action.isVisible()
    assert window.reset_demo() is None
