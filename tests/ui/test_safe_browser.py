"""The answer viewer shows hostile Markdown as inert text: raw HTML as text, no image, links only
to http(s). Content check and the pack check refuse such text today; the viewer must not rely on
them (an answer stored by an older pack, an entry edited before the check)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from schoolhr.faq import service
from schoolhr.faq.models import ORIGIN_PACK
from schoolhr.faq.schema import FaqEntryData
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.widgets.safe_browser import (
    SafeTextBrowser,
    is_web_address,
    make_inert,
    plain_tooltip,
)

HOSTILE = (
    "答案開頭。\n\n<script>alert(1)</script>\n\n<img src=file:///etc/hostname>\n\n"
    "[x](javascript:alert(1)) ![主機名稱](file://{canary}) <file:///etc/passwd> "
    "[法規](https://law.moj.gov.tw/)"
)


@dataclass
class Requests:
    """What the viewer was asked for while rendering, and what it answered."""

    canary: Path
    answers: list[tuple[str, object]] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return HOSTILE.format(canary=self.canary.as_posix())

    def loaded(self) -> list[str]:
        """The requests answered with anything but a blank: a file's content, a page."""
        blank = [QImage, str]
        return [
            name
            for name, answer in self.answers
            if type(answer) not in blank
            or (isinstance(answer, QImage) and answer.width() > 1)
            or (isinstance(answer, str) and answer)
        ]


@pytest.fixture
def requests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Requests]:
    """Every resource any safe browser is asked for, with its answer. The image named in the
    text is a real 8×8 PNG: answering with its pixels would show that it was read."""
    canary = tmp_path / "canary.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(canary))
    found = Requests(canary)
    answer = SafeTextBrowser.loadResource

    def spy(self: SafeTextBrowser, kind: int, name: QUrl | str) -> object:
        result = answer(self, kind, name)
        found.answers.append((name.toString() if isinstance(name, QUrl) else str(name), result))
        return result

    monkeypatch.setattr(SafeTextBrowser, "loadResource", spy)
    yield found


def shapes(document: QTextDocument) -> tuple[int, list[str]]:
    """(images, link addresses) left in ``document``."""
    images, links = 0, []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fmt = fragments.fragment().charFormat()
            images += fmt.isImageFormat()
            if fmt.isAnchor():
                links.append(fmt.anchorHref())
            fragments += 1
        block = block.next()
    return images, links


def assert_inert(browser: SafeTextBrowser, requests: Requests) -> None:
    text = browser.toPlainText()
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert "<img src=file:///etc/hostname>" in text
    assert "〔圖片：主機名稱〕" in text  # an image is its description
    assert "file:///etc/passwd" in text  # an autolink that is not http(s): plain text
    assert shapes(browser.document()) == (0, ["https://law.moj.gov.tw/"])
    # Qt asks for an image's size while it reads the Markdown; it gets a blank, never the file
    assert requests.loaded() == [], f"the viewer loaded {requests.loaded()}"
    asked = {name for name, _answer in requests.answers}
    assert asked <= {requests.canary.as_uri()}, asked


def test_hostile_markdown_renders_as_inert_text(qtbot: QtBot, requests: Requests) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.show()
    qtbot.waitExposed(browser)
    browser.set_markdown(requests.markdown)
    browser.grab()  # painted: any image would be asked for now
    assert_inert(browser, requests)


def test_an_answer_already_in_the_database_is_shown_inert(
    qtbot: QtBot, window: MainWindow, requests: Requests, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "schoolhr.ui.widgets.safe_browser.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()),
    )
    data = FaqEntryData.model_validate(
        {
            "id": "older-pack-entry",
            "title": "舊內容包的惡意答案？",
            "category": "請假",
            "audience": ["職員"],
            "keywords": ["惡意答案"],
            "sources": [{"name": "測試用依據"}],
            "reviewed": "2026-01-05",
            "body": requests.markdown,
        }
    )
    assert window.store is not None
    with window.store.write() as session:  # as an older pack (before the check) stored it
        service.add_version(session, data, publish=True, origin=ORIGIN_PACK)
    window.show()
    window.find_in_faq()
    page = window.faq_page
    page.refresh()
    page.search_box.setText("惡意答案")
    page.search_now()
    assert "舊內容包的惡意答案" in page.answer.toPlainText()
    page.answer.grab()
    assert_inert(page.answer, requests)
    assert opened == []


