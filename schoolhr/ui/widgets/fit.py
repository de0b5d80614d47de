"""Dialogs that fit the screen: at 200 % on a 1024x768 remote desktop, at 150 % on a 1280x720
projector and at 100 % on a 1366x768 laptop, a dialog is never larger than the screen's free
area, its body scrolls when it must, and its buttons stay below the body, always reachable.

Sizes are asked for in characters and lines of the dialog's own font, so a dialog grows with
the zoom until the screen stops it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

# room left for the window manager's title bar and frame, which Qt cannot see before showing
FRAME_ALLOWANCE = (16, 40)


def available_area(widget: QWidget) -> QRect:
    """The free area (without task bars) of the screen the widget, or its parent, is on."""
    parent = widget.parentWidget()
    screen = widget.screen() if widget.isWindow() and widget.isVisible() else None
    if screen is None and parent is not None:
        screen = parent.window().screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 768)


def client_area(widget: QWidget) -> QRect:
    """The available area less the room a window manager's frame takes."""
    area = available_area(widget)
    dx, dy = FRAME_ALLOWANCE
    return area.adjusted(0, 0, -dx, -dy)


class BodyScroll(QScrollArea):
    """A scroll area that asks for its whole body (Qt's asks for at most 24 lines), so that
    the dialog is as large as its content wherever the screen has the room."""

    def sizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().sizeHint()
        frame = 2 * self.frameWidth()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        hint = body.sizeHint()
        return QSize(hint.width() + frame + bar, hint.height() + frame)


def scrolled(body: QWidget) -> QScrollArea:
    """``body`` in a frameless scroll area that only scrolls when the dialog is too small."""
    scroll = BodyScroll()
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    scroll.setWidget(body)
    return scroll


def form_body() -> tuple[QWidget, QFormLayout]:
    """A dialog's body holding a form whose long rows wrap below their labels (for
    ``lay_out``)."""
    body = QWidget()
    form = QFormLayout(body)
    form.setContentsMargins(0, 0, 0, 0)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return body, form


def column_body() -> tuple[QWidget, QVBoxLayout]:
    """A dialog's body holding a column of widgets, edge to edge (for ``lay_out``)."""
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    return body, column


def lay_out(
    dialog: QDialog, body: QWidget, buttons: QWidget, chars: int, lines: int
) -> QScrollArea:
    """``body`` scrolled above ``buttons`` (always reachable), the dialog fitted to the screen
    (``fit_to_screen``); the scroll area is returned."""
    scroll = scrolled(body)
    layout = QVBoxLayout(dialog)
    layout.addWidget(scroll, 1)
    layout.addWidget(buttons)
    fit_to_screen(dialog, chars, lines)
    return scroll


def fit_to_screen(window: QWidget, chars: int, lines: int) -> None:
    """Resize ``window`` to ``chars`` wide by ``lines`` high in its font (more if its layout
    asks for it, so a form is whole when the screen has room), never beyond the screen's free
    area, and centre it over its parent or the screen. The maximum size is the free area too,
    so nothing can push it past the edge."""
    area = client_area(window)
    metrics = window.fontMetrics()
    hint = window.sizeHint()
    width = max(metrics.horizontalAdvance("字") * chars, hint.width())
    height = max(metrics.lineSpacing() * lines, hint.height())
    window.setMaximumSize(area.size())
    window.resize(min(width, area.width()), min(height, area.height()))
    parent = window.parentWidget()
    free = available_area(window)
    centre = parent.window().frameGeometry().center() if parent is not None else free.center()
    dx, dy = FRAME_ALLOWANCE
    frame = QRect(0, 0, window.width() + dx, window.height() + dy)  # the frame's likely size
    frame.moveCenter(centre)
    frame.moveLeft(max(free.left(), min(frame.left(), free.right() - frame.width() + 1)))
    frame.moveTop(max(free.top(), min(frame.top(), free.bottom() - frame.height() + 1)))
    window.move(frame.topLeft())
