"""檢核表: pick a template, start or reopen a run, fill it in by keyboard (every answer is saved
at once), see progress, scores and the deadline, preview, print or save it as PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from schoolhr.text import roc_date
from schoolhr.ui import changes
from schoolhr.ui.jobs import Job, run_job
from schoolhr.ui.pages.base import Page, needs_store
from schoolhr.ui.widgets.adaptive_splitter import AdaptiveSplitter
from schoolhr.ui.widgets.flow_layout import flow_row
from schoolhr.ui.widgets.roc_date_edit import RocDateEdit
from schoolhr.ui.widgets.safe_browser import plain_tooltip

if TYPE_CHECKING:
    from schoolhr.checklists.schema import ChecklistItem, ChecklistTemplate
    from schoolhr.checklists.service import RunView
    from schoolhr.reports.pdf import RenderResult

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ChecklistsPage(Page):
    key = "checklists"
    shows = frozenset({changes.CHECKLISTS})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._templates: list[ChecklistTemplate] = []
        self._run: RunView | None = None
        self.last_pdf: Path | None = None
        self.preview_dialog: QDialog | None = None

        self.template_list = QListWidget()
        self.template_list.setAccessibleName(self.tr("檢核表範本"))
        self.template_list.setObjectName("templates")
        self.template_list.currentRowChanged.connect(self._template_chosen)
        self.run_list = QListWidget()
        self.run_list.setAccessibleName(self.tr("填寫紀錄"))
        self.run_list.setObjectName("runs")
        self.run_list.currentItemChanged.connect(self._run_chosen)
        self.new_run_button = QPushButton(self.tr("開始新的填寫"))
        self.new_run_button.clicked.connect(self.start_run)
        self.period_edit = QLineEdit()
        self.period_edit.setAccessibleName(self.tr("期間或對象"))
        self.period_edit.setPlaceholderText(self.tr("期間或對象，例如 115年、114學年度、王小明"))
        self.blank_button = QPushButton(self.tr("列印空白表…"))
        self.blank_button.clicked.connect(lambda: self.print_preview(blank=True))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("表單")))
        left_layout.addWidget(self.template_list, 2)
        left_layout.addWidget(QLabel(self.tr("填寫紀錄（新的在上）")))
        left_layout.addWidget(self.run_list, 1)
        left_layout.addWidget(self.period_edit)
        left_layout.addLayout(flow_row(self.new_run_button, self.blank_button))

        self.run_title = QLabel("")
        self.run_title.setTextFormat(Qt.TextFormat.PlainText)  # content is data, never rich text
        self.run_title.setProperty("role", "subheading")
        self.run_title.setWordWrap(True)
        self.run_info = QLabel("")
        self.run_info.setWordWrap(True)
        self.progress = QProgressBar()
        self.form_area = QWidget()
        self.form_layout = QVBoxLayout(self.form_area)
        self.preview_button = QPushButton(self.tr("預覽與列印 (Ctrl+P)"))
        self.preview_button.clicked.connect(lambda: self.print_preview(blank=False))
        self.pdf_button = QPushButton(self.tr("存成 PDF…"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.complete_button = QPushButton(self.tr("標示完成"))
        self.complete_button.clicked.connect(self.toggle_complete)
        buttons = flow_row(self.preview_button, self.pdf_button, self.complete_button)

        from schoolhr.ui.widgets.empty_state import EmptyState

        self.empty = EmptyState("", self.tr("開始一份檢核表"), self.start_run)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.empty)
        right_layout.addWidget(self.run_title)
        right_layout.addWidget(self.run_info)
        right_layout.addWidget(self.progress)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.status)
        # a long form scrolls on its own, below the buttons, which stay in sight
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form_area)
        right_layout.addWidget(form_scroll, 1)

        splitter = AdaptiveSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        shortcut = QShortcut(QKeySequence.StandardKey.Print, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.print_preview(blank=self._run is None))
        self._show_run(None)

    # -- data -----------------------------------------------------------------------------

    def set_ready(self, ready: bool) -> None:
        self.new_run_button.setEnabled(ready)
        self.blank_button.setEnabled(ready)
        self.empty.button.setEnabled(ready)

    def load(self) -> None:
        from schoolhr.checklists import service

        with self.store.read() as session:
            self._templates = service.templates(session)
        current = self.current_template()
        self.template_list.blockSignals(True)
        self.template_list.clear()
        for template in self._templates:
            item = QListWidgetItem(template.title)
            item.setData(ID_ROLE, template.id)
            item.setToolTip(plain_tooltip(template.purpose))
            self.template_list.addItem(item)
        ids = [t.id for t in self._templates]
        self.template_list.setCurrentRow(
            ids.index(current.id) if current and current.id in ids else 0
        )
        self.template_list.blockSignals(False)
        self._template_chosen(self.template_list.currentRow())

    def current_template(self) -> ChecklistTemplate | None:
        row = self.template_list.currentRow()
        return self._templates[row] if 0 <= row < len(self._templates) else None

    def _template_chosen(self, _row: int) -> None:
        from schoolhr.checklists import service

        template = self.current_template()
        self.run_list.clear()
        if template is None:
            self.empty.setVisible(False)
            self._show_run(None)
            return
        with self.store.read() as session:
            runs = service.runs(session, template.id)
        for run in runs:
            done, total = run.progress
            parts = [run.period or run.person or roc_date(run.created_at.astimezone().date())]
            parts.append(f"{done}/{total}")
            if run.completed_at:
                parts.append(self.tr("已完成"))
            elif run.due_date:
                parts.append(self.tr("期限 {0}").format(roc_date(run.due_date)))
            item = QListWidgetItem("　".join(parts))
            item.setData(ID_ROLE, run.id)
            self.run_list.addItem(item)
        self.empty.set_text(self.tr("「{0}」還沒有填寫紀錄。").format(template.title))
        self.empty.setVisible(not runs)
        if runs:
            self.run_list.setCurrentRow(0)
        else:
            self._show_run(None)
            self.status.setText("")

    def _run_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        from schoolhr.checklists import service

        if item is None:
            self._show_run(None)
            return
        with self.store.read() as session:
            self._show_run(service.run_view(session, item.data(ID_ROLE)))

    @needs_store
    def open_run(self, run_id: int) -> None:
        """Show the run ``run_id`` (from the home page's 「開啟」), its form selected."""
        from schoolhr.checklists import service

        with self.store.read() as session:
            run = service.run_view(session, run_id)
        ids = [t.id for t in self._templates]
        if run.template.id in ids:
            self.template_list.setCurrentRow(ids.index(run.template.id))
        for row in range(self.run_list.count()):
            if self.run_list.item(row).data(ID_ROLE) == run_id:
                self.run_list.setCurrentRow(row)
                return

    @needs_store
    def start_run(self) -> None:
        from schoolhr.checklists import service

        template = self.current_template()
        if template is None:
            return
        label = self.period_edit.text()
        with self.store.write() as session:
            run = service.start_run(
                session,
                template.id,
                period=label if template.period != "人員" else "",
                person=label if template.period == "人員" else "",
                origin=self.store.site().site_uuid,
            )
        self.period_edit.clear()
        self._template_chosen(self.template_list.currentRow())
        self.status.setText(self.tr("已開始新的填寫（編號 {0}）。").format(run.id))
        self.data_changed.emit(frozenset({changes.CHECKLISTS}))

    # -- the form -------------------------------------------------------------------------

    def _show_run(self, run: RunView | None) -> None:
        self._run = run
        while self.form_layout.count():
            child = self.form_layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        has_run = run is not None
        for button in (self.preview_button, self.pdf_button, self.complete_button):
            button.setEnabled(has_run)
        if run is None:
            self.run_title.setText("")
            self.run_info.setText("")
            self.progress.setValue(0)
            return
        self.run_title.setText(run.title)
        for section in run.template.sections:
            box = QGroupBox(section.title)
            form = QFormLayout(box)
            if section.note:
                note = QLabel(section.note)
                note.setTextFormat(Qt.TextFormat.PlainText)  # a tag in it is shown, not loaded
                note.setWordWrap(True)
                form.addRow(note)
            for item in section.items:
                form.addRow(*self._item_row(run, item))
            self.form_layout.addWidget(box)
        self.form_layout.addStretch(1)
        self._update_summary()

    def _item_row(self, run: RunView, item: ChecklistItem) -> tuple[QWidget, QWidget]:
        value = run.answers.get(item.id, "")
        editor: QWidget
        if item.type == "check":
            check = QCheckBox(item.label)
            check.setChecked(bool(value))
            check.toggled.connect(lambda on, i=item.id: self._save(i, on))
            editor = check
            label: QWidget = QLabel("")
        else:
            label = QLabel(item.label)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            if item.type == "choice":
                combo = QComboBox()
                combo.addItem("")
                combo.addItems(item.choices or [])
                combo.setCurrentText(value)
                combo.currentTextChanged.connect(lambda text, i=item.id: self._save(i, text))
                editor = combo
            elif item.type == "date":
                day = RocDateEdit(
                    date.fromisoformat(value) if value else None,
                    label=item.label,
                    allow_empty=True,
                )
                day.dateChanged.connect(
                    lambda d, i=item.id: self._save(i, d.isoformat() if d else "")
                )
                editor = day
            else:
                line = QLineEdit(value)
                line.setPlaceholderText({"number": "0"}.get(item.type, ""))
                line.editingFinished.connect(lambda i=item.id, w=line: self._save(i, w.text()))
                editor = line
        note = QLineEdit(run.notes.get(item.id, ""))
        note.setPlaceholderText(self.tr("備註"))
        note.setMaxLength(5000)
        note.editingFinished.connect(lambda i=item.id, w=note: self._save_note(i, w.text()))
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(editor, 3)
        row_layout.addWidget(note, 2)
        if item.help:
            row.setToolTip(plain_tooltip(item.help))
        return label, row

    def _save(self, item_id: str, value: object) -> None:
        from schoolhr.checklists import service
        from schoolhr.errors import UserError

        if self._run is None:
            return
        try:
            with self.store.write() as session:
                stored = service.set_answer(session, self._run.id, item_id, value)  # type: ignore[arg-type]
        except UserError as exc:
            self.show_error(exc)
            return
        self._run.answers[item_id] = stored
        self.status.setText(self.tr("已儲存。"))
        self._update_summary()
        self.data_changed.emit(frozenset({changes.CHECKLISTS}))

    def _save_note(self, item_id: str, note: str) -> None:
        from schoolhr.checklists import service

        if self._run is None:
            return
        with self.store.write() as session:
            service.set_answer(
                session, self._run.id, item_id, self._run.answers.get(item_id, ""), note
            )
        self._run.notes[item_id] = note

    def _update_summary(self) -> None:
        run = self._run
        if run is None:
            return
        done, total = run.progress
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("已完成 %v／%m 項"))
        parts = []
        if run.period or run.person:
            parts.append(self.tr("期間／對象：{0}").format(run.period or run.person))
        if run.due_date:
            parts.append(self.tr("期限：{0}").format(roc_date(run.due_date)))
        for score in run.scores():
            parts.append(f"{score.label}：{score.count} 項 → {score.percent}%")
        if run.completed_at:
            parts.append(self.tr("已標示完成"))
        self.run_info.setText("　".join(parts))
        self.complete_button.setText(
            self.tr("重新開啟") if run.completed_at else self.tr("標示完成")
        )

    def toggle_complete(self) -> None:
        from schoolhr.checklists import service

        if self._run is None:
            return
        with self.store.write() as session:
            service.complete_run(session, self._run.id, completed=self._run.completed_at is None)
            self._run = service.run_view(session, self._run.id)
        self._update_summary()
        self._template_chosen(self.template_list.currentRow())
        self.data_changed.emit(frozenset({changes.CHECKLISTS}))

    # -- printing -------------------------------------------------------------------------

    def _render(self, blank: bool, target: Path) -> Job[RenderResult] | None:
        from schoolhr.checklists.printing import form_document
        from schoolhr.reports.pdf import render_form

        template = self.current_template() if blank or self._run is None else self._run.template
        if template is None:
            return None
        document = form_document(
            template, None if blank else self._run, self.store.site().name, date.today()
        )
        return run_job(self, self.tr("產生 PDF"), lambda _p: render_form(document, target))

    @needs_store
    def print_preview(self, blank: bool) -> Job[RenderResult] | None:
        """The print preview of the run (or a blank form), from a PDF in the profile's
        temporary folder that is removed when the preview closes."""
        from schoolhr.ui.printing import preview_rendered

        return preview_rendered(
            self,
            self.store.paths,
            "checklist.pdf",
            lambda target: self._render(blank, target),
            lambda: self.run_title.text() or self.tr("檢核表"),
            self._preview_shown,
        )

    def _preview_shown(self, dialog: QDialog) -> None:
        self.preview_dialog = dialog

    def save_pdf(self) -> Job[RenderResult] | None:
        template = self._run.template if self._run else self.current_template()
        if template is None:
            return None
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("存成 PDF"), f"{template.title}.pdf", "PDF (*.pdf)"
        )
        if not name:
            return None
        return self.save_pdf_to(Path(name))

    def save_pdf_to(self, target: Path) -> Job[RenderResult] | None:
        job = self._render(blank=self._run is None, target=target)
        if job is not None:
            job.on_success(lambda result: self._saved(target, result))
        return job

    def _saved(self, target: Path, result: RenderResult) -> None:
        self.last_pdf = target
        missing = "".join(result.missing_characters)
        text = self.tr("已存成 {0}（{1} 頁）。").format(target, result.pages)
        if missing:
            text += self.tr("下列字元沒有字型可印：{0}").format(missing)
        self.status.setText(text)