def test_only_http_and_https_links_stay_links() -> None:
    assert is_web_address("https://law.moj.gov.tw/") and is_web_address("HTTP://a.tw/x")
    for href in ("javascript:alert(1)", "file:///etc/passwd", "mailto:a@b.tw", "/etc", "http:x"):
        assert not is_web_address(href), href
    document = QTextDocument()
    document.setMarkdown("[a](file:///x) [b](https://a.tw/) [c](JavaScript:1) [d](#top)")
    assert make_inert(document) == 3
    assert shapes(document) == (0, ["https://a.tw/"])
    assert document.toPlainText() == "a b c d"


def test_the_edit_form_refuses_html_and_other_links(window: MainWindow) -> None:
    from schoolhr.ui.dialogs.faq_edit_dialog import FaqEditDialog

    assert window.store is not None
    dialog = FaqEditDialog(window.store, ["請假"], "", window)
    dialog.id_edit.setText("html-answer")
    dialog.title_edit.setText("婚假有幾天？")
    dialog.keywords_edit.setText("婚假")
    dialog.sources_edit.setPlainText("公務人員請假規則 | 第3條")
    dialog.body_edit.setPlainText("婚假十四日。\n\n<script>alert(1)</script>\n[x](javascript:1)")
    dialog.save(publish=True)
    errors = dialog.errors.text()
    assert "「答案」第 3 行：不可使用 HTML 標籤" in errors, errors
    assert "「答案」第 4 行：連結「javascript:1" in errors, errors
    assert dialog.result() == 0
    with window.store.read() as session:
        assert service.published(session, "html-answer") is None


def test_a_tool_tip_shows_its_text_as_it_is() -> None:
    assert plain_tooltip("") == ""
    assert plain_tooltip("<img src='file:///etc/hostname'>\n第二行") == (
        "<p>&lt;img src=&#x27;file:///etc/hostname&#x27;&gt;<br>第二行</p>"
    )


def test_a_checklist_from_an_older_pack_shows_its_markup_as_text(
    window: MainWindow, requests: Requests
) -> None:
    from PySide6.QtWidgets import QLabel

    from schoolhr.checklists import service as checklists
    from schoolhr.checklists.schema import ChecklistTemplate
    from schoolhr.ui.pages.checklists_page import ID_ROLE

    image = f"<img src='{requests.canary.as_uri()}'>"
    template = ChecklistTemplate.model_validate(
        {
            "id": "older-pack",
            "title": "舊內容包的檢核表",
            "purpose": image + "用途",
            "audience": ["兼任人事"],
            "sources": [{"name": "測試用依據"}],
            "reviewed": "2026-01-05",
            "period": "年度",
            "sections": [
                {
                    "id": "main",
                    "title": "主要項目",
                    "note": image + "說明",
                    "items": [
                        {"id": "when", "label": image + "日期", "type": "date", "help": image}
                    ],
                }
            ],
        }
    )
    assert window.store is not None
    with window.store.write() as session:  # as an older pack (before the check) stored it
        checklists.install_templates(session, [template], ORIGIN_PACK)
    window.refresh()
    window.show_page("checklists")
    page = window.checklists_page
    ids = [page.template_list.item(i).data(ID_ROLE) for i in range(page.template_list.count())]
    page.template_list.setCurrentRow(ids.index("older-pack"))
    assert page.template_list.currentItem().toolTip().startswith("<p>&lt;img")
    page.start_run()
    labels = [w for w in page.form_area.findChildren(QLabel) if image in w.text()]
    assert len(labels) == 2  # the section's note and the item's label
    for label in labels:
        assert label.textFormat().name == "PlainText"  # shown as text: the picture is not read
