"""Add or edit an FAQ entry (county role), with the validation of ``schoolhr content check``.

Saving a draft keeps the published answer visible to clerks until the draft is published.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from schoolhr.ui.widgets.fit import lay_out
from schoolhr.ui.widgets.labels import wrapped
from schoolhr.ui.widgets.roc_date_edit import RocDateEdit

if TYPE_CHECKING:
    from schoolhr.faq.schema import FaqEntryData
    from schoolhr.faq.service import FaqView
    from schoolhr.store.database import Store

SPLIT_WORDS = re.compile(r"[,，、;；\s]+")


class FaqEditDialog(QDialog):
    def __init__(
        self,
        store: Store,
        categories: list[str],
        entry_id: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from schoolhr.faq import service

        self._store = store
        with store.read() as session:
            published = service.published(session, entry_id) if entry_id else None
            draft = service.draft(session, entry_id) if entry_id else None
        start: FaqView | None = draft or published
        self.setWindowTitle(self.tr("編輯問答") if entry_id else self.tr("新增問答"))

        self.id_edit = QLineEdit(entry_id)
        self.id_edit.setReadOnly(bool(entry_id))
        self.id_edit.setPlaceholderText(self.tr("英文小寫與連字號，例如 leave-staff-marriage"))
        self.title_edit = QLineEdit(start.title if start else "")
        self.category_box = QComboBox()
        self.category_box.setEditable(True)
        self.category_box.addItems(categories)
        if start:
            self.category_box.setCurrentText(start.category)
        self.teachers = QCheckBox(self.tr("教師"))
        self.staff = QCheckBox(self.tr("職員"))
        self.teachers.setChecked(start is not None and "教師" in start.audience)
        self.staff.setChecked(start is None or "職員" in start.audience)
        audience = QHBoxLayout()
        audience.addWidget(self.teachers)
        audience.addWidget(self.staff)
        audience.addStretch(1)
        self.keywords_edit = QLineEdit("、".join(start.keywords) if start else "")
        self.keywords_edit.setPlaceholderText(self.tr("以頓號或逗號分隔"))
        self.sources_edit = QPlainTextEdit(
            "\n".join(
                " | ".join([s["name"], s.get("article", ""), s.get("url", "")]).rstrip(" |")
                for s in (start.sources if start else ())
            )
        )
        self.sources_edit.setPlaceholderText(
            self.tr("一行一項：法規名稱 | 條號（確定才填）| 網址，例如：公務人員請假規則")
        )
        self.sources_edit.setFixedHeight(self.fontMetrics().height() * 4)
        self.reviewed_edit = RocDateEdit(date.today(), label=self.tr("檢閱日期"))
        self.needs_review = QCheckBox(self.tr("待複查（細節尚未確認）"))
        self.needs_review.setChecked(bool(start and start.needs_review))
        self.review_note_edit = QLineEdit(start.review_note or "" if start else "")
        self.review_note_edit.setPlaceholderText(
            self.tr("待複查時必填：哪一項事實尚未確認、為什麼")
        )
        self.review_note_edit.setEnabled(self.needs_review.isChecked())
        self.needs_review.toggled.connect(self.review_note_edit.setEnabled)
        self.body_edit = QPlainTextEdit(start.body if start else "")
        self.body_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.body_edit.setPlaceholderText(
            self.tr("答案（Markdown）。教師與職員規定不同時請分段說明。")
        )
        self.state = wrapped(
            self.tr("這則有尚未發布的草稿；民眾看到的仍是已發布的版本。") if draft else ""
        )
        self.errors = wrapped(role="problem")
        self.errors.setTextFormat(Qt.TextFormat.PlainText)  # it may quote the user's text

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.draft_button = QPushButton(self.tr("儲存草稿"))
        self.publish_button = QPushButton(self.tr("發布"))
        buttons.addButton(self.draft_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.publish_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.draft_button.clicked.connect(lambda: self.save(publish=False))
        self.publish_button.clicked.connect(lambda: self.save(publish=True))
        buttons.rejected.connect(self.reject)

        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("編號"), self.id_edit)
        form.addRow(self.tr("問題（標題）"), self.title_edit)
        form.addRow(self.tr("分類"), self.category_box)
        form.addRow(self.tr("適用對象"), audience)
        form.addRow(self.tr("關鍵字"), self.keywords_edit)
        form.addRow(self.tr("依據"), self.sources_edit)
        form.addRow(self.tr("檢閱日期"), self.reviewed_edit)
        flag = QHBoxLayout()  # as wide as its text: a click beside it would do nothing
        flag.addWidget(self.needs_review)
        flag.addStretch(1)
        form.addRow("", flag)
        form.addRow(self.tr("複查說明"), self.review_note_edit)
        form.addRow(self.tr("答案"), self.body_edit)
        form.addRow(self.state)
        form.addRow(self.errors)
        # the form scrolls when the screen is short (200 % on 1024x768); the buttons stay
        self.form_scroll = lay_out(self, body, buttons, 60, 38)
        self.saved_version: int | None = None

    def entry_data(self) -> dict[str, object]:
        """The form as the content schema's fields (validated by ``save``)."""
        sources = []
        for line in self.sources_edit.toPlainText().splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                continue
            source = {"name": parts[0]}
            if len(parts) > 1 and parts[1]:
                source["article"] = parts[1]
            if len(parts) > 2 and parts[2]:
                source["url"] = parts[2]
            sources.append(source)
        return {
            "id": self.id_edit.text().strip(),
            "title": self.title_edit.text(),
            "category": self.category_box.currentText(),
            "audience": [
                a for a, box in (("教師", self.teachers), ("職員", self.staff)) if box.isChecked()
            ],
            "keywords": [w for w in SPLIT_WORDS.split(self.keywords_edit.text()) if w],
            "sources": sources,
            "reviewed": self.reviewed_edit.date(),
            "needs_review": self.needs_review.isChecked(),
            "review_note": (
                self.review_note_edit.text().strip() or None
                if self.needs_review.isChecked()
                else None
            ),
            "body": self.body_edit.toPlainText(),
        }

    def validate(self) -> FaqEntryData | None:
        from pydantic import ValidationError

        from schoolhr.content.markup import field_label, record_problems
        from schoolhr.content.validation import describe_error
        from schoolhr.faq.schema import FaqEntryData

        if not self.reviewed_edit.commit():
            self.errors.setText(self.reviewed_edit.error_text())
            return None
        try:
            data = FaqEntryData.model_validate(self.entry_data())
        except ValidationError as exc:
            self._show_errors("\n".join(describe_error(e) for e in exc.errors()))
            return None
        # the Markdown allow-list of content check and of content packs: what is saved here
        # travels in the county's pack, which schools would refuse otherwise
        found = record_problems(data.model_dump(mode="json"))
        if found:
            self._show_errors(
                "\n".join(
                    f"「{field_label(loc)}」第 {line} 行：{message}"
                    for loc, line, message in found[:10]
                )
            )
            return None
        self.errors.setText("")
        return data

    def _show_errors(self, text: str) -> None:
        """The problems under the form, scrolled into view."""
        self.errors.setText(text)
        self.errors.adjustSize()
        body = self.form_scroll.widget()
        if body is not None:
            body.adjustSize()
        self.form_scroll.ensureWidgetVisible(self.errors)

    def save(self, publish: bool) -> None:
        from schoolhr.faq import service

        data = self.validate()
        if data is None:
            return
        version = service.edit_entry(self._store, data, publish=publish)
        self.saved_version = version.version
        self.accept()
