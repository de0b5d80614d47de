"""Reading and sorting the pages' tables as a clerk sees them (rows in the view's order)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot


def cell_text(table: QTableView, row: int, column: int) -> str:
    """What the table shows in a cell."""
    return str(table.model().index(row, column).data())


def column_texts(table: QTableView, column: int) -> list[str]:
    """What the table shows in a column, top to bottom."""
    return [cell_text(table, row, column) for row in range(table.model().rowCount())]


def click_header(qtbot: QtBot, table: QTableView, column: int) -> None:
    """A click on a column's header (the first sorts ascending, the next one descending)."""
    header = table.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
