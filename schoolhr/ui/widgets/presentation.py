"""Presentation mode for trainers: one step at a time, full screen, large text.

PageDown, →, ↓ or Space (a presenter's clicker sends PageDown) for the next step; PageUp, ←, ↑
for the previous one; Esc leaves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from schoolhr.guides.schema import Guide

PRESENTATION_SCALE = 2.6  # times the app's font size
NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space}
PREVIOUS_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace}


class PresentationWindow(QWidget):
    step_changed = Signal(int)

    def __init__(self, guide: Guide, content_dir: Path, start: int = 0) -> None:
        super().__init__()
        self.guide = guide
        self._content_dir = content_dir
        self.index = max(0, min(start, len(guide.steps) - 1))
        self.setWindowTitle(guide.title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet("background: #ffffff; color: #111111;")  # solid, projector friendly
        base = QApplication.font().pointSizeF()
        self.heading = QLabel("")
        self.step_title = QLabel("")
        self.detail = QLabel("")
        self.warning = QLabel("")
        self.picture = QLabel("")
        self.footer = QLabel("")
        for label in (self.heading, self.step_title, self.detail, self.warning, self.footer):
            # content is data: a tag in it is shown, never run or loaded
            label.setTextFormat(Qt.TextFormat.PlainText)
        for label, scale, bold in (
            (self.heading, 0.8, False),
            (self.step_title, 1.5, True),
            (self.detail, 1.0, False),
            (self.warning, 1.0, True),
            (self.footer, 0.6, False),
        ):
            font = QFont(QApplication.font())
            font.setPointSizeF(base * PRESENTATION_SCALE * scale)
            font.setBold(bold)
            label.setFont(font)
            label.setWordWrap(True)
        self.warning.setStyleSheet("color: #a4000f;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 30)
        layout.addWidget(self.heading)
        layout.addWidget(self.step_title)
        layout.addWidget(self.detail)
        layout.addWidget(self.warning)
        layout.addWidget(self.picture, 1, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.footer)
        self._render()

    def _render(self) -> None:
        step = self.guide.steps[self.index]
        total = len(self.guide.steps)
        self.heading.setText(self.guide.title)
        self.step_title.setText(f"{self.index + 1}. {step.title}")
        self.detail.setText(step.detail or "")
        self.warning.setText(f"注意：{step.warning}" if step.warning else "")
        self.warning.setVisible(bool(step.warning))
        self.picture.clear()
        if step.picture:
            from schoolhr.guides.service import picture_path

            pixmap = QPixmap(str(picture_path(self._content_dir, step.picture)))
            if not pixmap.isNull():
                height = min(pixmap.height(), max(160, int(self.height() * 0.4)))
                self.picture.setPixmap(
                    pixmap.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
                )
        self.footer.setText(f"{self.index + 1}／{total}　PageDown 下一步　PageUp 上一步　Esc 結束")
        self.step_changed.emit(self.index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in NEXT_KEYS and self.index < len(self.guide.steps) - 1:
            self.index += 1
            self._render()
        elif key in PREVIOUS_KEYS and self.index > 0:
            self.index -= 1
            self._render()
        else:
            super().keyPressEvent(event)
