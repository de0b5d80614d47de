"""The FAQ search's vocabulary and reading tables load off the UI thread; a search typed
before they are loaded waits for them in the background, then answers as it would have."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from schoolhr.search import engine
from schoolhr.search.engine import Searcher, Vocabulary
from schoolhr.ui.jobs import wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from schoolhr.ui.pages.faq_page import ENTRY_ROLE, SEARCH_LIMIT, SEARCHED_KINDS, FaqPage


def result_ids(page: FaqPage) -> list[str]:
    return [page.results.item(i).data(ENTRY_ROLE) for i in range(page.results.count())]


@pytest.fixture
def gate(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The window's own warm-up done, the vocabulary forgotten, and its next load held until
    the event is set; the threads that loaded it are in ``gate.loaders``."""
    assert wait_for_jobs()
    assert window.store is not None
    Searcher.shared(window.store.engine).reload()
    opened = threading.Event()
    loaders: list[threading.Thread] = []
    load = Vocabulary.load

    def held(session: object) -> Vocabulary:
        loaders.append(threading.current_thread())
        assert opened.wait(10)
        return load(session)  # type: ignore[arg-type]

    monkeypatch.setattr(Vocabulary, "load", staticmethod(held))
    opened.loaders = loaders  # type: ignore[attr-defined]
    yield opened
    opened.set()
    wait_for_jobs()


def test_the_window_warms_the_search_up_off_the_ui_thread(qtbot: QtBot, window: MainWindow) -> None:
    assert window.store is not None
    searcher = Searcher.shared(window.store.engine)
    qtbot.waitUntil(searcher.ready, timeout=10_000)  # nothing asked it to: the window did
    assert wait_for_jobs()
    window.find_in_faq()
    assert window.faq_page._searcher is searcher  # the page uses the warmed one


def test_a_search_typed_before_the_warm_up_ends_answers_once_it_has(
    qtbot: QtBot, window: MainWindow, gate: threading.Event
) -> None:
    window.find_in_faq()
    page = window.faq_page
    page.search_box.setText("補休")
    page.search_now()  # returns: the vocabulary is loading in the background
    assert "正在準備搜尋" in page.status.text()
    loaders = gate.loaders  # type: ignore[attr-defined]
    assert loaders and all(t is not threading.main_thread() for t in loaders)
    gate.set()
    qtbot.waitUntil(lambda: "找到" in page.status.text(), timeout=10_000)
    assert window.store is not None
    expected = Searcher(window.store.engine).search("補休", SEARCH_LIMIT, SEARCHED_KINDS)
    assert result_ids(page)[0] == "overtime-compensatory-leave-expiry"
    assert result_ids(page) == [hit.ref for hit in expected.hits]  # the same answers


def test_the_first_typo_gets_its_suggestion(
    qtbot: QtBot, window: MainWindow, gate: threading.Event
) -> None:
    engine._reading.cache_clear()  # no character read yet
    window.find_in_faq()
    page = window.faq_page
    gate.set()
    assert page._searcher is not None
    qtbot.waitUntil(lambda: page._searcher is not None and page._searcher.ready(), timeout=10_000)
    assert wait_for_jobs()
    assert engine._reading.cache_info().currsize > 1  # the warm-up read the vocabulary
    page.search_box.setText("補修")
    page.search_now()
    assert "補休" in page.status.text()
