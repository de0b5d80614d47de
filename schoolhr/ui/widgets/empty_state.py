"""What an empty page shows: one sentence on what to do next and the button that does it (the
page's own action, never a new one)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


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
        # never squeezed below its wrapped sentence: the page scrolls instead of cutting it
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setVisible(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A wrapped label is laid out at its preferred width; in a narrow column it needs more
        lines than that: ask for the height its sentence takes at the width it got."""
        super().resizeEvent(event)
        needed = self.label.heightForWidth(self.label.width())
        if needed > 0 and self.label.minimumHeight() != needed:
            self.label.setMinimumHeight(needed)

    def set_text(self, text: str, button_text: str | None = None) -> None:
        self.label.setText(text)
        if button_text is not None:
            self.button.setText(button_text)
