"""A plain horizontal bar chart drawn with QPainter: labels, bars, values. Solid colours, no
animation (remote-desktop friendly), sized by the app font so it follows the zoom."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_items(self, items: list[tuple[str, float]], title: str | None = None) -> None:
        self.items = items
        if title is not None:
            self.title = title
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height() + 6
        return QSize(400, line * (len(self.items) + 2))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        line = metrics.height() + 6
        text = self.palette().color(QPalette.ColorRole.WindowText)  # white in high contrast
        bar = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(text)
        painter.drawText(0, metrics.ascent(), self.title)
        if not self.items:
            painter.drawText(0, line + metrics.ascent(), self.tr("沒有資料。"))
            painter.end()
            return
        label_width = max(metrics.horizontalAdvance(label) for label, _ in self.items) + 12
        value_width = metrics.horizontalAdvance("0000.0") + 8
        bar_space = max(10, self.width() - label_width - value_width)
        top = max(value for _, value in self.items) or 1
        for index, (label, value) in enumerate(self.items):
            y = line * (index + 1) + 4
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y, label_width - 8, line - 4),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            width = bar_space * max(value, 0) / top
            painter.fillRect(QRectF(label_width, y + 2, width, line - 8), bar)
            shown = f"{value:g}"
            painter.drawText(
                QRectF(label_width + width + 4, y, value_width, line - 4),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
        painter.end()
