"""Zoom and contrast for remote desktops and projectors: one factor scales every font in the
app, and a high-contrast theme (solid black, white and yellow) can replace the normal colours.

Widgets take the application font unless they set their own, so the pages never set a point
size: headings get theirs from the style sheet built here, in proportion to the zoom. Colours
are solid (no gradients, no transparency), which remote-desktop links compress best.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ZOOM_STEPS = (80, 90, 100, 110, 125, 150, 175, 200, 225, 250)
DEFAULT_ZOOM = 100
BASE_POINT_SIZE = 10.0  # the 100 % size: readable on a 1024x768 office screen
SETTINGS_KEY = "ui/zoom"
CONTRAST_KEY = "ui/high_contrast"


def nearest_step(percent: int) -> int:
    return min(ZOOM_STEPS, key=lambda step: abs(step - percent))


def style_sheet(point_size: float, high_contrast: bool = False) -> str:
    """Sizes that must follow the zoom; solid colours only (remote desktop friendly)."""
    problem, ok = ("#ff8080", "#80ff80") if high_contrast else ("#a4000f", "#0b6e2e")
    sheet = f"""
QLabel[role="heading"] {{ font-size: {point_size * 1.6:.1f}pt; font-weight: bold; }}
QLabel[role="subheading"] {{ font-size: {point_size * 1.2:.1f}pt; font-weight: bold; }}
QLabel[role="problem"] {{ color: {problem}; font-weight: bold; }}
QLabel[role="ok"] {{ color: {ok}; font-weight: bold; }}
QLabel[role="demo"] {{ background: #ffd200; color: #000000; font-weight: bold;
    padding: 2px 8px; }}
QListWidget#navigation {{ font-size: {point_size * 1.15:.1f}pt; }}
QListWidget#navigation::item {{ padding: {point_size * 0.6:.0f}px {point_size:.0f}px; }}
"""
    if high_contrast:
        # A thick yellow frame shows where the keyboard focus is, even on a blurry projector.
        sheet += """
*:focus { border: 3px solid #ffff00; }
QPushButton { border: 2px solid #ffffff; padding: 4px 10px; background: #000000; }
QPushButton:disabled { border-color: #808080; color: #a0a0a0; }
"""
    return sheet


def high_contrast_palette() -> QPalette:
    """White on black, yellow selection with black text; disabled text stays readable."""
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    palette = QPalette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        palette.setColor(role, black)
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#1a1a1a"))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.BrightText,
        QPalette.ColorRole.ToolTipText,
    ):
        palette.setColor(role, white)
    palette.setColor(QPalette.ColorRole.ToolTipBase, black)
    palette.setColor(QPalette.ColorRole.Highlight, yellow)
    palette.setColor(QPalette.ColorRole.HighlightedText, black)
    palette.setColor(QPalette.ColorRole.Link, QColor("#00ffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#c0c0c0"))
    grey = QColor("#a0a0a0")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, grey)
    return palette


class ZoomController(QObject):
    """Owns the zoom level and the contrast of the running app and remembers them in the
    profile's settings."""

    changed = Signal(int)
    contrast_changed = Signal(bool)

    def __init__(self, app: QApplication, settings: QSettings) -> None:
        super().__init__(app)
        self._app = app
        self._settings = settings
        self._normal_palette = QPalette(app.palette())
        self._high_contrast = str(settings.value(CONTRAST_KEY, "false")).lower() == "true"
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

    @property
    def high_contrast(self) -> bool:
        return self._high_contrast

    def set_high_contrast(self, on: bool) -> None:
        if on == self._high_contrast:
            return
        self._high_contrast = on
        self._apply()
        self._settings.setValue(CONTRAST_KEY, "true" if on else "false")
        self._settings.sync()
        self.contrast_changed.emit(on)

    def point_size(self) -> float:
        return BASE_POINT_SIZE * self._percent / 100

    def _apply(self) -> None:
        font = QFont(self._app.font())
        font.setPointSizeF(self.point_size())
        self._app.setFont(font)
        self._app.setPalette(
            high_contrast_palette() if self._high_contrast else self._normal_palette
        )
        self._app.setStyleSheet(style_sheet(self.point_size(), self._high_contrast))
