"""Presentation mode for trainers: one step at a time, full screen, large text.

PageDown, →, ↓ or Space (a presenter's clicker sends PageDown) for the next step; PageUp, ←, ↑
for the previous one; Esc leaves.

The text is as large as the screen allows: at most 2.6 times the app's font, smaller when the
step's text would not fit the window (a long step on a 1280x720 projector at 150 %), so no line
is ever cut or covered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from schoolhr.guides.schema import Guide

PRESENTATION_SCALE = 2.6  # times the app's font size, at most
SMALLEST_POINT_SIZE = 10.0  # the text shrinks to fit, never below this
PICTURE_SHARE = 0.4  # of the window's height, at most
NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space}
PREVIOUS_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace}


class PresentationWindow(QWidget):
    step_changed = Signal(int)

    def __init__(self, guide: Guide, content_dir: Path, data_dir: Path, start: int = 0) -> None:
        """``data_dir``: the profile's folder, where the pictures county packs brought are."""
        super().__init__()
        self.guide = guide
        self._content_dir = content_dir
        self._data_dir = data_dir
        self.index = max(0, min(start, len(guide.steps) - 1))
        self.setWindowTitle(guide.title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet("background: #ffffff; color: #111111;")  # solid, projector friendly
        self._base = QApplication.font().pointSizeF()
        self._pixmap = QPixmap()
        self.heading = QLabel("")
        self.step_title = QLabel("")
        self.detail = QLabel("")
        self.warning = QLabel("")
        self.picture = QLabel("")
        self.footer = QLabel("")
        for label in (self.heading, self.step_title, self.detail, self.warning, self.footer):
            # content is data: a tag in it is shown, never run or loaded
            label.setTextFormat(Qt.TextFormat.PlainText)
        self._scales = (
            (self.heading, 0.8, False),
            (self.step_title, 1.5, True),
            (self.detail, 1.0, False),
            (self.warning, 1.0, True),
            (self.footer, 0.6, False),
        )
        for label, _scale, _bold in self._scales:
            label.setWordWrap(True)
        self.warning.setStyleSheet("color: #a4000f;")
        self.picture.setMinimumSize(1, 1)
        self.point_size = self._base * PRESENTATION_SCALE
        layout = QVBoxLayout(self)
        self._layout = layout
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
        self._pixmap = QPixmap()
        if step.picture:
            from schoolhr.guides.service import picture_path

            picture = picture_path(self._content_dir, step.picture, self._data_dir)
            self._pixmap = QPixmap(str(picture))
        self.footer.setText(f"{self.index + 1}／{total}　PageDown 下一步　PageUp 上一步　Esc 結束")
        self._fit()
        self.step_changed.emit(self.index)

    def _text_height(self, point_size: float, width: int) -> int:
        """The height the shown labels take, wrapped to ``width``, at ``point_size``."""
        total = 0
        shown = 0
        for label, scale, bold in self._scales:
            if label is self.warning and not self.warning.text():
                continue
            font = QFont(QApplication.font())
            font.setPointSizeF(point_size * scale)
            font.setBold(bold)
            flags = int(Qt.TextFlag.TextWordWrap)
            total += (
                QFontMetrics(font)
                .boundingRect(QRect(0, 0, width, 1 << 20), flags, label.text())
                .height()
            )
            shown += 1
        return total + shown * max(self._layout.spacing(), 0)

    def _fit(self) -> None:
        """The picture at most 40 % of the height, then the largest text that fits the rest."""
        margins = self._layout.contentsMargins()
        width = max(self.width() - margins.left() - margins.right(), 100)
        height = max(self.height() - margins.top() - margins.bottom(), 100)
        self.picture.clear()
        picture_height = 0
        if not self._pixmap.isNull():
            picture_height = min(self._pixmap.height(), max(120, int(height * PICTURE_SHARE)))
            scaled = self._pixmap.scaledToHeight(
                picture_height, Qt.TransformationMode.SmoothTransformation
            )
            if scaled.width() > width:
                scaled = self._pixmap.scaledToWidth(
                    width, Qt.TransformationMode.SmoothTransformation
                )
            picture_height = scaled.height()
            self.picture.setPixmap(scaled)
        room = height - picture_height
        size = self._base * PRESENTATION_SCALE
        # a little narrower than the label, for rounding between the metrics and the layout
        while size > SMALLEST_POINT_SIZE and self._text_height(size, width - 8) > room:
            size = max(SMALLEST_POINT_SIZE, size * 0.92)
        self.point_size = size
        for label, scale, bold in self._scales:
            font = QFont(QApplication.font())
            font.setPointSizeF(size * scale)
            font.setBold(bold)
            label.setFont(font)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

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
