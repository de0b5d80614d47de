"""「沒找到答案」: send the question (and a note) to the county help desk's list."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QWidget

from schoolhr.ui.widgets.buttons import confirm_box
from schoolhr.ui.widgets.fit import form_body, lay_out
from schoolhr.ui.widgets.labels import wrapped


class NotFoundDialog(QDialog):
    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("沒找到答案"))
        intro = wrapped(
            self.tr(
                "這個問題會記在「未解答問題」清單，縣市人事處整理後會補上答案。"
                "請不要寫入姓名、身分證字號等個人資料。"
            )
        )
        self.question_edit = QLineEdit(question)
        self.question_edit.setMaxLength(200)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("補充說明（選填），例如：代理教師的情形"))
        buttons = confirm_box(self, self.accept, self.tr("送出"))
        body, form = form_body()
        form.addRow(intro)
        form.addRow(self.tr("問題"), self.question_edit)
        form.addRow(self.tr("備註"), self.note_edit)
        lay_out(self, body, buttons, 44, 16)

    def question(self) -> str:
        return self.question_edit.text()

    def note(self) -> str:
        return self.note_edit.toPlainText()
