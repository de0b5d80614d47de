"""The guides page, the narrow step window and presentation mode, on the test content."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from schoolhr.guides import service
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.faq_page import KIND_ROLE
from schoolhr.ui.pages.guides_page import GuidesPage
from schoolhr.ui.widgets.step_view import StepView


def guides(window: MainWindow, guide_id: str = "webitr-comp-leave") -> GuidesPage:
    window.show_page("guides")
    page = window.guides_page
    page.show_guide(guide_id)
    return page


def view(page: GuidesPage) -> StepView:
    assert page.step_view is not None
    return page.step_view


def test_guides_are_listed_by_system_and_by_task(window: MainWindow) -> None:
    page = guides(window)
    systems = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert systems == ["WebITR 差勤系統（1）", "eCPA 人事服務網（1）"]
    page.order.setCurrentIndex(1)
    tasks = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert sorted(tasks) == ["在 WebITR 申請加班補休", "用憑證登入 eCPA 人事服務網"]


def test_page_down_moves_to_the_next_step_and_progress_is_saved(
    qtbot: QtBot, shown_window: MainWindow
) -> None:
    page = guides(shown_window)
    steps = view(page)
    steps.setFocus()
    assert steps.step_title.text() == "登入差勤系統"
    qtbot.keyClick(steps, Qt.Key.Key_PageDown)
    assert steps.step_title.text() == "查詢可補休時數" and not steps.picture.pixmap().isNull()
    steps.tick.setChecked(True)
    qtbot.keyClick(steps, Qt.Key.Key_PageDown)
    assert steps.warning.text() == "注意：不要在備註欄輸入身分證字號"
    qtbot.keyClick(steps, Qt.Key.Key_PageUp)
    assert steps.tick.isChecked()
    assert shown_window.store is not None
    with shown_window.store.read() as session:
        saved = service.progress(session, "webitr-comp-leave")
    assert saved.done == {1} and saved.current == 1
    steps.restart()
    assert steps.index == 0 and not steps.done


def test_open_system_only_after_the_click_and_only_with_an_address(
    window: MainWindow, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "schoolhr.ui.widgets.step_view.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()),
    )
    page = guides(window)
    assert not view(page).open_button.isEnabled()  # WebITR's address is this county's setting
    page.show_guide("ecpa-sign-in")
    assert opened == []
    view(page).open_button.click()
    assert opened == ["https://ecpa.dgpa.gov.tw"]


def test_the_narrow_window_works_at_400_px(qtbot: QtBot, window: MainWindow) -> None:
    page = guides(window)
    narrow = page.open_narrow()
    assert narrow is not None
    qtbot.waitExposed(narrow)
    assert narrow.width() == 400
    inner = narrow.findChild(StepView)
    assert inner is not None and inner.step_title.isVisible()
    assert inner.next_button.isVisible() and inner.next_button.geometry().right() <= 400
    narrow.close()


def test_presentation_mode_moves_with_page_down_and_leaves_with_esc(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = guides(window)
    show = page.present()
    assert show is not None
    qtbot.waitExposed(show)
    assert show.step_title.text() == "1. 登入差勤系統"
    assert show.step_title.font().pointSizeF() > 2 * window.font().pointSizeF()
    qtbot.keyClick(show, Qt.Key.Key_PageDown)
    assert show.step_title.text() == "2. 查詢可補休時數"
    assert view(page).index == 1  # the page follows the presenter
    with qtbot.waitSignal(show.destroyed, timeout=3000):
        qtbot.keyClick(show, Qt.Key.Key_Escape)


def test_a_guide_shows_up_in_the_faq_search_and_opens(qtbot: QtBot, window: MainWindow) -> None:
    window.find_in_faq()
    faq = window.faq_page
    faq.search_box.setText("差勤系統")
    faq.search_now()
    kinds = [faq.results.item(i).data(KIND_ROLE) for i in range(faq.results.count())]
    assert "guide" in kinds
    row = kinds.index("guide")
    faq.results.setCurrentRow(row)
    assert "在 WebITR 申請加班補休" in faq.answer.toPlainText()
    faq.open_current()
    assert window.current_page() is window.guides_page
    assert view(window.guides_page).title.text() == "在 WebITR 申請加班補休"


def test_a_guide_is_saved_as_pdf(qtbot: QtBot, window: MainWindow, tmp_path) -> None:
    page = guides(window)
    job = page.save_pdf_to(tmp_path / "guide.pdf")
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=20_000):
        pass
    assert (tmp_path / "guide.pdf").read_bytes().startswith(b"%PDF")
