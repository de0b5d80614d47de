"""Zoom: shortcuts and menu scale the application font, within 80–250 %, remembered per profile."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from schoolhr.paths import DataPaths
from schoolhr.ui.app import application
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.settings import open_settings
from schoolhr.ui.zoom import ZoomController

CTRL = Qt.KeyboardModifier.ControlModifier


def app_point_size() -> float:
    return QApplication.font().pointSizeF()


def test_window_starts_at_100_percent_with_the_10_point_font(window: MainWindow) -> None:
    assert window.zoom.percent == 100
    assert app_point_size() == 10.0
    assert window.zoom_label.text() == "縮放 100%"


def test_ctrl_equals_zooms_in_and_enlarges_the_font(qtbot: QtBot, shown_window: MainWindow) -> None:
    with qtbot.waitSignal(shown_window.zoom.changed, timeout=2000) as blocker:
        qtbot.keyClick(shown_window, Qt.Key.Key_Equal, CTRL)

    assert blocker.args == [110]
    assert shown_window.zoom.percent == 110
    assert app_point_size() == 11.0
    assert shown_window.zoom_label.text() == "縮放 110%"


def test_view_menu_zoom_in_action_enlarges_the_font(
    window: MainWindow, view_actions: dict[str, QAction]
) -> None:
    zoom_in = view_actions["放大(&I)"]
    assert "Ctrl+=" in [s.toString() for s in zoom_in.shortcuts()]

    zoom_in.trigger()

    assert window.zoom.percent == 110
    assert app_point_size() == 11.0


def test_ctrl_minus_zooms_out_and_ctrl_0_resets(qtbot: QtBot, shown_window: MainWindow) -> None:
    qtbot.keyClick(shown_window, Qt.Key.Key_Minus, CTRL)
    assert shown_window.zoom.percent == 90
    assert app_point_size() == 9.0

    qtbot.keyClick(shown_window, Qt.Key.Key_Minus, CTRL)
    assert shown_window.zoom.percent == 80
    assert app_point_size() == 8.0

    qtbot.keyClick(shown_window, Qt.Key.Key_0, CTRL)
    assert shown_window.zoom.percent == 100
    assert app_point_size() == 10.0


def test_zoom_in_stops_at_250_percent(qtbot: QtBot, window: MainWindow) -> None:
    for _ in range(9):  # 100 → 110 → … → 250 takes seven steps; two more must do nothing
        window.zoom.zoom_in()
    assert window.zoom.percent == 250
    assert app_point_size() == 25.0

    with qtbot.assertNotEmitted(window.zoom.changed):
        window.zoom.zoom_in()
    assert window.zoom.percent == 250
    assert app_point_size() == 25.0


def test_zoom_out_stops_at_80_percent(qtbot: QtBot, window: MainWindow) -> None:
    for _ in range(4):
        window.zoom.zoom_out()
    assert window.zoom.percent == 80
    assert app_point_size() == 8.0

    with qtbot.assertNotEmitted(window.zoom.changed):
        window.zoom.zoom_out()
    assert window.zoom.percent == 80


def test_zoom_200_is_written_to_settings_ini_and_restored_next_time(
    window: MainWindow, data_paths: DataPaths
) -> None:
    while window.zoom.percent < 200:
        window.zoom.zoom_in()
    assert window.zoom.percent == 200

    assert data_paths.settings_file.is_file()
    saved = QSettings(str(data_paths.settings_file), QSettings.Format.IniFormat)
    assert int(str(saved.value("ui/zoom"))) == 200

    window.zoom.reset()  # the running app back at 100 %, the file still says what was chosen
    assert app_point_size() == 10.0
    window.zoom.set_percent(200)

    restored = ZoomController(application(), open_settings(data_paths))
    try:
        assert restored.percent == 200
        assert app_point_size() == 20.0
    finally:
        restored.deleteLater()


def test_navigation_and_page_stay_visible_at_200_percent_in_a_1024x768_window(
    qtbot: QtBot, shown_window: MainWindow
) -> None:
    window = shown_window
    window.resize(1024, 768)
    window.zoom.set_percent(200)
    qtbot.waitUntil(lambda: window.size() == QSize(1024, 768), timeout=2000)
    assert app_point_size() == 20.0

    navigation = window.navigation
    assert not navigation.visibleRegion().isEmpty()
    assert navigation.width() < window.width() / 2  # the page keeps most of the width
    metrics = QFontMetrics(navigation.font())
    for title in window.page_titles():  # no navigation label is cut off
        assert metrics.horizontalAdvance(title) < navigation.viewport().width()

    for row in range(navigation.count()):
        navigation.setCurrentRow(row)
        scroll = window.pages.currentWidget()
        assert isinstance(scroll, QScrollArea)
        page = scroll.widget()
        qtbot.waitUntil(page.isVisible, timeout=2000)
        visible = page.visibleRegion().boundingRect()
        assert not visible.isEmpty()
        assert visible.width() >= scroll.viewport().width() * 0.9
        assert scroll.viewport().width() > 400  # room for the page at this size
