"""Table model over contacts: display text per column, raw values for sorting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from schoolhr.text import roc_date

if TYPE_CHECKING:
    from schoolhr.contacts.service import ContactView

COLUMNS = (
    "name",
    "school",
    "region",
    "role",
    "years",
    "office_phone",
    "mobile",
    "email",
    "consent",
)
HEADERS = ("姓名", "學校", "區域", "職務", "年資", "公務電話", "手機", "電子郵件", "同意")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class ContactsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ContactView] = []

    def set_rows(self, rows: list[ContactView]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_view(self, row: int) -> ContactView:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._rows[index.row()]
        record = view.record
        column = COLUMNS[index.column()]
        if role == ID_ROLE:
            return view.id
        if column == "consent":
            raw: Any = record.consent_date.isoformat() if record.consent_date else ""
            shown = roc_date(record.consent_date) if record.consent_date else self.tr("未同意")
        elif column == "years":
            raw = record.years if record.years is not None else -1
            shown = "" if record.years is None else str(record.years)
        else:
            raw = shown = str(getattr(record, column) or "")
        if role == Qt.ItemDataRole.DisplayRole:
            return shown
        if role == SORT_ROLE:
            return raw
        return None
