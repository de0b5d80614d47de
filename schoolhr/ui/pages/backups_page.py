"""Backups: take one now, see the verified ones, restore one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QPushButton,
    QWidget,
)

from schoolhr.paths import DataPaths
from schoolhr.progress import Progress
from schoolhr.store.backup import BackupInfo, list_backups
from schoolhr.text import human_size, roc_datetime
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.models.rows import Column, RowsModel, number_column
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.ask import confirmed
from schoolhr.ui.widgets.buttons import push_button
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.labels import wrapped
from schoolhr.ui.widgets.tables import rows_table


class BackupsPage(Page):
    key = "backups"
    shows = frozenset({changes.BACKUPS})

    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._ready = False
        intro = wrapped(
            self.tr(
                "每天第一次開啟時、更新資料庫結構前和匯入前都會自動備份；每份備份都已通過完整性檢查。"
                "還原時會先把目前的資料另存一份備份，不會遺失。"
            )
        )
        self.model: RowsModel[BackupInfo] = RowsModel(
            [
                Column(
                    self.tr("備份時間"), lambda b: roc_datetime(b.taken_at), lambda b: b.taken_at
                ),
                Column(self.tr("原因"), lambda b: b.reason_label, lambda b: b.reason),
                number_column(self.tr("大小"), lambda b: b.size, human_size),
                Column(self.tr("檔名"), lambda b: b.path.name),
            ],
            list_backups(paths),
        )
        self.table = rows_table(self.model, self.tr("備份清單"), single=True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.backup_button = QPushButton(self.tr("立即備份"))
        self.restore_button = push_button(self.tr("還原所選的備份…"), self.confirm_restore)
        open_folder = QPushButton(self.tr("開啟備份資料夾"))
        open_folder.clicked.connect(self.open_folder)

        buttons = flow_row(self.backup_button, self.restore_button, open_folder)
        self.arrange(intro, buttons, self.table, grow=self.table)
        self._update_buttons()

    def set_ready(self, ready: bool) -> None:
        """Backing up and restoring need the open store; until then they are disabled."""
        self._ready = ready
        self._update_buttons()

    def load(self) -> None:
        self.model.set_rows(list_backups(self._paths))
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        chosen = self.model.selected(self.table)
        return chosen[0] if chosen else None

    def _update_buttons(self) -> None:
        self.backup_button.setEnabled(self._ready)
        self.restore_button.setEnabled(self._ready and self.selected_backup() is not None)

    @needs_store
    def confirm_restore(self) -> None:
        backup = self.selected_backup()
        if backup is not None and confirmed(
            self,
            self.tr("還原備份"),
            self.tr(
                "要用 {0} 的備份（{1}）取代目前的資料嗎？\n目前的資料會先另存成一份備份。"
            ).format(roc_datetime(backup.taken_at), backup.reason_label),
        ):
            self.restore(backup)

    def restore(self, backup: BackupInfo) -> Job[Path | None]:
        def done(_safety: Path | None) -> None:
            self.show_status(self.tr("已還原 {0} 的備份。").format(roc_datetime(backup.taken_at)))
            self.refresh()
            self.data_changed.emit(frozenset({changes.EVERYTHING}))  # a new database

        def work(progress: Progress) -> Path | None:
            from schoolhr.store.database import restore_backup

            return restore_backup(self._paths, backup.path, progress)

        return run_job(self, self.tr("還原備份"), work, done)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.backups)))
