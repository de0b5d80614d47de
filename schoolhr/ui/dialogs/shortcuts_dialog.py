"""The keyboard-shortcut overlay (Shift+/, that is 「?」): every shortcut of the window's menus
and of the pages, large enough for a workshop audience to read on the projector."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from schoolhr.ui.models.rows import Column, RowsModel
from schoolhr.ui.widgets.buttons import close_box
from schoolhr.ui.widgets.fit import fit_to_screen
from schoolhr.ui.widgets.tables import rows_table

_MNEMONIC = re.compile(r"\(&\w\)")  # 「立即備份(&B)」: the Alt key letter, not part of the name


def page_shortcuts(widget: QWidget) -> list[tuple[str, str]]:
    """Shortcuts that live on the pages rather than in the menus (what the pages define)."""
    tr = widget.tr
    native = QKeySequence.SequenceFormat.NativeText
    print_keys = QKeySequence(QKeySequence.StandardKey.Print).toString(native)
    return [
        (tr("操作指引：簡報播放"), "F5"),
        (tr("操作指引：下一步／上一步"), "Ctrl+→ ／ Ctrl+←"),
        (tr("操作指引、檢核表：列印（預覽）"), print_keys),
        (tr("對話框：關閉"), "Esc"),
        (tr("在欄位間移動"), "Tab ／ Shift+Tab"),
    ]


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str]]:
    """(what, keys) of every visible menu action that has a shortcut, in menu order."""
    rows: list[tuple[str, str]] = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if not isinstance(action, QAction) or not action.isVisible():
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys:
                rows.append((_MNEMONIC.sub("", action.text()).replace("&", ""), " ／ ".join(keys)))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("鍵盤快速鍵"))
        rows = menu_shortcuts(window) + page_shortcuts(self)
        heading = QLabel(self.tr("鍵盤快速鍵（按 Esc 關閉）"))
        heading.setProperty("role", "heading")
        self.model: RowsModel[tuple[str, str]] = RowsModel(
            [
                Column(self.tr("功能"), lambda row: row[0]),
                Column(self.tr("按鍵"), lambda row: row[1], align=Qt.AlignmentFlag.AlignCenter),
            ],
            rows,
        )
        self.table = rows_table(self.model, self.tr("鍵盤快速鍵一覽"))
        self.table.resizeColumnsToContents()
        buttons = close_box(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 50, 30)

    def rows(self) -> list[tuple[str, str]]:
        return self.model.shown()
