"""Read-only tables of whole rows, as the pages list entries, exchanges and conflicts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from schoolhr.ui.models.rows import RowsModel


def rows_table(
    model: RowsModel[Any], name: str, *, single: bool = False, stretch_last: bool = True
) -> QTableView:
    """A view of ``model`` (through its sorting proxy) selecting whole rows (one at a time with
    ``single``), columns sized to their contents and the last one stretched; a click on a
    header sorts by that column, and until then the rows keep the order they were given in."""
    table = QTableView()
    table.setAccessibleName(name)
    if model.parent() is None:
        model.setParent(table)
    table.setModel(model.proxy)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(stretch_last)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the given order until a click
    table.setSortingEnabled(True)
    return table
