"""The help-desk panel (Ctrl+Shift+H): everything a supporter on a remote desktop needs on one
screen, a button that copies it as text for a ticket, and one that saves the diagnostic zip
(logs, versions, the doctor's report; no personal data, no database)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QPlainTextEdit, QVBoxLayout, QWidget

from schoolhr.paths import DataPaths
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.widgets.buttons import close_box, push_button
from schoolhr.ui.widgets.fit import fit_to_screen
from schoolhr.ui.widgets.labels import wrapped

if TYPE_CHECKING:
    from schoolhr.store.database import Store
    from schoolhr.support.diagnostics import DiagnosticsResult
    from schoolhr.support.report import SupportReport


class HelpDeskDialog(QDialog):
    """Gathers the report off the UI thread (it runs the integrity check) and shows it."""

    def __init__(
        self,
        paths: DataPaths,
        store: Store | None,
        open_guide: tuple[str, str] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("支援資訊（遠端協助）"))
        self._paths, self._store, self._open_guide = paths, store, open_guide
        self.report: SupportReport | None = None
        intro = wrapped(
            self.tr(
                "協助人員需要的資訊都在這裡；個人資料（姓名、電話、電子郵件、身分證字號）已遮蔽。"
                "可複製成文字貼到問題回報，或存成診斷檔附上（不含資料庫與個人資料）。"
            )
        )
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("支援資訊內容"))
        self.text.setPlainText(self.tr("正在收集資訊並檢查資料庫…"))
        self.copy_button = push_button(self.tr("複製全部文字(&C)"), self.copy_text)
        self.save_button = push_button(self.tr("儲存診斷檔(&S)…"), self.save_zip)
        self.refresh_button = push_button(self.tr("重新整理(&R)"), self.gather)
        buttons = close_box(self, self.copy_button, self.save_button, self.refresh_button)
        self.status = wrapped()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        # readable at 1024x768: large, never larger than the screen
        fit_to_screen(self, 70, 34)
        self._set_ready(False)

    def _set_ready(self, ready: bool) -> None:
        self.copy_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.refresh_button.setEnabled(ready)

    def gather(self) -> Job[SupportReport]:
        from schoolhr.support.report import support_report

        paths, store, guide = self._paths, self._store, self._open_guide
        self._set_ready(False)

        def shown(report: SupportReport) -> None:
            self.report = report
            self.text.setPlainText(report.as_text())
            self._set_ready(True)

        def failed(message: str) -> None:
            self.text.setPlainText(message)
            self.refresh_button.setEnabled(True)

        job = run_job(
            self,
            self.tr("收集支援資訊"),
            lambda _p: support_report(paths, store, guide),
            shown,
        )
        job.failed.connect(failed)
        return job

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status.setText(self.tr("已複製到剪貼簿。"))

    def save_zip(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("儲存診斷檔"), "學校人事小幫手診斷資料.zip", "*.zip"
        )
        if name:
            self.save_zip_to(Path(name))

    def save_zip_to(self, target: Path) -> Job[DiagnosticsResult]:
        from schoolhr.support.diagnostics import write_diagnostics_zip

        paths, report, guide = self._paths, self.report, self._open_guide

        def done(result: DiagnosticsResult) -> None:
            self.status.setText(result.summary())

        job = run_job(
            self,
            self.tr("儲存診斷檔"),
            lambda _p: write_diagnostics_zip(paths, target, open_guide=guide, report=report),
            done,
        )
        job.failed.connect(self.status.setText)
        return job
