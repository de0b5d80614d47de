"""The About dialog shows the diagnostics a help desk needs and copies them to the clipboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from schoolhr.paths import DataPaths
from schoolhr.ui.main_window import MainWindow


def test_about_dialog_shows_integrity_check_and_the_data_folder(
    qtbot: QtBot, window: MainWindow, data_paths: DataPaths
) -> None:
    dialog = window.show_about()
    qtbot.waitExposed(dialog)

    text = dialog.text.toPlainText()
    assert "完整性檢查：通過" in text
    assert str(data_paths.root) in text
    assert dialog.text.isReadOnly()
    dialog.reject()


def test_copy_button_puts_the_diagnostics_on_the_clipboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    QGuiApplication.clipboard().setText("something else")
    dialog = window.show_about()
    qtbot.waitExposed(dialog)

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    assert QGuiApplication.clipboard().text() == dialog.text.toPlainText()
    assert "完整性檢查" in QGuiApplication.clipboard().text()
    assert dialog.copied.text() == "已複製到剪貼簿。"
    dialog.reject()


def test_escape_closes_the_about_dialog(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.show_about()
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()

    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert not dialog.isVisible()
