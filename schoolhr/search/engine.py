"""Answering a query: segment it, expand it with synonyms, ask FTS5, rerank, explain.

Every term of the query must match (a synonym counts as the term). Titles and keywords weigh
more than bodies (bm25 weights), and the best results are reranked so that an entry whose title
is the question beats one that mentions it in passing. When nothing matches, ``suggestions``
offers corrections: Latin typos (webitl -> WebITR) and Zhuyin-input slips (補修 -> 補休).
"""

from __future__ import annotations

import difflib
import json
import math
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from schoolhr.search.index import FTS_TABLE
from schoolhr.search.models import SearchDocument, SearchTermGroup
from schoolhr.search.tokens import runs, term_expression
from schoolhr.text import is_latin, normalize

MAX_QUERY_CHARS = 120  # of the normalised query; a pasted essay is cut, never an error
MAX_TERMS = 12
CANDIDATES = 60  # bm25's best, reranked in Python
# A query matching more documents than this (a single character being typed, a word in nearly
# every answer) is not ranked by bm25 over all its matches, which costs about 0.7 µs a match:
# its candidates are the documents that have it in their title or keywords.
BROAD = 10_000
MAX_TERMS_TO_RELAX = 6  # beyond this a query with no answer is reworded, not searched word by word
WEIGHTS = (10.0, 5.0, 1.0)  # title, keywords, body
MAX_WORD = 12

# id, kind, ref, title, subtitle, normalized, normalized_title, keywords (JSON)
DocumentRow = tuple[int, str, str, str, str, str, str, str]


@dataclass(frozen=True)
class QueryTerm:
    """One term of the query and what counts as it (normalised forms)."""

    typed: str
    alternatives: tuple[str, ...]

    @property
    def match_forms(self) -> tuple[str, ...]:
        """The alternatives the index must look for: one that another covers (年終考績 is
        covered by 考績) matches nothing more, so it is left out; fewer phrases make a faster
        query."""
        return tuple(
            a
            for a in self.alternatives
            if not any(b != a and _covers(b, a) for b in self.alternatives)
        )


def _covers(b: str, a: str) -> bool:
    """Whether every text holding ``a`` is found by ``b``'s phrase. CJK is indexed in bigrams,
    so a CJK ``b`` inside ``a`` finds it; a Latin word is one whole token, so ``itr`` does not
    find ``webitr`` (only a Latin prefix does: ``web`` finds ``webitr``)."""
    if not any(is_latin(c) for c in b):
        return b in a
    return all(is_latin(c) for c in a + b) and a.startswith(b)


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str
    title: str
    subtitle: str
    score: float
    matched: tuple[str, ...]  # the words (as written in the content) that matched, for display
    highlight: tuple[str, ...]  # their normalised forms, to find them in the text


@dataclass
class Outcome:
    query: str
    terms: list[QueryTerm] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    # words of the query no hit holds: the hits are the best answers without them
    skipped: tuple[str, ...] = ()

    @property
    def normalized(self) -> str:
        return "".join(term.typed for term in self.terms)


@dataclass
class Vocabulary:
    """Synonyms, stop words and known words, normalised; loaded once per content change."""

    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()  # every known word: synonyms, keywords, stop words

    @classmethod
    def load(cls, session: Session) -> Vocabulary:
        vocabulary = cls()
        stopwords: set[str] = set()
        for group in session.execute(select(SearchTermGroup)).scalars():
            if group.kind == "stopword":
                stopwords.update(n for n in map(normalize, group.terms) if n)
                continue
            forms = [(normalize(t), t) for t in group.terms]
            normalised = tuple(dict.fromkeys(n for n, _ in forms if n))
            for norm, written in forms:
                if norm:
                    vocabulary.groups[norm] = normalised
                    vocabulary.display.setdefault(norm, written)
        keywords: set[str] = set()
        for words in session.execute(select(SearchDocument.keywords)).scalars():
            for word in words or ():
                norm = normalize(word)
                if norm:
                    keywords.add(norm)
                    vocabulary.display.setdefault(norm, word)
        vocabulary.stopwords = frozenset(stopwords)
        vocabulary.words = frozenset(keywords | stopwords | set(vocabulary.groups))
        return vocabulary

    def segment(self, normalized: str) -> list[str]:
        """Split an unspaced query into known words (longest first, and never inside a Latin
        word; a known word may mix scripts, such as e等公務園) and the runs between them."""
        segments: list[str] = []
        unknown = ""
        index = 0
        while index < len(normalized):
            word = self._known_word_at(normalized, index)
            if word is None:
                unknown += normalized[index]
                index += 1
                continue
            segments.extend(run for _latin, run in runs(unknown))
            unknown = ""
            segments.append(word)
            index += len(word)
        segments.extend(run for _latin, run in runs(unknown))
        return segments

    def _known_word_at(self, text: str, index: int) -> str | None:
        if index > 0 and is_latin(text[index - 1]) and is_latin(text[index]):
            return None  # inside a Latin word
        for size in range(min(MAX_WORD, len(text) - index), 0, -1):
            end = index + size
            word = text[index:end]
            known = word in self.words if size > 1 else word in self.stopwords
            splits_latin = end < len(text) and is_latin(text[end - 1]) and is_latin(text[end])
            if known and not splits_latin:
                return word
        return None

    def terms(self, query: str) -> list[QueryTerm]:
        normalized = normalize(query)[:MAX_QUERY_CHARS]
        segments = self.segment(normalized)
        meaningful = [s for s in segments if s not in self.stopwords] or segments
        terms = []
        for segment in dict.fromkeys(meaningful):
            alternatives = self.groups.get(segment, (segment,))
            if segment not in alternatives:
                alternatives = (segment, *alternatives)
            terms.append(QueryTerm(segment, alternatives))
        return terms[:MAX_TERMS]


