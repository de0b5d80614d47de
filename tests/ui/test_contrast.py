"""High contrast and the normal theme pass WCAG AA: every colour pair the app shows, taken from
the palette, the style sheet and the FAQ highlight actually in use, is at least 4.5:1 (3:1 for
disabled text); and check boxes, radio buttons, scroll bars and arrows grow with the zoom."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QRadioButton,
    QScrollBar,
    QStyle,
    QStyleOptionComboBox,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.faq_page import highlight
from schoolhr.ui.widgets.safe_browser import SafeTextBrowser

AA = 4.5


def luminance(colour: QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def ratio(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_luminance_function_matches_known_ratios() -> None:
    assert ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert ratio(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, abs=0.01)
    assert ratio(QColor("#ffffff"), QColor("#ffff00")) == pytest.approx(1.07, abs=0.01)


def sheet_colour(sheet: str, selector: str, prop: str = "color") -> QColor:
    rule = re.search(re.escape(selector) + r"[^{]*\{([^}]*)\}", sheet)
    assert rule, selector
    value = re.search(rf"(?<![-\w]){prop}:\s*(?:\d+px solid )?(#[0-9a-fA-F]{{6}})", rule[1])
    assert value, (selector, prop)
    return QColor(value[1])


def pairs(window: MainWindow, qtbot: QtBot) -> dict[str, tuple[QColor, QColor, float]]:
    """(foreground, background, minimum ratio) for everything the clerk must read or find."""
    p = QApplication.palette()
    role, disabled = QPalette.ColorRole, QPalette.ColorGroup.Disabled
    sheet = QApplication.instance().styleSheet()  # type: ignore[union-attr]
    base, back = p.color(role.Base), p.color(role.Window)
    found = {
        "text on window": (p.color(role.WindowText), back, AA),
        "text in fields": (p.color(role.Text), base, AA),
        "button text": (p.color(role.ButtonText), p.color(role.Button), AA),
        "selected row": (p.color(role.HighlightedText), p.color(role.Highlight), AA),
        "link": (p.color(role.Link), base, AA),
        "placeholder": (p.color(role.PlaceholderText), base, AA),
        "disabled text": (p.color(disabled, role.WindowText), back, 3.0),
        "disabled field text": (p.color(disabled, role.Text), base, 3.0),
        "problem label": (sheet_colour(sheet, 'QLabel[role="problem"]'), back, AA),
        "ok label": (sheet_colour(sheet, 'QLabel[role="ok"]'), back, AA),
        "demo banner": (
            sheet_colour(sheet, 'QLabel[role="demo"]'),
            sheet_colour(sheet, 'QLabel[role="demo"]', "background"),
            AA,
        ),
        "line edit border": (sheet_colour(sheet, "QLineEdit,", "border"), back, AA),
        "line edit border inside": (sheet_colour(sheet, "QLineEdit,", "border"), base, AA),
        # check boxes, radio buttons and combo boxes are framed in the text colour (ZoomStyle)
        "check box frame": (p.color(role.Text), base, AA),
    }
    if window.zoom.high_contrast:
        focus = sheet_colour(sheet, "*:focus", "border")
        found["focus frame"] = (focus, back, AA)
        found["button frame"] = (sheet_colour(sheet, "QPushButton ", "border"), back, AA)
    # the FAQ answer's highlight, as the real function marks it
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setPlainText("育嬰留職停薪期間算不算退休年資")
    assert highlight(browser, ("退休",)) == 1
    block = browser.document().firstBlock()
    fragments = [
        it.fragment()
        for it in block
        if it.fragment().isValid()  # type: ignore[attr-defined]
    ]
    marked = next(f.charFormat() for f in fragments if f.text() == "退休")
    written = marked.foreground()  # a format without a colour shows the palette's text colour
    shown = written.color() if written.style() != Qt.BrushStyle.NoBrush else p.color(role.Text)
    found["search highlight"] = (shown, marked.background().color(), AA)
    return found


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_every_colour_pair_passes_wcag_aa(
    qtbot: QtBot, window: MainWindow, high_contrast: bool
) -> None:
    window.zoom.set_high_contrast(high_contrast)
    failing = {
        name: round(ratio(fg, bg), 2)
        for name, (fg, bg, minimum) in pairs(window, qtbot).items()
        if ratio(fg, bg) < minimum
    }
    assert failing == {}


def test_high_contrast_unchecked_check_box_shows_a_white_frame(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.contrast_action.trigger()  # as the clerk does it: 檢視 → 高對比
    assert window.zoom.high_contrast
    box = QCheckBox("同意日期")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    side = box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, box)
    colours = {
        image.pixelColor(x, y).name()
        for x in range(min(side + 2, image.width()))
        for y in range(image.height())
    }
    assert "#ffffff" in colours  # the frame of the empty box, white on black
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()


def measure(qtbot: QtBot) -> dict[str, int]:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    box, radio, scroll, combo = QCheckBox("a"), QRadioButton("b"), QScrollBar(), QComboBox()
    combo.addItems(["教師", "職員"])
    tree = QTreeWidget()
    for widget in (box, radio, scroll, combo, tree):
        layout.addWidget(widget)
    holder.show()
    qtbot.waitExposed(holder)
    metric = QStyle.PixelMetric
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    arrow = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxArrow, combo
    )
    return {
        "check box": box.style().pixelMetric(metric.PM_IndicatorWidth, None, box),
        "radio button": radio.style().pixelMetric(metric.PM_ExclusiveIndicatorWidth, None, radio),
        "scroll bar": scroll.sizeHint().width(),
        "check box row": box.sizeHint().height(),
        "combo box": combo.sizeHint().height(),
        "combo arrow": arrow.width(),
        "tree arrow room": tree.indentation(),
    }


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_indicators_and_scroll_bars_double_at_200_percent(
    qtbot: QtBot, window: MainWindow, high_contrast: bool
) -> None:
    window.zoom.set_high_contrast(high_contrast)
    at_100 = measure(qtbot)
    window.zoom.set_percent(200)
    at_200 = measure(qtbot)
    for name, size in at_100.items():  # rows keep some fixed padding, the indicators none
        factor = 1.5 if name in ("check box row", "combo box", "combo arrow") else 1.8
        assert at_200[name] >= size * factor, (name, size, at_200[name])
    assert at_100["check box"] >= 13 and at_100["scroll bar"] >= 14
