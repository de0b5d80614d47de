"""One table model for every list of rows the pages show: each column says its header, the
text a row shows in it and the raw value it sorts by (a date as a date, points as a number),
so a 民國 date sorts chronologically and 100 points after 10."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter  # numbers line up right
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a column's raw sort value


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: ``header`` (already translated, ``self.tr("日期")``), the ``text`` a row
    shows, the raw value it ``sort``s by (the text when not given; None sorts before any
    value), and optionally its alignment, tooltip, accessible text and bold rows."""

    header: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    align: Qt.AlignmentFlag | None = None
    tooltip: Callable[[T], str] | None = None
    accessible: Callable[[T], str] | None = None
    bold: Callable[[T], bool] | None = None

    def sort_value(self, row: T) -> Any:
        return self.text(row) if self.sort is None else self.sort(row)


def number_column(
    header: str, value: Callable[[T], Any], text: Callable[[Any], str] | None = None
) -> Column[T]:
    """A column of numbers, right-aligned and sorting by the number: ``text`` writes it (none
    for None, plain digits when not given)."""
    write = text or (lambda number: "" if number is None else str(number))
    return Column(header, lambda row: write(value(row)), value, align=NUMBER)


def sort_key(value: Any) -> tuple[Any, ...]:
    """None first (ascending), then the values in their own order."""
    return (0,) if value is None else (1, value)


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of ``T`` shown through ``columns``. Views show ``proxy`` (sorting by the columns'
    raw values, and filtering by ``set_filter``); ``row`` answers the object behind an index
    of either."""

    def __init__(self, columns: Sequence[Column[T]], rows: Iterable[T] = ()) -> None:
        super().__init__()
        self.columns = list(columns)
        self._rows: list[T] = list(rows)
        self.proxy = RowsProxy(self)

    # -- rows -----------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        """Every row, in the order given to ``set_rows``."""
        return list(self._rows)

    def row(self, index: int | QModelIndex) -> T:
        """The row at ``index``: a row number of this model, or an index of this model or of
        a proxy over it (a view's index, whatever its sorting and filter)."""
        if isinstance(index, int):
            return self._rows[index]
        return self._rows[self._source(index).row()]

    def shown(self) -> list[T]:
        """The rows the view shows, in its order (after sorting and the filter)."""
        return [self.row(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]

    def selected(self, view: QAbstractItemView) -> list[T]:
        """The rows selected in ``view``, top to bottom."""
        chosen = sorted(view.selectionModel().selectedRows(), key=lambda index: index.row())
        return [self.row(index) for index in chosen]

    def current(self, view: QAbstractItemView) -> T | None:
        """The row of ``view``'s current index, None when there is none."""
        index = view.currentIndex()
        return self.row(index) if index.isValid() else None

    def set_filter(self, accepts: Callable[[T], bool] | None) -> None:
        """Show only the rows ``accepts`` says yes to (all when None), without re-reading."""
        self.proxy.set_filter(accepts)

    def _source(self, index: QModelIndex) -> QModelIndex:
        source, model = index, index.model()
        while model is not self:
            if not isinstance(model, QAbstractProxyModel):
                raise ValueError("an index of another model")
            source = model.mapToSource(source)
            model = source.model()
        return source

    # -- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_value(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole and column.accessible is not None:
            return column.accessible(row)
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(row):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def sort_value(self, row: int, column: int) -> Any:
        return self.columns[column].sort_value(self._rows[row])


class RowsProxy(QSortFilterProxyModel):
    """What a view of a ``RowsModel`` shows: sorted by the columns' raw values (compared as
    Python values, so dates, numbers and None keep their order) and filtered by a predicate."""

    def __init__(self, source: RowsModel[Any]) -> None:
        super().__init__(source)
        self._rows_model = source
        self._accepts: Callable[[Any], bool] | None = None
        self.setSortRole(SORT_ROLE)
        self.setSourceModel(source)

    def set_filter(self, accepts: Callable[[Any], bool] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 on; invalidateRowsFilter before
            self.beginFilterChange()
            self._accepts = accepts
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._accepts = accepts
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._accepts is None:
            return True
        return bool(self._accepts(self._rows_model.row(source_row)))

    def lessThan(self, source_left: Index, source_right: Index) -> bool:
        model = self._rows_model
        left = sort_key(model.sort_value(source_left.row(), source_left.column()))
        right = sort_key(model.sort_value(source_right.row(), source_right.column()))
        return bool(left < right)
