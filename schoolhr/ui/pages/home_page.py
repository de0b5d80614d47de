"""The home page: what is true right now about this site, its database and its backups."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr import __version__
from schoolhr.doctor import DoctorReport, run_doctor
from schoolhr.store.database import Store
from schoolhr.text import human_size, roc_datetime
from schoolhr.ui.jobs import run_job
from schoolhr.ui.strings import role_label, unnamed_site


def _label(text: str = "", role: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    return label


class HomePage(QWidget):
    edit_site_requested = Signal()
    backup_requested = Signal()
    refreshed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.heading = _label(self.tr("首頁"), "heading")
        self.site_name = _label(role="subheading")
        self.site_role = _label()
        edit_site = QPushButton(self.tr("修改單位資料…"))
        edit_site.clicked.connect(self.edit_site_requested)
        self.health = _label(role="ok")
        self.health_detail = _label()
        self.backup_status = _label()
        backup_now = QPushButton(self.tr("立即備份"))
        backup_now.clicked.connect(self.backup_requested)
        self.operations = _label()
        self.version = _label(self.tr("程式版本：{0}").format(__version__))

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(
            self._section(self.tr("本單位"), self.site_name, self.site_role, edit_site)
        )
        layout.addWidget(self._section(self.tr("資料庫"), self.health, self.health_detail))
        layout.addWidget(self._section(self.tr("備份"), self.backup_status, backup_now))
        layout.addWidget(self._section(self.tr("最近的資料作業"), self.operations))
        layout.addWidget(self.version)
        layout.addStretch(1)
        self.refresh()

    def _section(self, title: str, *widgets: QWidget) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        box.addWidget(_label(title, "subheading"))
        row: QHBoxLayout | None = None
        for widget in widgets:
            if isinstance(widget, QPushButton):
                row = row or QHBoxLayout()
                row.addWidget(widget)
            else:
                box.addWidget(widget)
        if row is not None:
            row.addStretch(1)
            box.addLayout(row)
        return frame

    def refresh(self) -> None:
        site = self._store.site()
        self.site_name.setText(site.name or unnamed_site())
        self.site_role.setText(
            self.tr("角色：{0}　識別碼：{1}").format(role_label(site.role), site.site_uuid)
        )
        operations = self._store.recent_operations(5)
        self.operations.setText(
            "\n".join(f"{roc_datetime(op.at.astimezone())}　{op.summary}" for op in operations)
            or self.tr("還沒有任何資料作業。")
        )
        self.health.setText(self.tr("正在檢查資料庫…"))
        run_job(
            self,
            self.tr("檢查資料庫"),
            lambda _p: run_doctor(self._store.paths),
            self._show_report,
            quiet=True,
        )

    def _show_report(self, report: DoctorReport) -> None:
        if report.healthy:
            self.health.setText(self.tr("資料庫正常（完整性檢查通過）"))
            self.health.setProperty("role", "ok")
        else:
            self.health.setText(self.tr("資料庫有問題：") + "；".join(report.problems))
            self.health.setProperty("role", "problem")
        self.health.style().unpolish(self.health)
        self.health.style().polish(self.health)
        size = human_size(report.database_size or 0)
        self.health_detail.setText(
            self.tr("{0}（{1}，結構版本 {2}）").format(
                report.database, size, report.schema_revision or "—"
            )
        )
        if report.last_backup_at:
            taken = datetime.fromisoformat(report.last_backup_at)
            self.backup_status.setText(
                self.tr("最近一次備份：{0}（共 {1} 份，存放於 {2}）").format(
                    roc_datetime(taken), report.backup_count, self._store.paths.backups
                )
            )
        else:
            self.backup_status.setText(self.tr("還沒有備份。建議現在按「立即備份」。"))
        self.refreshed.emit()
