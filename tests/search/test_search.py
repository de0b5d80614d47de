import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoolhr.search.engine import Searcher
from schoolhr.store.database import Store


@pytest.fixture
def searcher(faq_store: Store) -> Searcher:
    return Searcher(faq_store.engine)


def refs(searcher: Searcher, query: str) -> list[str]:
    return [hit.ref for hit in searcher.search(query).hits]


def test_a_two_character_query_is_served(searcher: Searcher) -> None:
    assert "overtime-compensatory-leave-expiry" in refs(searcher, "補休")
    assert "webitr-apply-leave" in refs(searcher, "請假")


def test_a_one_character_query_is_served(searcher: Searcher) -> None:
    found = refs(searcher, "休")
    assert "overtime-compensatory-leave-expiry" in found and "leave-staff-annual" in found


def test_an_exact_title_ranks_above_a_body_mention(searcher: Searcher) -> None:
    found = refs(searcher, "補休的期限是多久")
    assert found[0] == "overtime-compensatory-leave-expiry"
    found = refs(searcher, "補休")
    assert found.index("overtime-compensatory-leave-expiry") < found.index(
        "leave-mentions-compensatory"
    )


def test_a_synonym_counts_as_the_term(searcher: Searcher) -> None:
    outcome = searcher.search("特休")
    assert [hit.ref for hit in outcome.hits][:1] == ["leave-staff-annual"]
    assert "休假" in outcome.hits[0].matched


def test_an_unspaced_query_is_split_into_known_words(searcher: Searcher) -> None:
    outcome = searcher.search("請問特休天數怎麼算")
    assert [t.typed for t in outcome.terms][:2] == ["特休", "天數"]
    assert outcome.hits and outcome.hits[0].ref == "leave-staff-annual"


def test_every_term_must_match_or_the_word_left_out_is_named(searcher: Searcher) -> None:
    """No entry holds both 補休 and 教師: the answers shown hold all words but one, and the
    outcome names the word left out (the commoner one), so the page can say so."""
    outcome = searcher.search("補休 教師")
    assert len(outcome.skipped) == 1 and outcome.hits
    kept = ({"補休", "教師"} - set(outcome.skipped)).pop()
    assert all(kept in hit.matched for hit in outcome.hits)
    assert searcher.search("補休").skipped == ()


def test_simplified_and_full_width_queries_find_the_same(searcher: Searcher) -> None:
    assert refs(searcher, "补休期限") == refs(searcher, "補休期限")
    assert refs(searcher, "ＷｅｂＩＴＲ") == refs(searcher, "webitr") != []


def test_latin_typos_get_a_suggestion(searcher: Searcher) -> None:
    outcome = searcher.search("webitl")
    assert outcome.hits == []
    assert "WebITR" in outcome.suggestions


def test_zhuyin_input_slips_get_a_suggestion(searcher: Searcher) -> None:
    outcome = searcher.search("補修")
    assert outcome.hits == []
    assert "補休" in outcome.suggestions
    assert "考績" in searcher.search("考集").suggestions


@pytest.mark.parametrize(
    ("query", "finds_as"),
    [
        ("", ""),
        (" ", ""),
        ("?", ""),
        ("😀😀", ""),
        ('"', ""),
        ("*", ""),
        ("NEAR(", ""),
        ("補休 OR", "補休"),
        ("AND NOT", ""),
        ("a" * 10_000, ""),
        ("補" * 10_000, ""),
        ("'; DROP TABLE faq_entry; --", ""),
        ("\x00\x01", ""),
        ("^補休", "補休"),
        ("title:補休", "補休"),
        ("{title}", ""),
    ],
)
def test_hostile_queries_are_read_as_plain_words(
    searcher: Searcher, query: str, finds_as: str
) -> None:
    """No search syntax and no SQL: those holding 補休 find what 補休 finds (the other words are
    left out, no entry holds them); the others find nothing."""
    found = refs(searcher, query)
    plain = refs(searcher, "補休")  # after it: the query changed nothing
    assert "overtime-compensatory-leave-expiry" in plain
    assert found == (refs(searcher, finds_as) if finds_as else [])


WORDS = ["補休", "請假", "休", "特休", "教師", "webitr", "補修", "的"]  # some find answers
SYNTAX = ["OR", " ", "*", '"', "("]  # what search syntax is made of


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60) | st.lists(st.sampled_from(WORDS + SYNTAX), max_size=6).map("".join))
def test_any_text_is_a_valid_query(faq_store: Store, query: str) -> None:
    outcome = Searcher(faq_store.engine).search(query)
    assert outcome.query == query
    assert len(outcome.hits) <= 20  # the default limit
    found = [(hit.kind, hit.ref) for hit in outcome.hits]
    assert len(set(found)) == len(found)  # each answer once
    assert all(hit.matched for hit in outcome.hits)  # each shown for a word of the query
    scores = [hit.score for hit in outcome.hits]
    assert scores == sorted(scores, reverse=True)  # the best answer first


def test_a_known_word_that_mixes_scripts_is_one_term(faq_store: Store) -> None:
    from schoolhr.search.index import replace_term_groups

    with faq_store.write() as session:
        replace_term_groups(
            session, synonyms=[["e等公務園+", "e等公務園"]], stopwords=["請問"], origin="test"
        )
    searcher = Searcher(faq_store.engine)
    terms = [t.typed for t in searcher.search("請問e等公務園+時數").terms]
    assert terms == ["e等公務園", "時數"]
    # a known word is never found inside a longer Latin word
    assert [t.typed for t in searcher.search("webitrx").terms] == ["webitrx"]


def test_a_broad_query_still_requires_every_term(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("schoolhr.search.engine.BROAD", 1)  # every query counts as broad
    found = [hit.ref for hit in searcher.search("補休", kinds=("faq",)).hits]
    assert found and found[0] == "overtime-compensatory-leave-expiry"
    outcome = searcher.search("補休 教師")
    assert len(outcome.skipped) == 1, "no entry holds both words, so one is named as left out"
