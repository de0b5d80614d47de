"""What an empty page shows: one sentence on what to do next and the button that does it (the
page's own action, never a new one)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QFrame):
    def __init__(
        self,
        text: str,
        button_text: str,
        action: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.button = QPushButton(button_text)
        self.button.clicked.connect(lambda _checked=False: action())
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.setVisible(False)

    def set_text(self, text: str, button_text: str | None = None) -> None:
        self.label.setText(text)
        if button_text is not None:
            self.button.setText(button_text)
