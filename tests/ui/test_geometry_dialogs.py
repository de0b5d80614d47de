"""Dialogs, the narrow guide window and the presentation fit the three screens of issue 21:
1024x768 at 200 % (help desk over remote desktop), 1280x720 at 150 % (projector) and 1366x768
at 100 % (old laptop). The zoom is the app's own (the font), the screen's free area is the
size's: every dialog's frame stays inside it, every visible button inside the dialog, Esc
closes it; the import preview shows five rows, the guide window five lines of step text, and
the slides' text is never cut or covered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from schoolhr.guides.schema import GuideStep
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.widgets.presentation import PresentationWindow
from schoolhr.ui.widgets.step_view import StepView
from tests.helpers import TEST_CONTENT, TEST_DATA

SIZES = [
    pytest.param((1024, 768, 200), id="1024x768-200"),
    pytest.param((1280, 720, 150), id="1280x720-150"),
    pytest.param((1366, 768, 100), id="1366x768-100"),
]
LONG_DETAIL = (
    "在「差勤管理」選單中選「補休申請」，確認上方顯示的可補休時數與加班紀錄相符；"
    "填寫補休的起訖日期與時間，時數以小時計，系統會自動扣除午休。"
    "事由欄請簡短說明，例如「補休 11 月 3 日運動會加班」，不要寫入身分證字號或病名。"
    "送出後請到「簽核進度」確認已送到主管，若主管退回，依退回意見修改後再送一次。"
) * 2


@pytest.fixture(params=SIZES)
def screen(
    request: pytest.FixtureRequest, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> Iterator[QRect]:
    """The size's screen (its free area) and the app's zoom at the size's percent."""
    width, height, percent = request.param
    area = QRect(0, 0, width, height)
    monkeypatch.setattr("schoolhr.ui.widgets.fit.available_area", lambda _widget: area)
    window.zoom.set_percent(percent)
    yield area


def check_fits(qtbot: QtBot, dialog: QWidget, area: QRect) -> None:
    """Shown, the dialog's frame is inside the screen and its buttons inside the dialog."""
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    frame = dialog.frameGeometry()
    assert area.contains(frame), f"{type(dialog).__name__} {frame} is not inside {area}"
    inside = dialog.rect()
    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
    assert buttons
    for button in buttons:
        if not button.isVisible():
            continue  # inside a scroll area, scrolled away: reachable by scrolling
        where = QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
        clip = button.visibleRegion().boundingRect()
        in_scroll = clip.size() != button.size()
        assert inside.contains(where) or in_scroll, f"「{button.text()}」 {where} not in {inside}"


def close_with_esc(qtbot: QtBot, dialog: QWidget) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def test_the_import_dialog_fits_and_shows_five_preview_rows(
    qtbot: QtBot, window: MainWindow, screen: QRect
) -> None:
    window.show_page("contacts")
    page = window.contacts_page
    page.import_path(TEST_DATA / "contacts" / "utf8-bom.csv")  # twelve columns to map
    dialog = page.import_dialog
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    check_fits(qtbot, dialog, screen)
    preview = dialog.preview
    rows = preview.viewport().height() // preview.verticalHeader().defaultSectionSize()
    assert rows >= 5
    assert dialog.import_button.isVisible() and dialog.import_button.isEnabled()
    close_with_esc(qtbot, dialog)


def test_every_dialog_fits_and_closes_with_esc(
    qtbot: QtBot, window: MainWindow, screen: QRect
) -> None:
    from schoolhr.ui.dialogs.about_dialog import AboutDialog
    from schoolhr.ui.dialogs.export_dialog import ExportDialog
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog
    from schoolhr.ui.dialogs.helpdesk_dialog import HelpDeskDialog
    from schoolhr.ui.dialogs.news_dialog import NewsDialog
    from schoolhr.ui.dialogs.not_found_dialog import NotFoundDialog
    from schoolhr.ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from schoolhr.ui.dialogs.site_dialog import SiteDialog

    store = window.store
    assert store is not None
    window.resize(screen.size())
    dialogs: list[QDialog] = [
        SiteDialog(store, window),
        ExportDialog(3, window),
        FaqEditDialog(store, ["請假", "差勤"], "", window),
        NotFoundDialog("代理教師可以請婚假嗎", window),
        HelpDeskDialog(window.paths, store, None, window),
        ShortcutsDialog(window),
        AboutDialog(window.paths, window),
        NewsDialog("\n\n".join(f"第 {i} 則公告\n{LONG_DETAIL}" for i in range(6)), window),
    ]
    for dialog in dialogs:
        check_fits(qtbot, dialog, screen)
        close_with_esc(qtbot, dialog)


