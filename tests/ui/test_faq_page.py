"""The FAQ page under pytest-qt, on the small test content (tests/data/content)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from schoolhr.faq import service
from schoolhr.faq.unanswered import list_unanswered
from schoolhr.store.database import update_site
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.faq_page import ENTRY_ROLE, FaqPage


def faq(window: MainWindow) -> FaqPage:
    window.find_in_faq()
    return window.faq_page


def result_ids(page: FaqPage) -> list[str]:
    return [page.results.item(i).data(ENTRY_ROLE) for i in range(page.results.count())]


def type_chars(page: FaqPage, text: str) -> None:
    """Type CJK text one character at a time, as an input method commits it (QTest's
    keyClicks only knows ASCII keys)."""
    for char in text:
        page.search_box.insert(char)


def type_query(qtbot: QtBot, page: FaqPage, text: str) -> None:
    page.search_box.clear()
    type_chars(page, text)
    page.search_now()


def test_ctrl_f_goes_to_the_search_box(qtbot: QtBot, shown_window: MainWindow) -> None:
    shown_window.show_page("home")
    qtbot.keyClick(shown_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert shown_window.current_page() is shown_window.faq_page
    qtbot.waitUntil(shown_window.faq_page.search_box.hasFocus, timeout=2000)


def test_typing_shows_results_as_you_type(qtbot: QtBot, shown_window: MainWindow) -> None:
    page = faq(shown_window)
    type_chars(page, "補休")
    qtbot.waitUntil(lambda: "overtime-compensatory-leave-expiry" in result_ids(page), timeout=3000)
    assert result_ids(page)[0] == "overtime-compensatory-leave-expiry"
    assert "補休" in page.results.item(0).text()  # shows why it matched
    assert "二年內" in page.answer.toPlainText()  # the best answer is already on screen


def test_enter_opens_the_answer_with_sources_and_review_date(
    qtbot: QtBot, shown_window: MainWindow
) -> None:
    page = faq(shown_window)
    type_chars(page, "特休")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    text = page.answer.toPlainText()
    assert "職員的休假有幾天" in text
    assert "公務人員請假規則" in text and "內容檢閱日期：115年11月1日" in text
    qtbot.waitUntil(page.answer.hasFocus, timeout=2000)


def test_arrow_keys_move_through_results_and_esc_returns(
    qtbot: QtBot, shown_window: MainWindow
) -> None:
    page = faq(shown_window)
    type_query(qtbot, page, "休")
    assert page.results.count() >= 2
    qtbot.keyClick(page.search_box, Qt.Key.Key_Down)
    qtbot.waitUntil(page.results.hasFocus, timeout=2000)
    qtbot.keyClick(page.results, Qt.Key.Key_Down)
    assert page.results.currentRow() == 1
    qtbot.keyClick(page.results, Qt.Key.Key_Escape)
    qtbot.waitUntil(page.search_box.hasFocus, timeout=2000)


def test_matched_words_are_highlighted_in_the_answer(qtbot: QtBot, window: MainWindow) -> None:
    page = faq(window)
    type_query(qtbot, page, "補休 期限")
    document = page.answer.document()
    highlighted = set()
    block = document.begin()
    while block.isValid():
        for fragment_index in range(block.textFormats().__len__()):
            fmt = block.textFormats()[fragment_index]
            if fmt.format.background().color().name() == "#ffe066":
                highlighted.add(block.text()[fmt.start : fmt.start + fmt.length])
        block = block.next()
    assert {"補休", "期限"} <= highlighted


def test_browsing_a_category_lists_its_entries(qtbot: QtBot, window: MainWindow) -> None:
    page = faq(window)
    labels = [page.categories.item(i).text() for i in range(page.categories.count())]
    assert labels[0] == "全部（5）" and "請假（2）" in labels
    page.categories.setCurrentRow(labels.index("請假（2）"))
    assert sorted(result_ids(page)) == ["leave-mentions-compensatory", "leave-staff-annual"]


def test_no_result_offers_a_suggestion_that_can_be_clicked(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = faq(window)
    type_query(qtbot, page, "補修")
    assert page.results.count() == 0
    assert "補休" in page.status.text()
    page.status.linkActivated.emit("補休")
    assert page.search_box.text() == "補休" and page.results.count() > 0


def test_hostile_queries_do_not_break_the_page(qtbot: QtBot, window: MainWindow) -> None:
    page = faq(window)
    # each is answered with one of the page's own sentences (a query of no words lists all)
    answered = ("找到 ", "找不到符合的問答。", "沒有完全符合的問答", "共 ")
    for query in ['"', "NEAR(", "補休 OR *", "😀", "a" * 5000]:
        page.search_box.setText(query)
        page.search_now()
        assert page.status.text().startswith(answered), (query[:20], page.status.text())
    type_query(qtbot, page, "補休")  # the page still searches afterwards
    assert result_ids(page)[0] == "overtime-compensatory-leave-expiry"
    assert "二年內" in page.answer.toPlainText()


def test_copy_answer_puts_the_answer_and_its_source_on_the_clipboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = faq(window)
    type_query(qtbot, page, "補休期限")
    page.copy_answer()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("補休的期限是多久？") and "依據：公務人員保障法" in copied


def test_an_abandoned_question_is_logged_for_the_help_desk(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = faq(window)
    type_query(qtbot, page, "代理教師薪水")  # partial answers at best (nothing on 薪水)
    type_query(qtbot, page, "婚假")  # a different question: the first was given up on
    assert window.store is not None
    assert [q.query for q in list_unanswered(window.store)] == ["代理教師薪水"]


def test_an_opened_answer_is_not_logged(qtbot: QtBot, window: MainWindow) -> None:
    page = faq(window)
    type_query(qtbot, page, "補休")
    page.open_current()
    page.search_box.clear()
    page.search_now()
    page.flush_unanswered()
    assert window.store is not None and list_unanswered(window.store) == []


def test_not_found_button_records_the_question_with_a_note(
    qtbot: QtBot, window: MainWindow, monkeypatch
) -> None:
    from schoolhr.ui.dialogs import not_found_dialog

    monkeypatch.setattr(not_found_dialog.NotFoundDialog, "exec", lambda self: 1)
    monkeypatch.setattr(not_found_dialog.NotFoundDialog, "note", lambda self: "校長想知道")
    page = faq(window)
    type_query(qtbot, page, "兼任人事加給")
    page.report_not_found()
    assert window.store is not None
    rows = list_unanswered(window.store)
    assert rows[0].query == "兼任人事加給" and rows[0].note == "校長想知道"
    assert "已記下" in page.status.text()


def test_links_open_only_after_a_click_and_only_http(
    qtbot: QtBot, window: MainWindow, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "schoolhr.ui.widgets.safe_browser.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()),
    )
    page = faq(window)
    browser = page.answer
    assert not browser.openLinks() and not browser.openExternalLinks()
    browser.set_markdown(
        "[法規](https://law.moj.gov.tw/) [本機](file:///etc/passwd) ![圖](file:///etc/hosts) "
        "<img src='https://example.com/x.png'>"
    )
    assert opened == []  # rendering loads and opens nothing
    blank = browser.loadResource(2, QUrl("file:///etc/hosts"))  # an image: an empty one
    assert blank.size().width() == 1 and blank.pixelColor(0, 0).alpha() == 0
    browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    browser.anchorClicked.emit(QUrl("https://law.moj.gov.tw/"))
    assert opened == ["https://law.moj.gov.tw/"]
    assert "<img" in browser.toPlainText()  # raw HTML is shown as text, not interpreted


def test_the_county_edits_a_draft_while_the_published_answer_stays(
    qtbot: QtBot, window: MainWindow, monkeypatch
) -> None:
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog

    assert window.store is not None
    update_site(window.store, role="county")
    window.refresh()
    page = faq(window)
    assert "未解答問題" in window.page_titles()
    assert not page.new_button.isHidden() and page.new_button.isEnabled()
    entry_id = "overtime-compensatory-leave-expiry"
    dialog = FaqEditDialog(window.store, ["加班與補休"], entry_id, window)
    dialog.body_edit.setPlainText("修訂中的答案：補休期限請依最新規定。")
    dialog.save(publish=False)
    with window.store.read() as session:
        shown = service.published(session, entry_id)
        pending = service.draft(session, entry_id)
    assert shown is not None and "二年內" in shown.body
    assert pending is not None and pending.body.startswith("修訂中的答案")

    again = FaqEditDialog(window.store, ["加班與補休"], entry_id, window)
    assert again.body_edit.toPlainText().startswith("修訂中的答案")  # the draft is resumed
    again.save(publish=True)
    page.refresh()
    type_query(qtbot, page, "補休期限")
    assert "修訂中的答案" in page.answer.toPlainText()


def test_the_edit_form_refuses_what_content_check_refuses(window: MainWindow) -> None:
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog

    assert window.store is not None
    dialog = FaqEditDialog(window.store, ["請假"], "", window)
    dialog.id_edit.setText("Bad Id")
    dialog.title_edit.setText("婚假有幾天？")
    dialog.sources_edit.setPlainText("公務人員請假規則 | 第3條 | http://insecure.example")
    dialog.body_edit.setPlainText("短")
    dialog.save(publish=True)
    errors = dialog.errors.text()
    assert "編號只能用小寫英文字母" in errors
    assert "網址須以 https:// 開頭" in errors
    assert "答案" in errors
    assert dialog.result() == 0  # not accepted, nothing saved
    with window.store.read() as session:
        assert service.published(session, "bad-id") is None
    QApplication.processEvents()


def test_a_flag_needs_its_note_and_the_answer_shows_what_to_check(
    qtbot: QtBot, window: MainWindow
) -> None:
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog

    assert window.store is not None
    update_site(window.store, role="county")
    window.refresh()
    page = faq(window)
    entry_id = "overtime-compensatory-leave-expiry"
    dialog = FaqEditDialog(window.store, ["加班與補休"], entry_id, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.review_note_edit.isEnabled()  # no flag, no note
    qtbot.mouseClick(dialog.needs_review, Qt.MouseButton.LeftButton)
    assert dialog.review_note_edit.isEnabled()
    dialog.sources_edit.setPlainText("公務人員請假規則 | 第3條 | https://www.dgpa.gov.tw/")
    dialog.save(publish=True)
    errors = dialog.errors.text()
    assert "複查說明" in errors and dialog.result() == 0
    dialog.sources_edit.setPlainText(
        "公務人員請假規則 | 第3條 | https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=S0110016"
    )
    dialog.save(publish=True)
    assert "是網站首頁" not in dialog.errors.text()
    assert "複查說明" in dialog.errors.text()  # the flag still has no note
    dialog.review_note_edit.setText("補休期限的起算日待對照114年修正後條文")
    dialog.save(publish=True)
    assert dialog.errors.text() == "" and dialog.result() == 1
    with window.store.read() as session:
        shown = service.published(session, entry_id)
    assert shown is not None and shown.review_note == "補休期限的起算日待對照114年修正後條文"
    page.refresh()
    type_query(qtbot, page, "補休期限")
    text = page.answer.toPlainText()
    assert "此則待複查" in text and "待複查事項：補休期限的起算日待對照114年修正後條文" in text


def test_the_edit_form_refuses_a_home_page_as_a_source(window: MainWindow) -> None:
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog

    assert window.store is not None
    update_site(window.store, role="county")
    entry_id = "overtime-compensatory-leave-expiry"
    dialog = FaqEditDialog(window.store, ["加班與補休"], entry_id, window)
    dialog.sources_edit.setPlainText("公務人員請假規則 | 第3條 | https://www.dgpa.gov.tw/")
    dialog.save(publish=True)
    assert "是網站首頁" in dialog.errors.text() and dialog.result() == 0


def test_the_review_date_is_typed_in_roc(qtbot: QtBot, window: MainWindow) -> None:
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog

    assert window.store is not None
    update_site(window.store, role="county")
    window.refresh()
    entry_id = "overtime-compensatory-leave-expiry"
    dialog = FaqEditDialog(window.store, ["加班與補休"], entry_id, window)
    dialog.reviewed_edit.line.selectAll()
    qtbot.keyClicks(dialog.reviewed_edit.line, "115/2/29")
    dialog.save(publish=False)
    assert "「115/2/29」" in dialog.errors.text() and "2 月沒有 29 日" in dialog.errors.text()
    assert dialog.result() == 0
    day = date.today() - timedelta(days=3)
    dialog.reviewed_edit.line.selectAll()
    qtbot.keyClicks(dialog.reviewed_edit.line, f"{day.year - 1911}.{day.month}.{day.day}")
    dialog.save(publish=False)
    with window.store.read() as session:
        pending = service.draft(session, entry_id)
    assert pending is not None and pending.reviewed == day
