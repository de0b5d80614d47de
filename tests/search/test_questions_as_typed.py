"""Questions as clerks type them, on the bundled content: filler words are dropped, and when no
entry holds every word the answers are ranked by how much of the question they hold, never
empty while the question names an HR topic."""

from __future__ import annotations

import pytest

from schoolhr.content.install import bundled_content_dir, install_bundled_content
from schoolhr.search.engine import Searcher
from schoolhr.store.database import Store


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    from schoolhr.paths import prepare_data_dir
    from schoolhr.store.database import open_store

    store: Store = open_store(
        prepare_data_dir(tmp_path_factory.mktemp("typed")), daily_backup=False
    )
    assert install_bundled_content(store, bundled_content_dir()) is not None
    return Searcher(store.engine)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("老師生病住院可以請多久", "leave-sick-extended"),
        ("同事一直被主任罵算霸凌嗎", "bullying-what-counts"),
        ("退休後回來代課月退會停嗎", "retirement-reemployment"),
        ("育嬰假有錢領嗎", "parental-leave-allowance"),
        ("因公受傷可以請什麼假", "official-leave-injury-commute"),
        ("教師職員婚假一樣嗎", "leave-marriage"),
    ],
)
def test_a_question_as_typed_finds_its_answer(
    searcher: Searcher, question: str, answer: str
) -> None:
    refs = [hit.ref for hit in searcher.search(question, limit=3).hits]
    assert answer in refs, refs


def test_filler_words_are_dropped(searcher: Searcher) -> None:
    terms = [t.typed for t in searcher.vocabulary().terms("同事一直被主任罵算霸凌嗎")]
    assert "霸凌" in terms and "主任" in terms
    assert not {"一直", "被", "算", "嗎"} & set(terms)


def test_answers_are_ranked_by_how_much_of_the_question_they_hold(searcher: Searcher) -> None:
    # no entry holds 同事, 主任, 罵 and 霸凌 together, nor all of them but one
    outcome = searcher.search("同事一直被主任罵算霸凌嗎")
    assert outcome.hits and outcome.skipped
    assert all("霸凌" not in word for word in outcome.skipped)  # the topic is what is held
    scores = [hit.score for hit in outcome.hits]
    assert scores == sorted(scores, reverse=True)
    assert all(any("霸凌" in m for m in hit.matched) for hit in outcome.hits[:3])


@pytest.mark.parametrize("noise", ["嗯嗯嗯那個", "想說問一下喔", "噗噗噗噗噗噗"])
def test_a_question_naming_an_hr_topic_never_comes_back_empty(
    searcher: Searcher, noise: str
) -> None:
    vocabulary = searcher.vocabulary()
    topics = sorted(word for word in vocabulary.groups if len(word) >= 2)[::12]
    assert len(topics) >= 30
    empty = [
        topic
        for topic in topics
        if not searcher.search(f"{noise}{topic}{noise}").hits
        and searcher.search(topic).hits  # a topic the content holds at all
    ]
    assert empty == []


def test_a_question_without_any_topic_gets_suggestions_not_noise(searcher: Searcher) -> None:
    outcome = searcher.search("今天天氣很好")
    assert outcome.hits == []


def test_an_injury_on_duty_is_not_sent_to_official_leave_by_a_synonym(searcher: Searcher) -> None:
    vocabulary = searcher.vocabulary()
    assert "公假" not in vocabulary.groups.get("因公", ())  # 因公 is not 公假 (因公傷病 is 公傷)
    refs = [hit.ref for hit in searcher.search("因公受傷怎麼請假", limit=3).hits]
    assert refs[0] == "official-leave-injury-commute"


def test_a_question_is_cut_leaving_the_fewest_characters_unknown(searcher: Searcher) -> None:
    # 考績會 (the committee) is a known word, but 考績 + 會不會 leaves nothing unknown
    terms = [t.typed for t in searcher.vocabulary().terms("病假請很多考績會不會被打乙等")]
    assert "考績" in terms and "考績會" not in terms


def test_a_filler_character_is_not_required(searcher: Searcher) -> None:
    # no answer about 加班 申請 holds 先 in its title; the ones holding 先 somewhere must not win
    refs = [hit.ref for hit in searcher.search("加班要先在系統申請嗎", limit=3).hits]
    assert {"overtime-apply", "overtime-after-the-fact"} & set(refs), refs


def test_questions_are_answered_without_fts5vocab(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SQLite without fts5vocab counts matches instead."""
    monkeypatch.setattr("schoolhr.search.engine.VOCABULARY_CREATE", "SELECT no_such_function()")
    searcher.reload()
    try:
        refs = [hit.ref for hit in searcher.search("老師生病住院可以請多久", limit=3).hits]
        assert "leave-sick-extended" in refs, refs
    finally:
        monkeypatch.undo()
        searcher.reload()


def test_a_question_over_a_large_content_still_finds_answers(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a question's topics are in too many entries to rank (QUESTION_BROAD), its
    candidates are the entries holding every word but the filler."""
    monkeypatch.setattr("schoolhr.search.engine.QUESTION_BROAD", 1)
    refs = [hit.ref for hit in searcher.search("育嬰留停期間健保費怎麼繳", limit=3).hits]
    assert "parental-leave-insurance-during" in refs, refs


def test_the_grammar_of_a_question_is_neither_listed_nor_marked(searcher: Searcher) -> None:
    # 「請」 and 「看」 are how the question is asked; the answer has 請 in every other line
    outcome = searcher.search("代理老師請病假要看哪個規定")
    assert outcome.hits
    best = outcome.hits[0]
    assert "請" not in best.matched and "看" not in best.matched
    assert "請" not in best.highlight and "看" not in best.highlight
    assert any("代理" in word for word in best.matched)
