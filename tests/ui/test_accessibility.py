"""Every control on every page can be told apart by a screen reader and reached by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from schoolhr.store.database import update_site
from schoolhr.ui.main_window import MainWindow

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces (the explicit accessible name, else the text Qt
    derives: a button's text, a field's buddy label)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return (widget.accessibleName() or name or "").strip()


def _part_of_another_control(widget: QWidget) -> bool:
    """Scroll bars and headers of a list or table, the editor and pop-up list of a combo or
    spin box, a tab bar's scroll arrows: they speak for the control they belong to."""
    if isinstance(widget, (QScrollBar, QHeaderView)) or widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QTabBar, QLineEdit)):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or _part_of_another_control(widget):
            continue
        if not accessible_name(widget):
            owner = type(root).__name__
            missing.append(f"{owner}: {type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_control_on_every_page_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.store is not None
    update_site(window.store, role="county")  # the county sees every page and button
    window.refresh()
    missing: list[str] = []
    for key in window.page_keys():
        window.show_page(key)
        missing += unnamed_controls(window.current_page())
    missing += unnamed_controls(window.navigation.parentWidget())
    assert missing == []


def _tab_stops(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and not _part_of_another_control(w)
        and w.isVisibleTo(root)
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def test_tab_reaches_every_control_on_every_page(qtbot: QtBot, window: MainWindow) -> None:
    """Walking the focus chain with Tab from the page visits each of its controls once before
    it leaves the page: nothing is out of the keyboard's reach."""
    assert window.store is not None
    update_site(window.store, role="county")
    window.refresh()
    unreachable: list[str] = []
    for key, title in zip(window.page_keys(), window.page_titles(), strict=True):
        window.show_page(key)
        page = window.current_page()
        stops = _tab_stops(page)
        assert stops, f"{title} has no control to reach"
        seen: list[QWidget] = []
        widget = page.nextInFocusChain()
        for _ in range(2000):
            if widget is page:
                break
            if widget in stops and widget not in seen:
                seen.append(widget)
            widget = widget.nextInFocusChain()
        unreachable += [f"{title}: {type(w).__name__}" for w in stops if w not in seen]
    assert unreachable == []


def test_dialogs_of_the_help_desk_and_the_shortcut_overlay_name_their_controls(
    qtbot: QtBot, window: MainWindow
) -> None:
    helpdesk = window.show_helpdesk()
    shortcuts = window.show_shortcuts()
    assert unnamed_controls(helpdesk) == [] and unnamed_controls(shortcuts) == []
    qtbot.waitUntil(lambda: helpdesk.report is not None, timeout=20_000)
    helpdesk.close()
    shortcuts.close()
