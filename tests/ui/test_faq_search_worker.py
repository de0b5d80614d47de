"""Typed queries are answered by the FAQ page's search worker, off the UI thread: the latest
query wins, an answer to a query typed over is dropped, and Enter answers at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from schoolhr.search.engine import Outcome, Searcher
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages import faq_page
from schoolhr.ui.pages.faq_page import ENTRY_ROLE, SEARCH_LIMIT, SEARCHED_KINDS, FaqPage


def result_ids(page: FaqPage) -> list[str]:
    return [page.results.item(i).data(ENTRY_ROLE) for i in range(page.results.count())]


SEARCH = Searcher.search  # as it is, not as a test records it


def expected_ids(window: MainWindow, query: str) -> list[str]:
    assert window.store is not None
    outcome = SEARCH(Searcher(window.store.engine), query, SEARCH_LIMIT, SEARCHED_KINDS)
    return [hit.ref for hit in outcome.hits]


def type_chars(page: FaqPage, text: str) -> None:
    for char in text:
        page.search_box.insert(char)


@pytest.fixture
def page(qtbot: QtBot, window: MainWindow) -> FaqPage:
    window.find_in_faq()
    faq = window.faq_page
    assert faq._searcher is not None
    qtbot.waitUntil(faq._searcher.ready, timeout=10_000)
    assert wait_for_jobs()
    return faq


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """Searches record their query and thread; a query put in ``held`` waits for its event."""
    record: dict[str, object] = {"queries": [], "threads": [], "held": {}}
    search = SEARCH

    def recorded(self: Searcher, query: str, limit: int = 20, kinds: tuple = ()) -> Outcome:
        record["queries"].append(query)  # type: ignore[attr-defined]
        record["threads"].append(threading.current_thread())  # type: ignore[attr-defined]
        gate = record["held"].get(query)  # type: ignore[attr-defined]
        if gate is not None:
            assert gate.wait(10)
        return search(self, query, limit, kinds)

    monkeypatch.setattr(Searcher, "search", recorded)
    yield record
    for gate in record["held"].values():  # type: ignore[attr-defined]
        gate.set()


def test_typing_fast_shows_the_answer_to_the_last_query_only(
    qtbot: QtBot, window: MainWindow, page: FaqPage, searches: dict[str, object]
) -> None:
    type_chars(page, "補休")
    page.search_box.selectAll()
    type_chars(page, "特休")
    qtbot.waitUntil(lambda: not page.searching(), timeout=10_000)
    assert searches["queries"] == ["特休"]  # the pause came after the last key only
    threads = searches["threads"]
    assert threads and all(t is not threading.main_thread() for t in threads)  # type: ignore[attr-defined]
    assert result_ids(page) == expected_ids(window, "特休")
    assert "找到" in page.status.text()
    assert page.results.currentRow() == 0
    first = page.results.item(0).text().split("\n")[0]
    assert first in page.answer.toPlainText()  # the first answer is on screen


def test_an_answer_to_a_query_typed_over_is_not_shown(
    qtbot: QtBot, window: MainWindow, page: FaqPage, searches: dict[str, object]
) -> None:
    gate = threading.Event()
    searches["held"]["補休"] = gate  # type: ignore[index]
    type_chars(page, "補休")
    qtbot.waitUntil(lambda: searches["queries"] == ["補休"], timeout=5000)  # the worker has it
    page.search_box.selectAll()
    type_chars(page, "特休")
    assert page._worker is not None
    with qtbot.waitSignal(page._worker.answered, timeout=10_000):
        gate.set()  # the answer to 補休 comes back after 特休 was typed
    qtbot.waitUntil(lambda: not page.searching(), timeout=10_000)
    assert searches["queries"] == ["補休", "特休"]
    assert result_ids(page) == expected_ids(window, "特休")


def test_a_late_answer_does_not_replace_what_enter_showed(
    qtbot: QtBot, window: MainWindow, page: FaqPage, searches: dict[str, object]
) -> None:
    gate = threading.Event()
    searches["held"]["補休"] = gate  # type: ignore[index]
    type_chars(page, "補休")
    qtbot.waitUntil(lambda: searches["queries"] == ["補休"], timeout=5000)
    page.search_box.selectAll()
    type_chars(page, "特休")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)  # answered at once, on the UI thread
    shown = result_ids(page)
    assert shown == expected_ids(window, "特休")
    assert "職員的休假有幾天" in page.answer.toPlainText()
    assert page._worker is not None
    with qtbot.waitSignal(page._worker.answered, timeout=10_000):
        gate.set()
    qtbot.wait(50)  # the stale answer's events, were it shown
    assert not page.searching()
    assert result_ids(page) == shown
    assert searches["queries"] == ["補休", "特休"]  # Enter stopped the pause: no third search


def test_emptying_the_box_lists_every_entry_in_the_background(
    qtbot: QtBot, page: FaqPage, searches: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(faq_page, "LIST_CHUNK", 2)  # listed two entries an event
    listed = result_ids(page)  # as the page lists them when it opens
    type_chars(page, "補休")
    qtbot.waitUntil(lambda: not page.searching(), timeout=10_000)
    assert "找到" in page.status.text()
    steps: list[int] = []
    add = page._add_listing

    def added(rows: list[tuple[str, str, str]]) -> None:
        steps.append(len(rows))
        add(rows)

    monkeypatch.setattr(page, "_add_listing", added)
    page.search_box.clear()
    qtbot.waitUntil(lambda: not page.searching(), timeout=10_000)
    assert result_ids(page) == listed
    assert steps == [2, 2, 1]  # in three events
    assert page.status.text().startswith("共 5 則")
    assert page.results.currentRow() == 0
    first = page.results.item(0).text().split("\n")[0]
    assert first in page.answer.toPlainText()


def test_a_category_keeps_filtering_typed_queries(
    qtbot: QtBot, window: MainWindow, page: FaqPage, searches: dict[str, object]
) -> None:
    labels = [page.categories.item(i).text() for i in range(page.categories.count())]
    page.categories.setCurrentRow(labels.index("請假（2）"))
    type_chars(page, "補休")
    qtbot.waitUntil(lambda: not page.searching(), timeout=10_000)
    everywhere = expected_ids(window, "補休")
    assert result_ids(page) and set(result_ids(page)) < set(everywhere)
    assert result_ids(page) == [i for i in everywhere if i in result_ids(page)]
    assert set(result_ids(page)) <= {"leave-mentions-compensatory", "leave-staff-annual"}


def test_a_question_typed_over_is_recorded_off_the_ui_thread(
    qtbot: QtBot, window: MainWindow, page: FaqPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schoolhr.faq import unanswered

    writers: list[threading.Thread] = []
    record = unanswered.record_unanswered

    def recorded(store: object, query: str, note: str = "") -> object:
        writers.append(threading.current_thread())
        return record(store, query, note)  # type: ignore[arg-type]

    monkeypatch.setattr(unanswered, "record_unanswered", recorded)
    type_chars(page, "代理教師薪水")
    qtbot.waitUntil(lambda: not page.searching(), timeout=10_000)
    page.search_box.selectAll()
    type_chars(page, "婚假")  # a different question: the first was given up on
    qtbot.waitUntil(lambda: not page.searching(), timeout=10_000)
    page.flush_unanswered()  # leaving the page: waits for what is being recorded
    assert window.store is not None
    asked = {q.query for q in unanswered.list_unanswered(window.store)}
    assert asked == {"代理教師薪水", "婚假"}
    assert writers[0] is not threading.main_thread()  # typed over: recorded in the background
