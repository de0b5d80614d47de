"""The searcher's vocabulary: loaded ahead (``warm_up``), kept while the content is as it was
loaded from, never waited for by a reload."""

from __future__ import annotations

import threading

import pytest

from schoolhr.search import engine
from schoolhr.search.engine import Searcher, Vocabulary
from schoolhr.search.index import register_document
from schoolhr.store.database import Store


def test_warm_up_loads_the_vocabulary_and_the_readings(faq_store: Store) -> None:
    engine._reading.cache_clear()
    searcher = Searcher(faq_store.engine)
    assert not searcher.ready()
    searcher.warm_up()
    assert searcher.ready()
    assert engine._reading.cache_info().currsize > 1
    assert "補休" in searcher.search("補修").suggestions  # the first typo, read ahead


def test_the_vocabulary_is_kept_until_the_content_changes(faq_store: Store) -> None:
    searcher = Searcher(faq_store.engine)
    first = searcher.vocabulary()
    searcher.reload_if_changed()
    assert searcher.vocabulary() is first  # nothing changed: nothing to load again
    with faq_store.write() as session:
        register_document(session, kind="faq", ref="new-entry", title="新的問答", body="內容")
    searcher.reload_if_changed()
    assert not searcher.ready()
    assert searcher.vocabulary() is not first


def test_a_reload_does_not_wait_for_a_load_under_way(
    faq_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    searcher = Searcher(faq_store.engine)
    started, release = threading.Event(), threading.Event()
    load = Vocabulary.load

    def slow(session: object) -> Vocabulary:
        started.set()
        assert release.wait(10)
        return load(session)  # type: ignore[arg-type]

    monkeypatch.setattr(Vocabulary, "load", staticmethod(slow))
    loader = threading.Thread(target=searcher.warm_up)
    loader.start()
    assert started.wait(10)
    searcher.reload()  # returns at once although the load holds the searcher's lock
    assert not searcher.ready(wait=0.01)
    release.set()
    loader.join(10)
    assert not searcher.ready()  # loaded from before the reload: not kept
    monkeypatch.setattr(Vocabulary, "load", staticmethod(load))
    assert searcher.search("補休").hits
    assert searcher.ready()
