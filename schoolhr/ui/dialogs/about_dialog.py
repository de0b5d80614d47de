"""About the app, with the diagnostics a help-desk person pastes into a ticket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from schoolhr import APP_NAME, __version__
from schoolhr.paths import DataPaths


class AboutDialog(QDialog):
    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("關於與診斷資訊"))
        heading = QLabel(f"{APP_NAME} {__version__}")
        heading.setProperty("role", "heading")
        intro = QLabel(
            self.tr(
                "給小型學校兼任人事與縣市人事處使用的離線小幫手。"
                "需要協助時，請按「複製診斷資訊」，貼到給人事處的訊息或服務單中。"
            )
        )
        intro.setWordWrap(True)
        from schoolhr.reports.fonts import FONT_ATTRIBUTION  # the font licence asks for it

        credits = QLabel(FONT_ATTRIBUTION)
        credits.setWordWrap(True)
        from schoolhr.doctor import run_doctor

        self.text = QPlainTextEdit(run_doctor(paths).to_text())
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(180)
        self.copy_button = QPushButton(self.tr("複製診斷資訊"))
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self.copied = QLabel("")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, intro, self.text, credits, self.copied, buttons):
            layout.addWidget(widget)
        self._fit_to_zoom()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _fit_to_zoom(self) -> None:
        """About 42 by 26 characters, so the dialog grows with the zoom, but never larger than
        the main window (or the screen)."""
        char = self.fontMetrics().horizontalAdvance("字")
        width, height = char * 42, self.fontMetrics().height() * 26
        parent = self.parentWidget()
        bounds = parent.window().size() * 0.95 if parent else self.screen().availableSize()
        self.resize(min(width, bounds.width()), min(height, bounds.height()))

    def copy_diagnostics(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copied.setText(self.tr("已複製到剪貼簿。"))
