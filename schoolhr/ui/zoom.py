"""Zoom and contrast for remote desktops and projectors: one factor scales every font in the
app, and a high-contrast theme (solid black, white and yellow) can replace the normal colours.

Widgets take the application font unless they set their own, so the pages never set a point
size: headings get theirs from the style sheet built here, in proportion to the zoom, and so do
the check boxes, radio buttons, scroll bars and arrows, which Qt otherwise keeps at 13 px.
Colours are solid (no gradients, no transparency), which remote-desktop links compress best,
and every colour the app sets comes from `Colours` below, where tests/ui/test_contrast.py
checks each text/background pair against WCAG AA (4.5:1).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QWidget,
)

ZOOM_STEPS = (80, 90, 100, 110, 125, 150, 175, 200, 225, 250)
DEFAULT_ZOOM = 100
BASE_POINT_SIZE = 10.0  # the 100 % size: readable on a 1024x768 office screen
SETTINGS_KEY = "ui/zoom"
CONTRAST_KEY = "ui/high_contrast"
CONTRAST_PROPERTY = "schoolhrHighContrast"  # on the QApplication, for code without the controller


@dataclass(frozen=True)
class Colours:
    """Every colour the app chooses itself, for one theme."""

    window: str
    text: str
    base: str  # inside line edits, lists, tables
    alternate_base: str
    input_border: str  # the frame of every field and list, and of check boxes and radio buttons
    focus: str  # the keyboard focus frame
    selection: str
    selected_text: str
    disabled_text: str
    placeholder: str
    link: str
    problem: str
    ok: str
    search_highlight: str  # behind the matched words in an answer
    search_highlight_text: str
    demo: str  # the demo-profile banner
    demo_text: str


# Each colour of Colours in the two themes: (normal, high contrast).
_THEMES: dict[str, tuple[str, str]] = {
    "window": ("#efefef", "#000000"),
    "text": ("#000000", "#ffffff"),
    "base": ("#ffffff", "#000000"),
    "alternate_base": ("#f5f5f5", "#1a1a1a"),
    "input_border": ("#5f5f5f", "#ffffff"),
    "focus": ("#1d5a94", "#ffff00"),
    "selection": ("#1d5a94", "#ffff00"),
    "selected_text": ("#ffffff", "#000000"),
    "disabled_text": ("#6e6e6e", "#a0a0a0"),
    "placeholder": ("#646464", "#c0c0c0"),
    "link": ("#0645ad", "#00ffff"),
    "problem": ("#a4000f", "#ff8080"),
    "ok": ("#0b6e2e", "#80ff80"),
    "search_highlight": ("#ffe066", "#ffff00"),
    "search_highlight_text": ("#000000", "#000000"),
    "demo": ("#ffd200", "#ffd200"),
    "demo_text": ("#000000", "#000000"),
}
NORMAL = Colours(**{name: normal for name, (normal, _) in _THEMES.items()})
HIGH_CONTRAST = Colours(**{name: high for name, (_, high) in _THEMES.items()})


def colours(high_contrast: bool) -> Colours:
    return HIGH_CONTRAST if high_contrast else NORMAL


def current_colours() -> Colours:
    """The colours of the running app's theme (normal when no controller has set one)."""
    app = QApplication.instance()
    return colours(bool(app is not None and app.property(CONTRAST_PROPERTY)))


def nearest_step(percent: int) -> int:
    return min(ZOOM_STEPS, key=lambda step: abs(step - percent))


def indicator_px(point_size: float) -> int:
    """Check box and radio button size: 13 px at 100 % (Qt's own), twice that at 200 %."""
    return max(11, round(point_size * 1.4))


def scroll_bar_px(point_size: float) -> int:
    """Scroll bar width: 16 px at 100 %, twice that at 200 %."""
    return max(12, round(point_size * 1.6))


INPUTS = "QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QListView, QTreeView, QTableView"


def style_sheet(point_size: float, high_contrast: bool = False) -> str:
    """Sizes that must follow the zoom; solid colours only (remote desktop friendly)."""
    c = colours(high_contrast)
    indicator = indicator_px(point_size)
    scroll = scroll_bar_px(point_size)
    button = max(14, round(point_size * 1.8))  # combo drop-down and spin-box buttons
    sheet = f"""
QLabel[role="heading"] {{ font-size: {point_size * 1.6:.1f}pt; font-weight: bold; }}
QLabel[role="subheading"] {{ font-size: {point_size * 1.2:.1f}pt; font-weight: bold; }}
QLabel[role="problem"] {{ color: {c.problem}; font-weight: bold; }}
QLabel[role="ok"] {{ color: {c.ok}; font-weight: bold; }}
QLabel[role="demo"] {{ background: {c.demo}; color: {c.demo_text}; font-weight: bold;
    padding: 2px 8px; }}
QListWidget#navigation {{ font-size: {point_size * 1.15:.1f}pt; }}
QListWidget#navigation::item {{ padding: {point_size * 0.6:.0f}px {point_size:.0f}px; }}
QCheckBox::indicator, QRadioButton::indicator, QGroupBox::indicator,
QAbstractItemView::indicator {{ width: {indicator}px; height: {indicator}px; }}
QScrollBar:vertical {{ width: {scroll}px; }}
QScrollBar:horizontal {{ height: {scroll}px; }}
{INPUTS} {{ border: {2 if high_contrast else 1}px solid {c.input_border}; }}
QAbstractSpinBox {{ padding-right: {button}px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ width: {button}px; }}
"""
    if high_contrast:
        # A thick yellow frame shows where the keyboard focus is, even on a blurry projector.
        sheet += f"""
*:focus {{ border: 3px solid {c.focus}; }}
QPushButton {{ border: 2px solid {c.text}; padding: 4px 10px; background: {c.window}; }}
QPushButton:disabled {{ border-color: #808080; color: {c.disabled_text}; }}
"""
    return sheet