class Searcher:
    """Searches the index of one store. Thread-safe; ``reload()`` after content changes."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._vocabulary: Vocabulary | None = None

    def reload(self) -> None:
        with self._lock:
            self._vocabulary = None

    def vocabulary(self) -> Vocabulary:
        with self._lock:
            if self._vocabulary is None:
                with Session(self._engine) as session:
                    self._vocabulary = Vocabulary.load(session)
            return self._vocabulary

    def search(self, query: str, limit: int = 20, kinds: Sequence[str] = ()) -> Outcome:
        vocabulary = self.vocabulary()
        outcome = Outcome(query=query, terms=vocabulary.terms(query))
        if not outcome.terms:
            return outcome
        outcome.hits = self._search_terms(outcome.terms, vocabulary, limit, kinds)
        if not outcome.hits and 2 <= len(outcome.terms) <= MAX_TERMS_TO_RELAX:
            self._relax(outcome, vocabulary, limit, kinds)
        if not outcome.hits:
            self._by_coverage(outcome, vocabulary, limit, kinds)
        if not outcome.hits:
            outcome.suggestions = suggest(outcome.terms, vocabulary)
        return outcome

    def _search_terms(
        self,
        terms: Sequence[QueryTerm],
        vocabulary: Vocabulary,
        limit: int,
        kinds: Sequence[str],
    ) -> list[Hit]:
        expression = " AND ".join(
            "(" + " OR ".join(term_expression(a) for a in term.match_forms) + ")" for term in terms
        )
        return rerank(self._candidates(expression, kinds), list(terms), vocabulary, limit)

    def _relax(
        self, outcome: Outcome, vocabulary: Vocabulary, limit: int, kinds: Sequence[str]
    ) -> None:
        """No entry holds every word: leave out one word and say which. Of the words whose
        absence gives answers, a word outside the synonym list goes before one in it (those
        name HR topics), then the commonest (「教師職員婚假一樣嗎」 loses 一樣 rather than
        婚假, which says what the question is about)."""
        best: tuple[bool, int, float, int, list[Hit]] | None = None
        for index, term in enumerate(outcome.terms):
            rest = outcome.terms[:index] + outcome.terms[index + 1 :]
            hits = self._search_terms(rest, vocabulary, limit, kinds)
            if not hits:
                continue
            plain = term.typed not in vocabulary.groups
            found = (plain, self._frequency(term), hits[0].score, index, hits)
            if best is None or found[:3] > best[:3]:
                best = found
        if best is not None:
            outcome.hits = best[4]
            outcome.skipped = (outcome.terms[best[3]].typed,)

    def _by_coverage(
        self, outcome: Outcome, vocabulary: Vocabulary, limit: int, kinds: Sequence[str]
    ) -> None:
        """No entry holds every word, nor all but one (a question as a clerk types it,
        「老師生病住院可以請多久」): rank the entries by how much of the question they hold.

        The question is cut into pieces: its known words, and the runs between them in pairs
        of characters (「同事一直被」 has no word this app knows, 「同事」 does appear in
        answers). A piece weighs more the fewer entries hold it, and more when it names an HR
        topic (``_weight``). Entries holding at least one
        topic are ranked by the share of the weight they hold, then as ``rerank`` would;
        a question that names no topic the content knows gets no answers, and suggestions
        instead. ``skipped`` says which words of the question the best answer lacks."""
        pieces = _pieces(outcome.terms, vocabulary)
        documents = max(self._frequency(None), 1)
        weights: dict[QueryTerm, float] = {}
        for piece in pieces:
            holding = self._frequency(piece)
            if holding:
                weights[piece] = _weight(piece, vocabulary) * math.log(1 + documents / holding)
        topics = [piece for piece in weights if _is_topic(piece, vocabulary)]
        if not topics:
            return
        expression = " OR ".join(term_expression(a) for p in topics for a in p.match_forms)
        candidates = self._candidates(expression, kinds)
        total = sum(weights.values())
        share: dict[tuple[str, str], float] = {}
        held: dict[tuple[str, str], set[QueryTerm]] = {}
        for _bm25, row in candidates:
            normalized = row[5]
            holds = {p for p in weights if any(a in normalized for a in p.alternatives)}
            held[(row[1], row[2])] = holds
            share[(row[1], row[2])] = sum(weights[p] for p in holds) / total
        ranked = [
            replace(hit, score=round(100 * share[(hit.kind, hit.ref)] + hit.score, 3))
            for hit in rerank(candidates, list(weights), vocabulary, len(candidates))
        ]
        ranked.sort(key=lambda hit: (-hit.score, hit.title))
        outcome.hits = ranked[:limit]
        if outcome.hits:
            best = held[(outcome.hits[0].kind, outcome.hits[0].ref)]
            outcome.skipped = tuple(
                term.typed
                for term in outcome.terms
                if not any(p in best for p in pieces if pieces[p] is term)
            )

    def _frequency(self, term: QueryTerm | None) -> int:
        """How many indexed documents hold the term (counted up to BROAD); all of them for
        ``None``."""
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            if term is None:
                everything: int = raw.execute("SELECT count(*) FROM search_document").fetchone()[0]
                return everything
            expression = " OR ".join(term_expression(a) for a in term.match_forms)
            count: int = raw.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
                "LIMIT ?)",
                (expression, BROAD),
            ).fetchone()[0]
        return count

    def _candidates(self, expression: str, kinds: Sequence[str]) -> list[tuple[float, DocumentRow]]:
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            want = CANDIDATES * (4 if kinds else 1)
            broad = (
                raw.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
                    "LIMIT ?)",
                    (expression, BROAD + 1),
                ).fetchone()[0]
                > BROAD
            )
            if broad:
                ranked = (
                    raw.execute(
                        f"SELECT rowid, 0.0 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?",
                        (f"{{title keywords}} : ({expression})", want * 4),
                    ).fetchall()
                    or raw.execute(
                        f"SELECT rowid, 0.0 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?",
                        (expression, want),
                    ).fetchall()
                )
            else:
                ranked = raw.execute(
                    f"SELECT rowid, bm25({FTS_TABLE}, ?, ?, ?) AS r FROM {FTS_TABLE} "
                    f"WHERE {FTS_TABLE} MATCH ? ORDER BY r LIMIT ?",
                    (*WEIGHTS, expression, want),
                ).fetchall()
            if not ranked:
                return []
            ids = [row[0] for row in ranked]
            marks = ",".join("?" * len(ids))
            rows = {
                row[0]: row
                for row in raw.execute(
                    "SELECT id, kind, ref, title, subtitle, normalized, normalized_title, keywords "
                    f"FROM search_document WHERE id IN ({marks})",
                    ids,
                )
            }
        return [
            (score, rows[rowid])
            for rowid, score in ranked
            if rowid in rows and (not kinds or rows[rowid][1] in kinds)
        ][: CANDIDATES * 4]


MAX_PIECES = 24


def _is_topic(piece: QueryTerm, vocabulary: Vocabulary) -> bool:
    """Whether a piece of a question names something the content knows: a synonym or an
    entry's keyword."""
    return len(piece.alternatives) > 1 or piece.typed in vocabulary.words


