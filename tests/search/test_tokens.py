from schoolhr.search.tokens import index_tokens, term_expression


def test_cjk_is_split_into_bigrams_with_a_trailing_unigram() -> None:
    assert index_tokens("補休期限") == "補休 休期 期限 限"


def test_latin_words_are_kept_whole() -> None:
    assert index_tokens("webitr請假") == "webitr 請假 假"


def test_expressions_for_short_and_long_terms() -> None:
    assert term_expression("休") == '"休"*'
    assert term_expression("補休") == '"補休"*'
    assert term_expression("補休期限") == '"補休 休期 期限"*'
    assert term_expression("webi") == '"webi"*'
    assert term_expression("e等公務園") == '"e 等公 公務 務園"*'  # one phrase across scripts


def test_a_latin_word_inside_another_does_not_stand_in_for_it() -> None:
    """``itr`` is not a token of ``webitr`` (Latin words are indexed whole), so both are looked
    for; a CJK word inside a longer one (考績 in 年終考績) and a Latin prefix do stand in."""
    from schoolhr.search.engine import QueryTerm

    assert set(QueryTerm("webitr", ("webitr", "itr")).match_forms) == {"webitr", "itr"}
    assert QueryTerm("考績", ("考績", "年終考績")).match_forms == ("考績",)
    assert QueryTerm("web", ("web", "webitr")).match_forms == ("web",)
    assert QueryTerm("請假", ("請假", "webitr請假")).match_forms == ("請假",)


def test_a_term_mixing_cjk_latin_and_cjk_lines_up_with_the_index() -> None:
    from schoolhr.search.tokens import index_tokens, term_expression

    indexed = index_tokens("文官e學苑")
    phrase = term_expression("文官e學苑").strip('"*')
    assert phrase in indexed