def _palette(c: Colours, base: QPalette | None = None) -> QPalette:
    palette = QPalette(base) if base is not None else QPalette()
    role = QPalette.ColorRole
    for r in (role.Window, role.Button, role.ToolTipBase):
        palette.setColor(r, QColor(c.window))
    palette.setColor(role.Base, QColor(c.base))
    palette.setColor(role.AlternateBase, QColor(c.alternate_base))
    for r in (role.WindowText, role.Text, role.ButtonText, role.ToolTipText):
        palette.setColor(r, QColor(c.text))
    palette.setColor(role.Highlight, QColor(c.selection))
    palette.setColor(role.HighlightedText, QColor(c.selected_text))
    palette.setColor(role.Link, QColor(c.link))
    palette.setColor(role.LinkVisited, QColor(c.link))
    palette.setColor(role.PlaceholderText, QColor(c.placeholder))
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, r, QColor(c.disabled_text))
    return palette


def high_contrast_palette() -> QPalette:
    """White on black, yellow selection with black text; disabled text stays readable."""
    palette = _palette(HIGH_CONTRAST)
    palette.setColor(QPalette.ColorRole.BrightText, QColor(HIGH_CONTRAST.text))
    return palette


def normal_palette(system: QPalette) -> QPalette:
    """Fusion's light colours, whatever the system's (a dark Windows theme would otherwise put
    the app's dark red and green on dark grey), with a selection and disabled text that read."""
    return _palette(NORMAL, system)


