"""Turning normalised text into index tokens, and a normalised term into an FTS5 expression."""

from __future__ import annotations

import re
from collections.abc import Iterator

from schoolhr.text import is_latin

# a maximal run of characters ``is_latin`` holds Latin (below U+2E80), or of the others
_RUN = re.compile("[\x00-\u2e7f]+|[^\x00-\u2e7f]+")


def runs(normalized: str) -> Iterator[tuple[bool, str]]:
    """``(is_latin, run)`` for each maximal run of Latin/digit or of CJK characters."""
    for match in _RUN.finditer(normalized):
        run = match.group()
        yield is_latin(run[0]), run


def index_tokens(normalized: str) -> str:
    """Space-separated tokens: Latin words whole; CJK bigrams plus the run's last character."""
    tokens: list[str] = []
    for latin, run in runs(normalized):
        if latin:
            tokens.append(run)
            continue
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        tokens.append(run[-1])
    return " ".join(tokens)


def term_expression(normalized_term: str) -> str:
    """An FTS5 expression matching documents whose normalised text contains the term.

    The term's tokens (Latin words; CJK bigrams, or the character of a 1-character run; a CJK
    run followed by a Latin word also has its trailing unigram, as the index does) form one
    phrase whose last token may be a prefix: a Latin word still being typed, or a single
    CJK character, which begins a bigram or is a run's trailing unigram in the index. Tokens
    hold only letters and digits (``normalize`` drops everything else), so quoting them keeps
    any query from being read as FTS5 syntax.
    """
    return '"' + " ".join(phrase_tokens(normalized_term)) + '"*'


def phrase_tokens(normalized_term: str) -> list[str]:
    """The tokens of ``term_expression``'s phrase, in order."""
    tokens: list[str] = []
    parts = list(runs(normalized_term))
    for number, (latin, run) in enumerate(parts):
        if latin or len(run) == 1:
            tokens.append(run)
            continue
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        if number < len(parts) - 1:
            tokens.append(run[-1])  # the index's trailing unigram, before the Latin word
    return tokens
