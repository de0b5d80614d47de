"""A splitter that puts its parts one above the other when the window is too narrow to show
them side by side (200 % zoom on a 1024×768 remote desktop), and side by side again when
there is room."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QWidget


class AdaptiveSplitter(QSplitter):
    """Side by side while every part gets at least its minimum width (and the whole at least
    ``side_by_side_em`` font heights, if given); stacked below that. Parts never collapse."""

    orientation_changed = Signal(Qt.Orientation)

    def __init__(self, side_by_side_em: float = 0.0, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._side_by_side_em = side_by_side_em
        self.setChildrenCollapsible(False)

    def side_by_side_width(self) -> int:
        """The narrowest width at which the parts still sit side by side."""
        shown = [part for part in self._parts() if not part.isHidden()]
        needed = sum(max(part.minimumSizeHint().width(), part.minimumWidth()) for part in shown)
        needed += self.handleWidth() * max(0, len(shown) - 1)
        return max(needed, round(self.fontMetrics().height() * self._side_by_side_em))

    def _parts(self) -> list[QWidget]:
        return [part for i in range(self.count()) if (part := self.widget(i)) is not None]

    def minimumSizeHint(self) -> QSize:
        """As narrow as the widest part: below its side-by-side width the splitter stacks."""
        hint = super().minimumSizeHint()
        if self.orientation() == Qt.Orientation.Vertical:
            return hint
        widest = max((part.minimumSizeHint().width() for part in self._parts()), default=0)
        return QSize(widest, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.adapt(event.size().width())
        super().resizeEvent(event)

    def adapt(self, width: int) -> None:
        wanted = (
            Qt.Orientation.Vertical
            if width < self.side_by_side_width()
            else Qt.Orientation.Horizontal
        )
        if wanted != self.orientation():
            self.setOrientation(wanted)
            self.updateGeometry()
            self.orientation_changed.emit(wanted)
