"""Table model over the verified backups of a profile (newest first)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from schoolhr.paths import DataPaths
from schoolhr.store.backup import BackupInfo, list_backups
from schoolhr.text import human_size, roc_datetime

COL_TAKEN_AT, COL_REASON, COL_SIZE, COL_FILE = range(4)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # raw values, so dates and sizes sort correctly
BACKUP_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class BackupsModel(QAbstractTableModel):
    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self._paths = paths
        self._rows: list[BackupInfo] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = list_backups(self._paths)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("備份時間"), self.tr("原因"), self.tr("大小"), self.tr("檔名"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                roc_datetime(backup.taken_at),
                backup.reason_label,
                human_size(backup.size),
                backup.path.name,
            )[column]
        if role == SORT_ROLE:
            return (backup.taken_at.isoformat(), backup.reason, backup.size, backup.path.name)[
                column
            ]
        if role == BACKUP_ROLE:
            return backup
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
