"""Zoom for remote desktops and projectors: one factor scales every font in the app.

Widgets take the application font unless they set their own, so the pages never set a point
size: headings get theirs from the style sheet built here, in proportion to the zoom.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

ZOOM_STEPS = (80, 90, 100, 110, 125, 150, 175, 200, 225, 250)
DEFAULT_ZOOM = 100
BASE_POINT_SIZE = 10.0  # the 100 % size: readable on a 1024x768 office screen
SETTINGS_KEY = "ui/zoom"


def nearest_step(percent: int) -> int:
    return min(ZOOM_STEPS, key=lambda step: abs(step - percent))


def style_sheet(point_size: float) -> str:
    """Sizes that must follow the zoom; solid colours only (remote desktop friendly)."""
    return f"""
QLabel[role="heading"] {{ font-size: {point_size * 1.6:.1f}pt; font-weight: bold; }}
QLabel[role="subheading"] {{ font-size: {point_size * 1.2:.1f}pt; font-weight: bold; }}
QLabel[role="problem"] {{ color: #a4000f; font-weight: bold; }}
QLabel[role="ok"] {{ color: #0b6e2e; font-weight: bold; }}
QListWidget#navigation {{ font-size: {point_size * 1.15:.1f}pt; }}
QListWidget#navigation::item {{ padding: {point_size * 0.6:.0f}px {point_size:.0f}px; }}
"""


class ZoomController(QObject):
    """Owns the zoom level of the running app and remembers it in the profile's settings."""

    changed = Signal(int)

    def __init__(self, app: QApplication, settings: QSettings) -> None:
        super().__init__(app)
        self._app = app
        self._settings = settings
        stored = settings.value(SETTINGS_KEY, DEFAULT_ZOOM)
        try:
            percent = int(str(stored))
        except ValueError:
            percent = DEFAULT_ZOOM
        self._percent = nearest_step(percent)
        self._apply()

    @property
    def percent(self) -> int:
        return self._percent

    def zoom_in(self) -> None:
        self.set_percent(next((s for s in ZOOM_STEPS if s > self._percent), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        smaller = [s for s in ZOOM_STEPS if s < self._percent]
        self.set_percent(smaller[-1] if smaller else ZOOM_STEPS[0])

    def reset(self) -> None:
        self.set_percent(DEFAULT_ZOOM)

    def set_percent(self, percent: int) -> None:
        percent = nearest_step(percent)
        if percent == self._percent:
            return
        self._percent = percent
        self._apply()
        self._settings.setValue(SETTINGS_KEY, percent)
        self._settings.sync()
        self.changed.emit(percent)

    def point_size(self) -> float:
        return BASE_POINT_SIZE * self._percent / 100

    def _apply(self) -> None:
        font = QFont(self._app.font())
        font.setPointSizeF(self.point_size())
        self._app.setFont(font)
        self._app.setStyleSheet(style_sheet(self.point_size()))