def _weight(piece: QueryTerm, vocabulary: Vocabulary) -> float:
    """How much a piece says about what the question is about: a word of the synonym list
    names an HR topic (3), an entry's keyword less surely (1.5: 主任 is a keyword, and a
    question about 霸凌 by a 主任 is about 霸凌), any other piece 1."""
    if len(piece.alternatives) > 1 or piece.typed in vocabulary.groups:
        return 3.0
    return 1.5 if piece.typed in vocabulary.words else 1.0


def _pieces(terms: Sequence[QueryTerm], vocabulary: Vocabulary) -> dict[QueryTerm, QueryTerm]:
    """``{piece: the term it comes from}``: a known word or a short run is a piece of its own;
    a longer run of CJK characters no list knows gives its pairs of characters."""
    pieces: dict[QueryTerm, QueryTerm] = {}
    for term in terms:
        word = term.typed
        if _is_topic(term, vocabulary) or len(word) <= 2 or is_latin(word[0]):
            pieces.setdefault(term, term)
            continue
        for start in range(len(word) - 1):
            pair = word[start : start + 2]
            if pair not in vocabulary.stopwords:
                pieces.setdefault(QueryTerm(pair, (pair,)), term)
    return dict(list(pieces.items())[:MAX_PIECES])


def rerank(
    candidates: Iterable[tuple[float, DocumentRow]],
    terms: list[QueryTerm],
    vocabulary: Vocabulary,
    limit: int,
) -> list[Hit]:
    core = "".join(term.typed for term in terms)
    hits = []
    for bm25, row in candidates:
        _id, kind, ref, title, subtitle, normalized, norm_title, keywords_json = row
        score = -bm25
        if norm_title == core:
            score += 50
        elif core and core in norm_title:
            score += 15
        if core and core in {_normalized(k) for k in json.loads(keywords_json or "[]")}:
            score += 10  # the question is exactly one of the entry's keywords
        if len(terms) > 1 and all(any(a in norm_title for a in t.alternatives) for t in terms):
            score += 15  # the title holds every word of the question
        matched: list[str] = []
        for term in terms:
            found = [a for a in term.alternatives if a in normalized]
            matched.extend(found)
            if term.typed in normalized:
                score += 2  # the word as typed beats a synonym of it
            if any(a in norm_title for a in term.alternatives):
                score += 3
        unique = tuple(dict.fromkeys(matched))
        shown = tuple(dict.fromkeys(vocabulary.display.get(m, m) for m in unique))
        hits.append(Hit(kind, ref, title, subtitle, round(score, 3), shown, unique))
    hits.sort(key=lambda hit: (-hit.score, hit.title))
    return [
        replace(hit, highlight=_highlight_forms(hit.highlight, vocabulary)) for hit in hits[:limit]
    ]