class ZoomStyle(QProxyStyle):
    """Fusion with the parts Qt draws at a fixed size (arrows, check marks) drawn to the size
    the style sheet gives them, and check boxes framed in the text colour, which the high
    contrast theme needs (Fusion derives their frame from the window colour: black on black)."""

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric == QStyle.PixelMetric.PM_TreeViewIndentation:  # room for a zoomed arrow
            font = widget.font() if widget is not None else QApplication.font()
            return max(20, round(_line_height(font) * 1.3))
        return super().pixelMetric(metric, option, widget)

    def subControlRect(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        sub: QStyle.SubControl,
        widget: QWidget | None = None,
    ) -> QRect:
        rect = super().subControlRect(control, option, sub, widget)  # type: ignore[arg-type]
        if control != QStyle.ComplexControl.CC_ComboBox:
            return rect
        # the drop-down button as wide as the box is high, so its arrow can grow with the zoom
        side = option.rect.height()
        if sub == QStyle.SubControl.SC_ComboBoxArrow:
            return QRect(option.rect.right() - side + 1, option.rect.top(), side, side)
        if sub == QStyle.SubControl.SC_ComboBoxEditField:
            return rect.adjusted(0, 0, -max(0, rect.right() - (option.rect.right() - side)), 0)
        return rect

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control != QStyle.ComplexControl.CC_ComboBox:
            return
        # Fusion frames a combo box in the window colour darkened (black on black in high
        # contrast) and draws its arrow at 8 px: a frame in the text colour, a zoomed arrow.
        frame, _fill, _mark = self._colours(option)
        side = option.rect.height()
        pen = max(1.0, side / 14)
        arrow = QRectF(
            self.subControlRect(control, option, QStyle.SubControl.SC_ComboBoxArrow, widget)
        )
        painter.save()
        painter.fillRect(
            arrow.adjusted(1, 2, -2, -2), option.palette.color(QPalette.ColorRole.Button)
        )
        painter.setPen(QPen(frame, pen))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(option.rect).adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2))
        painter.restore()
        self._arrow("down", option, painter, arrow)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        pe = QStyle.PrimitiveElement
        if element == pe.PE_IndicatorCheckBox:
            self._check_box(option, painter)
        elif element == pe.PE_IndicatorRadioButton:
            self._radio_button(option, painter)
        elif element in _ARROWS:
            self._arrow(_ARROWS[element], option, painter, option.rect.toRectF())
        elif element == pe.PE_IndicatorBranch:
            self._branch(option, painter, widget)
        else:
            super().drawPrimitive(element, option, painter, widget)

    @staticmethod
    def _colours(option: QStyleOption) -> tuple[QColor, QColor, QColor]:
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        group = QPalette.ColorGroup.Active if enabled else QPalette.ColorGroup.Disabled
        frame = option.palette.color(group, QPalette.ColorRole.Text)
        return frame, option.palette.color(QPalette.ColorRole.Base), frame

    def _check_box(self, option: QStyleOption, painter: QPainter) -> None:
        frame, fill, mark = self._colours(option)
        side = min(option.rect.width(), option.rect.height())
        pen = max(1.0, side / 9)
        box = QRectF(option.rect).adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(frame, pen))
        painter.setBrush(fill)
        painter.drawRect(box)
        state = option.state
        if state & (QStyle.StateFlag.State_On | QStyle.StateFlag.State_NoChange):
            if state & QStyle.StateFlag.State_NoChange:  # partly checked: a bar
                painter.fillRect(box.adjusted(side / 4, side * 0.42, -side / 4, -side * 0.42), mark)
            else:
                tick = QPen(mark, max(1.5, side / 7))
                tick.setCapStyle(Qt.PenCapStyle.RoundCap)
                tick.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(tick)
                x, y, w, h = box.x(), box.y(), box.width(), box.height()
                painter.drawPolyline(
                    QPolygonF(
                        [
                            QPointF(x + w * 0.22, y + h * 0.52),
                            QPointF(x + w * 0.42, y + h * 0.74),
                            QPointF(x + w * 0.80, y + h * 0.28),
                        ]
                    )
                )
        painter.restore()

    def _radio_button(self, option: QStyleOption, painter: QPainter) -> None:
        frame, fill, mark = self._colours(option)
        side = min(option.rect.width(), option.rect.height())
        pen = max(1.0, side / 9)
        circle = QRectF(option.rect.x(), option.rect.y(), side, side)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(frame, pen))
        painter.setBrush(fill)
        painter.drawEllipse(circle.adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2))
        if option.state & QStyle.StateFlag.State_On:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(mark))
            painter.drawEllipse(
                circle.adjusted(side * 0.28, side * 0.28, -side * 0.28, -side * 0.28)
            )
        painter.restore()

    @staticmethod
    def _arrow(direction: str, option: QStyleOption, painter: QPainter, rect: QRectF) -> None:
        """A solid triangle half as big as its box, in the text colour."""
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        group = QPalette.ColorGroup.Active if enabled else QPalette.ColorGroup.Disabled
        colour = option.palette.color(group, QPalette.ColorRole.ButtonText)
        half = max(2.0, min(rect.width(), rect.height()) * 0.28)
        c = rect.center()
        points = {
            "down": [(-half, -half / 2), (half, -half / 2), (0, half / 2)],
            "up": [(-half, half / 2), (half, half / 2), (0, -half / 2)],
            "right": [(-half / 2, -half), (-half / 2, half), (half / 2, 0)],
            "left": [(half / 2, -half), (half / 2, half), (-half / 2, 0)],
        }[direction]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([QPointF(c.x() + dx, c.y() + dy) for dx, dy in points]))
        painter.restore()

    def _branch(self, option: QStyleOption, painter: QPainter, widget: QWidget | None) -> None:
        """Tree arrows as big as the text beside them (Fusion keeps them at 9 px)."""
        if not option.state & QStyle.StateFlag.State_Children:
            return
        font = widget.font() if widget is not None else QApplication.font()
        side = min(option.rect.width(), option.rect.height(), _line_height(font))
        box = QRectF(0, 0, side, side)
        box.moveCenter(option.rect.toRectF().center())
        opened = bool(option.state & QStyle.StateFlag.State_Open)
        self._arrow("down" if opened else "right", option, painter, box)


_ARROWS = {
    QStyle.PrimitiveElement.PE_IndicatorArrowDown: "down",
    QStyle.PrimitiveElement.PE_IndicatorArrowUp: "up",
    QStyle.PrimitiveElement.PE_IndicatorArrowRight: "right",
    QStyle.PrimitiveElement.PE_IndicatorArrowLeft: "left",
    QStyle.PrimitiveElement.PE_IndicatorSpinUp: "up",
    QStyle.PrimitiveElement.PE_IndicatorSpinDown: "down",
}


_STYLE: dict[QApplication, ZoomStyle] = {}


def _line_height(font: QFont) -> float:
    return QFontMetricsF(font).height()


class ZoomController(QObject):
    """Owns the zoom level and the contrast of the running app and remembers them in the
    profile's settings."""

    changed = Signal(int)
    contrast_changed = Signal(bool)

    def __init__(self, app: QApplication, settings: QSettings) -> None:
        super().__init__(app)
        self._app = app
        self._settings = settings
        if _STYLE.get(app) is None:  # kept here: Python must not collect the overrides
            _STYLE[app] = ZoomStyle("Fusion")
            app.setStyle(_STYLE[app])
        self._normal_palette = normal_palette(app.palette())
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
        self._app.setProperty(CONTRAST_PROPERTY, self._high_contrast)
        self._app.setStyleSheet(style_sheet(self.point_size(), self._high_contrast))
