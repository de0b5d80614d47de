"""最新消息: the county's announcements, read once after a pack is imported. A long message
scrolls inside the dialog, so its 「確定」 stays on the screen at any zoom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from schoolhr.ui.widgets.fit import fit_to_screen, scrolled


class NewsDialog(QDialog):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("最新消息"))
        self.text = QLabel(text)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # the county's text is shown, never run
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(self.text), 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 40, 14)