@lru_cache(maxsize=65_536)
def _normalized(keyword: str) -> str:
    """Keywords repeat across documents: normalise each once."""
    return normalize(keyword)


def _highlight_forms(matched: tuple[str, ...], vocabulary: Vocabulary) -> tuple[str, ...]:
    """The matched words and the known words inside them: a keyword such as 補休到期 matches
    through the keyword list, while the answer says 補休 … 到期."""
    forms: list[str] = []
    for word in matched:
        forms.append(word)
        for size in range(len(word) - 1, 1, -1):  # the word's substrings that are known words
            for start in range(len(word) - size + 1):
                piece = word[start : start + size]
                if piece in vocabulary.words:
                    forms.append(piece)
    return tuple(dict.fromkeys(forms))


def suggest(terms: list[QueryTerm], vocabulary: Vocabulary, limit: int = 3) -> list[str]:
    """Queries that would probably have found something: each unknown term replaced by the
    nearest known word (Latin by spelling, CJK by sound, tones ignored)."""
    replacements: list[list[str]] = []
    for term in terms:
        if term.typed in vocabulary.words:
            replacements.append([term.typed])
            continue
        replacements.append(_nearest(term.typed, vocabulary) or [term.typed])
    unchanged = zip(replacements, terms, strict=True)
    if all(len(options) == 1 and options[0] == t.typed for options, t in unchanged):
        return []
    suggestions = []
    for rank in range(limit):
        words = [options[min(rank, len(options) - 1)] for options in replacements]
        text = "".join(vocabulary.display.get(w, w) for w in words)
        if text not in suggestions:
            suggestions.append(text)
    return suggestions


def _nearest(word: str, vocabulary: Vocabulary) -> list[str]:
    if all(ch < "\u2e80" for ch in word):
        latin = [w for w in vocabulary.words if w.isascii()]
        return difflib.get_close_matches(word, latin, n=3, cutoff=0.6)
    sound = _sound(word)
    same_sound = [
        w for w in vocabulary.words if len(w) == len(word) and w != word and _sound(w) == sound
    ]
    return sorted(same_sound)[:3]


def _sound(word: str) -> tuple[str, ...]:
    return tuple(_reading(ch) for ch in word)


@cache
def _reading(char: str) -> str:
    """The toneless Mandarin reading of a character (pypinyin, loaded on first need)."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


def prepare_suggestions() -> None:
    """Load the reading tables ahead of time (call from a background thread)."""
    _reading("休")
