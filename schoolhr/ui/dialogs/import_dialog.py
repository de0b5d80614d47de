"""Import contacts: map the columns, preview what would change (adds, duplicates, rejected rows
with their row numbers and reasons), then import — nothing is written before that click."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr.contacts.records import FIELD_LABELS
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.models.rows import Column, RowsModel, number_column
from schoolhr.ui.widgets.fit import client_area, fit_to_screen, scrolled
from schoolhr.ui.widgets.tables import rows_table

if TYPE_CHECKING:
    from schoolhr.contacts.service import ImportPlan, ImportSummary, ReadResult
    from schoolhr.store.database import Store

SKIP = ""
PREVIEW_ROWS = 5  # at least this many rows of the preview stay visible
MAPPING_SHARE = 0.3  # the column mapping scrolls beyond this share of the screen's height
PreviewRow = tuple[int, str, str, str]  # the file's row number, name, result, explanation


class ImportDialog(QDialog):
    imported = Signal(str)  # a summary for the page's status line

    def __init__(self, store: Store, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.path = path
        self.plan: ImportPlan | None = None
        self.read_result: ReadResult | None = None
        self.setWindowTitle(self.tr("匯入通訊錄：{0}").format(path.name))
        self.mapping_box = QGroupBox(self.tr("欄位對應（檔案的欄位 → 通訊錄的欄位）"))
        self.mapping_form = QFormLayout(self.mapping_box)
        self.reread_button = QPushButton(self.tr("依對應重新預覽"))
        self.reread_button.clicked.connect(self.load)
        self.summary = QLabel(self.tr("正在讀取…"))
        self.summary.setWordWrap(True)
        self.preview_model: RowsModel[PreviewRow] = RowsModel(
            [
                number_column(self.tr("列"), lambda r: r[0]),
                Column(self.tr("姓名"), lambda r: r[1]),
                Column(self.tr("結果"), lambda r: r[2]),
                Column(self.tr("說明"), lambda r: r[3]),
            ]
        )
        self.preview = rows_table(self.preview_model, self.tr("匯入預覽"))
        self.merge = QCheckBox(self.tr("重複的人以檔案內容更新（不勾則略過）"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(self.tr("匯入"))
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        # a file with many columns scrolls its mapping; the preview keeps the height
        self.mapping_scroll = scrolled(self.mapping_box)
        self.mapping_scroll.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.mapping_scroll)
        layout.addWidget(self.reread_button)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.merge)
        layout.addWidget(self.buttons)
        self.reread_button.setVisible(False)
        self._combos: dict[str, QComboBox] = {}
        self._keep_preview_rows()
        fit_to_screen(self, 64, 36)

    def _keep_preview_rows(self) -> None:
        header = self.preview.horizontalHeader().sizeHint().height()
        rows = self.preview.verticalHeader().defaultSectionSize() * PREVIEW_ROWS
        scroll_bar = self.preview.horizontalScrollBar().sizeHint().height()
        self.preview.setMinimumHeight(header + rows + scroll_bar + 2 * self.preview.frameWidth())

    def _bound_mapping(self) -> None:
        """The mapping as tall as its rows, at most a share of the screen (then it scrolls)."""
        wanted = self.mapping_box.sizeHint().height() + 2 * self.mapping_scroll.frameWidth()
        limit = int(client_area(self).height() * MAPPING_SHARE)
        self.mapping_scroll.setMaximumHeight(min(wanted, limit))
        self.mapping_scroll.setMinimumHeight(min(wanted, self.fontMetrics().lineSpacing() * 3))

    def mapping(self) -> dict[str, str] | None:
        if not self._combos:
            return None
        return {header: str(combo.currentData()) for header, combo in self._combos.items()}

    def load(self) -> Job[tuple[ReadResult, ImportPlan]]:
        """Read and plan off the UI thread; nothing is written."""
        from schoolhr.contacts import service

        mapping = self.mapping()
        store, path = self._store, self.path

        def work(_progress: object) -> tuple[ReadResult, ImportPlan]:
            result = service.read_import_file(path, mapping)
            with store.read() as session:
                return result, service.plan_import(session, result.rows, result.rejected)

        job = run_job(self, self.tr("讀取檔案"), work, self._show)
        job.failed.connect(self.summary.setText)
        return job

    def _show(self, result: tuple[ReadResult, ImportPlan]) -> None:
        self.read_result, self.plan = result
        self._fill_mapping(self.read_result)
        plan = self.plan
        self.summary.setText(
            self.tr(
                "新增 {0} 人、重複 {1} 人、有問題 {2} 列。按「匯入」前不會寫入任何資料。"
            ).format(len(plan.adds), len(plan.duplicates), len(plan.rejected))
        )
        rows: list[PreviewRow] = []
        rows += [(a.row, a.record.name, self.tr("新增"), "") for a in plan.adds]
        for duplicate in plan.duplicates:
            changes = "、".join(
                f"{d.label}：{d.existing or '（空）'} → {d.incoming}" for d in duplicate.differences
            )
            rows.append(
                (
                    duplicate.row.row,
                    duplicate.row.record.name,
                    self.tr("重複"),
                    f"{duplicate.matched_label}" + (f"；{changes}" if changes else ""),
                )
            )
        rows += [(r.row, "", self.tr("有問題"), f"{r.field}：{r.reason}") for r in plan.rejected]
        rows.sort(key=lambda row: row[0])
        self.preview_model.set_rows(rows)
        self.import_button.setEnabled(bool(plan.adds or plan.duplicates))

    def _fill_mapping(self, result: ReadResult) -> None:
        if (
            self._combos
            or (not result.mapping and not result.headers)
            or self.path.suffix == ".vcf"
        ):
            self.mapping_scroll.setVisible(bool(self._combos))
            self.reread_button.setVisible(bool(self._combos))
            return
        for header in result.headers:
            combo = QComboBox()
            combo.addItem(self.tr("（不匯入）"), SKIP)
            for name, label in FIELD_LABELS.items():
                combo.addItem(label, name)
            index = combo.findData(result.mapping.get(header, SKIP))
            combo.setCurrentIndex(max(index, 0))
            self._combos[header] = combo
            self.mapping_form.addRow(header, combo)
        self.mapping_scroll.setVisible(bool(self._combos))
        self.reread_button.setVisible(bool(self._combos))
        self._bound_mapping()

    def apply(self) -> Job[ImportSummary] | None:
        from schoolhr.contacts import service

        plan, store, merge = self.plan, self._store, self.merge.isChecked()
        if plan is None:
            return None

        def done(summary: ImportSummary) -> None:
            text = self.tr("已匯入：新增 {0} 人、更新 {1} 人、略過 {2} 人、有問題 {3} 列。").format(
                summary.added, summary.merged, summary.skipped, summary.rejected
            )
            self.imported.emit(text)
            self.accept()

        job = run_job(
            self, self.tr("匯入通訊錄"), lambda _p: service.apply_import(store, plan, merge), done
        )
        job.failed.connect(lambda _message: self._changed_since_preview(job))
        return job

    def _changed_since_preview(self, job: Job[ImportSummary]) -> None:
        """Someone imported at the same moment: the clerk is told (the job's message) and
        shown the new preview, to confirm again."""
        from schoolhr.contacts.service import PlanChangedError

        if isinstance(job.error, PlanChangedError):
            reloaded = self.load()
            reloaded.succeeded.connect(
                lambda _r: self.summary.setText(
                    self.tr("資料在預覽之後有變動，以下是新的預覽；確認後再按「匯入」。")
                    + "\n"
                    + self.summary.text()
                )
            )