def test_faq_edit_errors_are_shown_with_the_buttons_in_reach(
    qtbot: QtBot, window: MainWindow, screen: QRect
) -> None:
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog

    assert window.store is not None
    dialog = FaqEditDialog(window.store, ["請假"], "", window)
    check_fits(qtbot, dialog, screen)
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)  # an empty form
    assert dialog.errors.text()
    assert not dialog.errors.visibleRegion().isEmpty()  # scrolled into view
    check_fits(qtbot, dialog, screen)
    dialog.reject()


def test_the_guide_window_keeps_five_lines_of_step_text(
    qtbot: QtBot, window: MainWindow, screen: QRect
) -> None:
    window.show_page("guides")
    page = window.guides_page
    page.show_guide("webitr-comp-leave")
    narrow = page.open_narrow()
    assert narrow is not None
    qtbot.waitExposed(narrow)
    assert narrow.width() == 400 and screen.contains(narrow.frameGeometry())
    inner = narrow.findChild(StepView)
    assert inner is not None
    inner.detail.setText(LONG_DETAIL)  # a long step: how much of it can be read
    QApplication.processEvents()
    viewport = inner.step_scroll.viewport()
    top = inner.detail.mapTo(viewport, inner.detail.rect().topLeft()).y()
    line = inner.detail.fontMetrics().lineSpacing()
    assert (viewport.height() - top) // line >= 5
    assert inner.detail.width() <= viewport.width()  # wrapped, not cut at the right
    for button in (inner.previous_button, inner.next_button, inner.open_button):
        where = QRect(button.mapTo(narrow, button.rect().topLeft()), button.size())
        assert narrow.rect().contains(where), button.text()
    narrow.activateWindow()
    qtbot.waitUntil(narrow.isActiveWindow, timeout=2000)
    with qtbot.waitSignal(narrow.destroyed, timeout=3000):
        qtbot.keyClick(inner, Qt.Key.Key_Escape)


def slide_fits(show: PresentationWindow) -> None:
    labels = [
        label
        for label in (show.heading, show.step_title, show.detail, show.warning, show.footer)
        if label.isVisible()
    ]
    previous_bottom = 0
    for label in labels:
        box = label.geometry()
        assert show.rect().contains(box), f"{label.text()[:20]} {box} off the slide"
        assert label.heightForWidth(label.width()) <= box.height(), f"cut: {label.text()[:20]}"
        assert box.top() >= previous_bottom, f"overlap: {label.text()[:20]}"
        previous_bottom = box.bottom()
    picture = show.picture.geometry()
    assert picture.bottom() <= show.footer.geometry().top()


def test_slides_fit_a_1280x720_projector_at_150_percent(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.zoom.set_percent(150)
    window.show_page("guides")
    page = window.guides_page
    page.show_guide("webitr-comp-leave")
    guide = page.current_guide()
    assert guide is not None
    long_step = GuideStep(
        title="填寫補休申請並送出，確認主管已收到簽核通知",
        detail=LONG_DETAIL,
        warning="不要在事由欄輸入身分證字號、病名或其他個人資料",
        picture="pictures/flow.png",
    )
    guide = guide.model_copy(update={"steps": [*guide.steps, long_step]})
    show = PresentationWindow(guide, Path(TEST_CONTENT), window.paths.root)
    show.setGeometry(0, 0, 1280, 720)
    show.show()
    qtbot.waitExposed(show)
    for _ in guide.steps:
        QApplication.processEvents()
        slide_fits(show)
        qtbot.keyClick(show, Qt.Key.Key_PageDown)
    assert show.step_title.text().startswith(f"{len(guide.steps)}. ")
    assert show.detail.isVisible()
    with qtbot.waitSignal(show.destroyed, timeout=3000):
        qtbot.keyClick(show, Qt.Key.Key_Escape)


def test_short_slides_keep_the_large_text(qtbot: QtBot, window: MainWindow) -> None:
    window.zoom.set_percent(150)
    window.show_page("guides")
    page = window.guides_page
    page.show_guide("webitr-comp-leave")
    guide = page.current_guide()
    assert guide is not None
    show = PresentationWindow(guide, Path(TEST_CONTENT), window.paths.root)
    show.setGeometry(0, 0, 1280, 720)
    show.show()
    qtbot.waitExposed(show)
    QApplication.processEvents()
    assert show.step_title.font().pointSizeF() >= 15 * 2.6 * 1.5 * 0.99
    slide_fits(show)
    show.close()
