"""About the app, with the diagnostics a help-desk person pastes into a ticket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QWidget

from schoolhr import APP_NAME, __version__
from schoolhr.paths import DataPaths
from schoolhr.ui.widgets.buttons import close_box, push_button
from schoolhr.ui.widgets.fit import column_body, lay_out
from schoolhr.ui.widgets.labels import wrapped


class AboutDialog(QDialog):
    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("關於與診斷資訊"))
        heading = QLabel(f"{APP_NAME} {__version__}")
        heading.setProperty("role", "heading")
        intro = wrapped(
            self.tr(
                "給小型學校兼任人事與縣市人事處使用的離線小幫手。"
                "需要協助時，請按「複製診斷資訊」，貼到給人事處的訊息或服務單中。"
            )
        )
        from schoolhr.reports.fonts import FONT_ATTRIBUTION  # the font licence asks for it

        credits = wrapped(FONT_ATTRIBUTION)
        from schoolhr.doctor import run_doctor

        self.text = QPlainTextEdit(run_doctor(paths).to_text())
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.copy_button = push_button(self.tr("複製診斷資訊"), self.copy_diagnostics)
        self.copied = QLabel("")
        buttons = close_box(self, self.copy_button)
        body, body_layout = column_body()
        for widget in (heading, intro, self.text, credits, self.copied):
            body_layout.addWidget(widget, 1 if widget is self.text else 0)
        # about 42 by 26 characters: it grows with the zoom, never beyond the screen
        lay_out(self, body, buttons, 42, 26)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def copy_diagnostics(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copied.setText(self.tr("已複製到剪貼簿。"))
