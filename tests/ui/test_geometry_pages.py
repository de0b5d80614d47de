"""Every page of the main window reflows on the small screens of the issue: at 1024×768 with
the app's zoom at 200 % (help desk over remote desktop), 1280×720 at 150 % (a projector, full
screen) and 1366×768 at 100 % (an old laptop), in the school and the county demo profiles:

- no page-level horizontal scroll bar;
- every visible button of the page (on every tab) can be reached: brought into view with the
  page's own vertical scrolling (and that of a long form inside it), it lies wholly inside
  the window and is not clipped;
- at 200 % the FAQ shows at least three whole results.

The app zooms with its own font size (schoolhr/ui/zoom.py), so the sizes are window sizes
at that zoom."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QScrollArea,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from schoolhr.ui.app import application, build_main_window
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from tests.ui.conftest import reset_app_zoom

SIZES = [
    pytest.param(1024, 768, 200, id="1024x768-200%"),
    pytest.param(1280, 720, 150, id="1280x720-150%"),
    pytest.param(1366, 768, 100, id="1366x768-100%"),
]
ROLES = ["school", "county"]
MIN_FAQ_RESULTS = 3


@pytest.fixture(scope="module")
def demo_windows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, MainWindow]]:
    """The main window of each demo profile (built once for the module: a demo takes a while)."""
    from schoolhr.demo import build_demo
    from schoolhr.paths import prepare_data_dir

    app = application()
    windows: dict[str, MainWindow] = {}
    for role in ROLES:
        paths = prepare_data_dir(Path(tmp_path_factory.mktemp(f"demo-{role}")) / "data")
        build_demo(paths, reset=False, role=role)
        windows[role] = build_main_window(app, paths)
    yield windows
    assert wait_for_jobs(10_000)
    QApplication.processEvents()
    for window in windows.values():
        window.close()
        if window.store is not None:
            window.store.close()
        zoom = window.zoom
        window.deleteLater()
        zoom.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    reset_app_zoom(app)


def sized(qtbot: QtBot, window: MainWindow, width: int, height: int, zoom: int) -> MainWindow:
    window.zoom.set_high_contrast(False)
    window.zoom.set_percent(zoom)
    window.show()
    qtbot.waitExposed(window)
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size() == QSize(width, height), timeout=2000)
    return window


def settle(qtbot: QtBot) -> None:
    """Let the layouts (and a splitter that changes its orientation) finish."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)


def scroll_areas_between(widget: QWidget, top: QWidget) -> list[QScrollArea]:
    """The scroll areas that hold ``widget`` inside ``top``'s window, innermost first."""
    areas = []
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            areas.append(parent)
        if parent is top:
            break
        parent = parent.parentWidget()
    return areas


def unreachable_buttons(qtbot: QtBot, window: MainWindow, page: QWidget, where: str) -> list[str]:
    problems = []
    frame = window.rect()
    for button in page.findChildren(QAbstractButton):
        if not button.isVisible():
            continue
        for area in scroll_areas_between(button, window):
            area.ensureWidgetVisible(button, 0, 0)
        settle(qtbot)
        name = button.text() or button.accessibleName() or type(button).__name__
        place = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        if not frame.contains(place):
            problems.append(
                f"{where}: button 「{name}」 at {place.getRect()} is outside the window "
                f"{frame.width()}×{frame.height()}"
            )
        elif button.visibleRegion().boundingRect() != button.rect():
            shown = button.visibleRegion().boundingRect().getRect()
            problems.append(
                f"{where}: button 「{name}」 is cut off "
                f"(shown {shown} of {button.rect().getRect()})"
            )
    return problems


def whole_rows(window: MainWindow) -> int:
    """Results whose lines are wholly in view (top to bottom; a long title is cut with 「…」
    on one line when the results take the whole width)."""
    results = window.faq_page.results
    viewport = results.viewport().rect()
    return sum(
        1
        for i in range(results.count())
        if viewport.top() <= results.visualItemRect(results.item(i)).top()
        and results.visualItemRect(results.item(i)).bottom() <= viewport.bottom()
    )


@pytest.mark.parametrize(("width", "height", "zoom"), SIZES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_reflows_and_keeps_its_buttons_in_reach(
    qtbot: QtBot,
    demo_windows: dict[str, MainWindow],
    role: str,
    width: int,
    height: int,
    zoom: int,
) -> None:
    window = sized(qtbot, demo_windows[role], width, height, zoom)
    titles = window.page_titles()
    if role == "county":
        assert "未解答問題" in titles
    problems: list[str] = []
    for key, title in zip(window.page_keys(), titles, strict=True):
        window.show_page(key)
        scroll = window.pages.currentWidget()
        assert isinstance(scroll, QScrollArea)
        page = scroll.widget()
        assert page is not None
        qtbot.waitUntil(page.isVisible, timeout=2000)
        settle(qtbot)
        where = f"{role} {width}×{height} {zoom}% 「{title}」"
        tab_widgets = [tabs for tabs in page.findChildren(QTabWidget) if tabs.isVisible()]
        tab_rounds = [(tabs, i) for tabs in tab_widgets for i in range(tabs.count())] or [None]
        for round_ in tab_rounds:
            here = where
            if round_ is not None:
                tabs, index = round_
                tabs.setCurrentIndex(index)
                settle(qtbot)
                here = f"{where} tab 「{tabs.tabText(index)}」"
            if scroll.horizontalScrollBar().isVisible():
                problems.append(
                    f"{here}: the page scrolls sideways (needs {page.minimumSizeHint().width()} "
                    f"px, has {scroll.viewport().width()})"
                )
            problems += unreachable_buttons(qtbot, window, page, here)
        for tabs in tab_widgets:
            tabs.setCurrentIndex(0)
        scroll.verticalScrollBar().setValue(0)
        if title == "常見問答" and zoom >= 200:
            rows = whole_rows(window)
            if rows < MIN_FAQ_RESULTS:
                problems.append(f"{where}: the FAQ shows {rows} whole results, want 3 or more")
    assert not problems, "\n".join(problems)
