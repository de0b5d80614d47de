"""Rendering content safely: hostile HTML and Markdown in FAQ answers, guides and the county's
announcements (local file images, ``file:`` and ``javascript:`` links, remote images, style
sheets and frames, scripts) loads nothing and opens nothing by itself.

"Loads nothing" is watched from outside Qt: the local images live in a folder watched with
Linux inotify (any open of a file there is seen, whatever opened it), and the remote ones point
at an HTTP server on this machine that counts requests. "Opens nothing" is
``QDesktopServices.openUrl`` never being called while rendering.

Figure: surfaces rendered, 0 files read, 0 requests, 0 links opened.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import http.server
import io
import os
import socketserver
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from schoolhr.guides.printing import guide_document
from schoolhr.guides.schema import Guide
from schoolhr.guides.service import SystemView
from schoolhr.paths import DataPaths
from schoolhr.reports.pdf import render_form
from schoolhr.store.database import open_store
from schoolhr.sync import service as sync
from schoolhr.ui.widgets.presentation import PresentationWindow
from schoolhr.ui.widgets.safe_browser import SafeTextBrowser
from schoolhr.ui.widgets.step_view import StepView
from tests.helpers import TEST_CONTENT
from tests.reliability.support import Figures

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="watches files with inotify")


def describe(shown: list[str]) -> str | None:
    if not shown:
        return None
    return (
        f"rendering content safely: {len(shown)} surfaces ({', '.join(shown)}) loaded 0 local "
        "files, made 0 requests and opened 0 links with hostile HTML/Markdown; 0 links open "
        "without a click"
    )


@pytest.fixture(scope="session")
def surfaces(figures: Figures) -> list[str]:
    """The surfaces shown hostile content that loaded and opened nothing: a line of figures."""
    return figures.tally("rendering content safely", list[str], describe)


class FileWatch:
    """Every open of a file in one folder, seen by the kernel (inotify IN_OPEN | IN_ACCESS)."""

    def __init__(self, folder: Path) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self._fd = libc.inotify_init1(os.O_NONBLOCK)
        assert self._fd >= 0, "inotify is not available"
        assert libc.inotify_add_watch(self._fd, str(folder).encode(), 0x20 | 0x01) >= 0

    def events(self) -> int:
        """The number of opens and reads since the last call."""
        try:
            data = os.read(self._fd, 65536)
        except BlockingIOError:
            return 0
        return len(data) // 16 if data else 0  # at least 16 bytes an event

    def close(self) -> None:
        os.close(self._fd)


@dataclass
class Traps:
    folder: Path
    watch: FileWatch
    requests: list[str]
    opened: list[str]
    port: int
    shown: list[str]  # the session's surfaces found calm, for the figures

    @property
    def image(self) -> str:
        return (self.folder / "canary.png").as_posix()

    def hostile(self) -> str:
        """Markdown and HTML that would read, fetch or open something if interpreted."""
        remote = f"http://127.0.0.1:{self.port}"
        return (
            f"![圖](file://{self.image}) ![圖]({self.image}) "
            f"<img src='file://{self.image}'> <img src=\"{self.image}\"> "
            f"<img src='{remote}/remote.png'> ![遠端]({remote}/md.png) "
            f"<link rel='stylesheet' href='{remote}/style.css'>"
            f"<style>@import url('{remote}/import.css');</style> "
            f"<iframe src='{remote}/frame'></iframe> <script>alert(1)</script> "
            f"[本機](file:///etc/passwd) [腳本](javascript:alert(1)) "
            f"<a href='file:///etc/passwd'>檔案</a> <img src='data:image/png;base64,AAAA'>"
        )

    def quiet(self) -> dict[str, int]:
        QApplication.processEvents()
        return {
            "file reads": self.watch.events(),
            "requests": len(self.requests),
            "links opened": len(self.opened),
        }


@pytest.fixture
def traps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, surfaces: list[str]) -> Iterator[Traps]:
    folder = tmp_path / "canary"
    folder.mkdir()
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(folder / "canary.png"))
    requests: list[str] = []

    class Counter(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    watch = FileWatch(folder)
    try:
        yield Traps(folder, watch, requests, opened, server.server_address[1], surfaces)
    finally:
        watch.close()
        server.shutdown()
        server.server_close()


def _calm(traps: Traps, what: str) -> None:
    found = traps.quiet()
    assert found == {"file reads": 0, "requests": 0, "links opened": 0}, what
    traps.shown.append(what)


def test_the_faq_answer_browser_opens_links_only_on_a_click_and_only_http(
    qtbot: QtBot, traps: Traps
) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.set_markdown(
        "[本機](file:///etc/passwd) [腳本](javascript:alert(1)) <script>x</script>"
    )
    assert "<script>" in browser.toPlainText()  # raw HTML in Markdown is shown as text
    assert traps.opened == []
    browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert traps.opened == []
    browser.anchorClicked.emit(QUrl("https://law.moj.gov.tw/"))
    assert traps.opened == ["https://law.moj.gov.tw/"]


def test_the_faq_answer_browser_loads_nothing(qtbot: QtBot, traps: Traps) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.show()
    browser.set_markdown("# 答案\n\n" + traps.hostile())
    browser.setHtml(traps.hostile())  # HTML set directly is not fetched either
    qtbot.wait(50)
    _calm(traps, "FAQ answer")


def _guide(traps: Traps) -> Guide:
    hostile = traps.hostile()
    return Guide.model_validate(
        {
            "id": "hostile-guide",
            "title": "惡意的指引 <img src='file://" + traps.image + "'>",
            "system": "webitr",
            "audience": ["職員"],
            "prerequisites": [hostile],
            "sources": [{"name": "測試用"}],
            "checked": "2026-01-05",
            "steps": [
                {"title": "第一步 <b>粗體</b>", "detail": hostile, "warning": hostile},
                {"title": "第二步", "detail": hostile},
            ],
        }
    )


def test_a_printed_guide_reads_no_file_its_text_names(traps: Traps, tmp_path: Path) -> None:
    system = SystemView("webitr", "WebITR 差勤系統", None, True, None, None)
    document = guide_document(
        _guide(traps), system, TEST_CONTENT, tmp_path, "測試國小", date(2026, 1, 5)
    )
    render_form(document, io.BytesIO())
    _calm(traps, "guide PDF")


def test_a_guide_step_shown_in_the_window_loads_and_opens_nothing(
    qtbot: QtBot, traps: Traps, profile: DataPaths
) -> None:
    store = open_store(profile, daily_backup=False)
    try:
        view = StepView(store, TEST_CONTENT)
        qtbot.addWidget(view)
        view.show()
        view.show_guide(_guide(traps), SystemView("webitr", "WebITR", None, True, None, None))
        view.next()
        qtbot.wait(50)
        _calm(traps, "guide step view")
    finally:
        store.close()


def test_a_guide_on_the_projector_loads_and_opens_nothing(
    qtbot: QtBot, traps: Traps, tmp_path: Path
) -> None:
    window = PresentationWindow(_guide(traps), TEST_CONTENT, tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(50)
    _calm(traps, "presentation mode")


def test_an_announcement_from_the_county_loads_and_opens_nothing(
    qtbot: QtBot, traps: Traps, profile: DataPaths
) -> None:
    from schoolhr.ui.pages.sync_page import SyncPage

    store = open_store(profile, daily_backup=False)
    try:
        with store.write() as session:
            from schoolhr.sync.models import Announcement

            # Qt takes text for rich text when a tag comes before the first line break: the
            # page shows "title\nbody", so the title is what decides.
            title = f"<img src='file://{traps.image}'>最新消息"
            session.add(
                Announcement(
                    title=title, body=traps.hostile(), published="2026-01-05", origin="pack"
                )
            )
        page = SyncPage()
        page.set_store(store)
        qtbot.addWidget(page)
        _close_modal_boxes_soon()
        page._show_announcements()
        _calm(traps, "announcement")
        assert sync.unseen_announcements(store) == []  # shown, and marked as seen
    finally:
        store.close()


def _close_modal_boxes_soon() -> None:
    """The page shows a modal box and waits: close it once it has been painted."""

    def close() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, close)
            return
        QApplication.processEvents()
        box.close()

    QTimer.singleShot(50, close)


def test_an_answer_already_in_the_database_loads_and_opens_nothing(
    qtbot: QtBot, traps: Traps, profile: DataPaths
) -> None:
    """Content check and the content pack check refuse such an answer now; one stored before
    them (an older pack, an entry edited at the county) is still shown as inert text."""
    from schoolhr.faq import service as faq
    from schoolhr.faq.models import ORIGIN_PACK
    from schoolhr.faq.schema import FaqEntryData
    from schoolhr.ui.pages.faq_page import FaqPage

    store = open_store(profile, daily_backup=False)
    try:
        data = FaqEntryData.model_validate(
            {
                "id": "older-pack-answer",
                "title": f"舊內容包的答案 <img src='file://{traps.image}'>",
                "category": "請假",
                "audience": ["職員"],
                "keywords": ["舊內容包惡意答案"],
                "sources": [{"name": "測試用", "url": "https://law.moj.gov.tw/)[x](file:///"}],
                "reviewed": "2026-01-05",
                "body": "# 答案\n\n" + traps.hostile(),
            }
        )
        with store.write() as session:
            faq.add_version(session, data, publish=True, origin=ORIGIN_PACK)
        page = FaqPage()
        qtbot.addWidget(page)
        page.set_store(store)
        page.show()
        page.refresh()
        page.search_box.setText("舊內容包惡意答案")
        page.search_now()
        qtbot.wait(50)
        shown = page.answer.toPlainText()
        assert "舊內容包的答案" in shown and "<script>alert(1)</script>" in shown
        _calm(traps, "FAQ answer already in the database")
    finally:
        store.close()
