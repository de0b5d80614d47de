"""Answering a query: segment it, expand it with synonyms, ask FTS5, rerank, explain.

Every term of a short query must match (a synonym counts as the term). Titles and keywords
weigh more than bodies (bm25 weights), and the best results are reranked so that an entry whose
title is the question beats one that mentions it in passing. A question as a clerk types it
(three terms or more) is answered by the entries holding the most of it instead
(``Searcher._by_coverage``): one of its words is rarely in the answer, a filler word in many.
When nothing matches, ``suggestions`` offers corrections: Latin typos (webitl -> WebITR) and
Zhuyin-input slips (補修 -> 補休).
"""

from __future__ import annotations

import difflib
import json
import math
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from schoolhr.search.index import FTS_TABLE
from schoolhr.search.models import SearchDocument, SearchTermGroup
from schoolhr.search.tokens import phrase_tokens, runs, term_expression
from schoolhr.store.engine import read_engine
from schoolhr.text import is_latin, normalize

MAX_QUERY_CHARS = 120  # of the normalised query; a pasted essay is cut, never an error
MAX_TERMS = 12
CANDIDATES = 60  # bm25's best, reranked in Python
# A query matching more documents than this (a single character being typed, a word in nearly
# every answer) is not ranked by bm25 over all its matches, which costs about 0.7 µs a match:
# its candidates are the documents that have it in their title or keywords.
BROAD = 10_000
WEIGHTS = (10.0, 5.0, 1.0)  # title, keywords, body
MAX_WORD = 12
# A query of this many terms or more is a question, ranked by how much of it each entry holds
# (``Searcher._by_coverage``); a shorter one must match every term.
QUESTION_TERMS = 3
# How much of a piece of a question an entry holds: in its title, its keywords, only its body.
FIELD_WEIGHTS = (1.0, 0.8, 0.5)
TOKEN_CACHE = 20_000  # tokens whose document counts are kept
QUESTION_BROAD = 1_000  # a question's candidates are ranked by bm25 up to this many matches
RERANK_SHARE = 0.5  # how much ``rerank``'s score adds to the share (in %) a question's hit holds
VOCABULARY_TABLE = "search_vocabulary"  # fts5vocab over the index, per connection (temp)
VOCABULARY_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCABULARY_TABLE} "
    f"USING fts5vocab(main, {FTS_TABLE}, row)"
)

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

    def as_dict(self) -> dict[str, object]:
        """What ``schoolhr faq search --json`` prints for the hit (the subtitle of an FAQ
        entry is its category)."""
        return {
            "id": self.ref,
            "title": self.title,
            "category": self.subtitle,
            "score": self.score,
            "matched": list(self.matched),
        }


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

    def as_dict(self) -> dict[str, object]:
        """What ``schoolhr faq search --json`` prints."""
        return {
            "query": self.query,
            "results": [hit.as_dict() for hit in self.hits],
            "skipped": list(self.skipped),
            "suggestions": self.suggestions,
        }


@dataclass
class Vocabulary:
    """Synonyms, stop words and known words, normalised; loaded once per content change."""

    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()  # every known word: synonyms, keywords, stop words
    # documents per index token (``Searcher._frequencies``), kept until the content changes
    token_documents: dict[tuple[str, bool], int] = field(default_factory=dict)
    documents: int = 0  # indexed documents, counted when loaded
    edition: object = None  # ``_edition`` of the index it was loaded from

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
        vocabulary.documents = session.execute(
            select(func.count()).select_from(SearchDocument)
        ).scalar_one()
        return vocabulary

    def segment(self, normalized: str) -> list[str]:
        """Split an unspaced query into known words and the runs between them, leaving as few
        characters outside known words as possible, then using as few words as possible, then
        taking the longer word first (「考績會不會」 is 考績 + 會不會, not 考績會 + 不 + 會). A
        word never starts or ends inside a Latin word; a known word may mix scripts (e等公務園)."""
        size = len(normalized)
        # best[i]: (characters left unknown, words) for normalized[i:], and the next step
        best: list[tuple[int, int]] = [(0, 0)] * (size + 1)
        step: list[int] = [0] * size  # the length of the known word at i, 0 for an unknown char
        for index in range(size - 1, -1, -1):
            unknown, words = best[index + 1]
            choice, cost = 0, (unknown + 1, words)
            for length in self._known_lengths(normalized, index):
                after = best[index + length]
                option = (after[0], after[1] + 1)
                if option < cost or (option == cost and not choice):  # a word before a char
                    choice, cost = length, option
            best[index], step[index] = cost, choice
        segments: list[str] = []
        unknown_run = ""
        index = 0
        while index < size:
            length = step[index]
            if not length:
                unknown_run += normalized[index]
                index += 1
                continue
            segments.extend(run for _latin, run in runs(unknown_run))
            unknown_run = ""
            segments.append(normalized[index : index + length])
            index += length
        segments.extend(run for _latin, run in runs(unknown_run))
        return segments

    def _known_lengths(self, text: str, index: int) -> Iterator[int]:
        """The lengths of the known words starting at ``index``, longest first."""
        if index > 0 and is_latin(text[index - 1]) and is_latin(text[index]):
            return  # inside a Latin word
        for size in range(min(MAX_WORD, len(text) - index), 0, -1):
            end = index + size
            word = text[index:end]
            known = word in self.words if size > 1 else word in self.stopwords
            splits_latin = end < len(text) and is_latin(text[end - 1]) and is_latin(text[end])
            if known and not splits_latin:
                yield size

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
    """Searches the index of one store. Thread-safe; ``reload()`` after content changes.

    The first search loads the vocabulary (0.1 s at 10,000 entries, over a second at
    100,000) and the first typo the reading tables: ``warm_up`` loads both ahead, off the UI
    thread, and ``ready`` says whether a search would still wait for them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()  # one load at a time
        self._state = threading.Lock()  # held for moments only: the UI thread takes it
        self._generation = 0  # reloads so far: a load begun before one is not kept
        self._vocabulary: Vocabulary | None = None
        self._loaded = threading.Event()  # set while the vocabulary is loaded

    @classmethod
    def shared(cls, engine: Engine) -> Searcher:
        """The one searcher of a store's engine in this process: warmed up once (at start),
        used by the page that searches."""
        with _SHARED_LOCK:
            searcher = _SHARED.get(engine)
            if searcher is None:
                searcher = _SHARED[engine] = cls(engine)
            return searcher

    def reload(self) -> None:
        """Forget the vocabulary (the content changed). Never waits for a load under way:
        that load's vocabulary serves the search it was loaded for, and is not kept."""
        with self._state:
            self._generation += 1
            self._vocabulary = None
            self._loaded.clear()

    def reload_if_changed(self) -> None:
        """``reload()`` unless the index and the word lists are as the vocabulary was loaded
        from (a page shown again, a warm-up just done); two small reads."""
        vocabulary = self._vocabulary
        if vocabulary is None:
            return None  # nothing loaded yet (a load under way reads the content as it is)
        if vocabulary.edition is None:
            return self.reload()
        with self._engine.connect() as connection:
            if _edition(connection) != vocabulary.edition:
                self.reload()
        return None

    def vocabulary(self) -> Vocabulary:
        vocabulary = self._vocabulary
        if vocabulary is not None:
            return vocabulary
        with self._lock:
            if self._vocabulary is not None:  # loaded while this thread waited
                return self._vocabulary
            generation = self._generation
            # a read transaction: a write one would hold writers off while it loads
            with Session(read_engine(self._engine)) as session:
                vocabulary = Vocabulary.load(session)
                vocabulary.edition = _edition(session.connection())
            with self._state:
                if generation == self._generation:
                    self._vocabulary = vocabulary
                    self._loaded.set()
            return vocabulary

    def ready(self, wait: float = 0.0) -> bool:
        """Whether the vocabulary is loaded, so that a search does not wait for it; ``wait``:
        seconds to wait for a warm-up under way to load it."""
        return self._loaded.wait(wait) if wait > 0 else self._loaded.is_set()

    def warm_up(self) -> None:
        """Load what the first search and the first typo need (the vocabulary, the readings
        of its words); call it off the UI thread. Harmless to call again."""
        prepare_suggestions(self.vocabulary())

    def search(self, query: str, limit: int = 20, kinds: Sequence[str] = ()) -> Outcome:
        vocabulary = self.vocabulary()
        outcome = Outcome(query=query, terms=vocabulary.terms(query))
        if not outcome.terms:
            return outcome
        if _is_question(outcome.terms, vocabulary):
            self._by_coverage(outcome, vocabulary, limit, kinds)
        else:
            outcome.hits = self._search_terms(outcome.terms, vocabulary, limit, kinds)
            if not outcome.hits and len(outcome.terms) == 2:
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
        """No entry holds both words of a two-word query: leave out one and say which. Of
        the words whose absence gives answers, a word outside the synonym list goes before one
        in it (those name HR topics), then the commonest (「婚假一樣嗎」 loses 一樣 rather than
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
        """A question as a clerk types it (「老師生病住院可以請多久」, three words or more), or
        words no entry holds together: rank the entries by how much of the question they hold.

        Every word of a question is rarely in one entry, and a filler word the lists do not
        know (先, 開, 少) is in many bodies: requiring every word would find the entries that
        happen to hold the filler rather than the one about the question. So the question is
        cut into pieces: its known words, and the runs between them in pairs of characters
        (「同事一直被」 has no word this app knows, 「同事」 does appear in answers). A piece
        weighs more the fewer entries hold it and when it names an HR topic (``_weight``), and
        an entry holds it fully in its title, less in its keywords, least in its body only
        (``FIELD_WEIGHTS``). Entries holding at least one topic are ranked by the share of the
        weight they hold, then as ``rerank`` would; a question that names no topic the content
        knows gets no answers, and suggestions instead. ``skipped`` says which words of the
        question the best answer lacks."""
        pieces = _pieces(outcome.terms, vocabulary)
        frequencies = self._frequencies(list(pieces))
        documents = max(frequencies.pop(None, 0), 1)
        weights: dict[QueryTerm, float] = {}
        for piece in pieces:
            holding = frequencies.get(piece, 0)
            if holding:
                idf = math.log(1 + documents / min(holding, documents))
                weights[piece] = _weight(piece, vocabulary) * idf
        topics = [piece for piece in weights if _is_topic(piece, vocabulary)]
        if not topics:
            return
        candidates = self._question_candidates(topics, frequencies, documents, weights, kinds)
        total = sum(weights.values())
        share: dict[tuple[str, str], float] = {}
        held: dict[tuple[str, str], set[QueryTerm]] = {}
        for _bm25, row in candidates:
            holds, weight = _held(row, weights)
            held[(row[1], row[2])] = holds
            share[(row[1], row[2])] = weight / total
        # only the entries holding the most are reranked: a title the question matches holds
        # much of it anyway, and reranking costs more than the share
        best_first = sorted(candidates, key=lambda c: (-share[(c[1][1], c[1][2])], c[0]))
        shortlist = best_first[: max(CANDIDATES, limit)]
        scored = [
            (round(100 * share[(hit.kind, hit.ref)] + RERANK_SHARE * hit.score, 3), hit)
            for hit in rerank(shortlist, list(weights), vocabulary, len(shortlist), False)
        ]
        scored.sort(key=lambda pair: (-pair[0], pair[1].title))
        outcome.hits = [
            replace(
                hit,
                score=score,
                matched=tuple(m for m in hit.matched if not _is_grammar(m, vocabulary)),
                highlight=_highlight_forms(hit.highlight, vocabulary),
            )
            for score, hit in scored[:limit]
        ]
        if outcome.hits:
            best = held[(outcome.hits[0].kind, outcome.hits[0].ref)]
            outcome.skipped = tuple(
                term.typed
                for term in outcome.terms
                if not any(p in best for p in pieces if pieces[p] is term)
            )

    def _question_candidates(
        self,
        topics: Sequence[QueryTerm],
        frequencies: dict[QueryTerm | None, int],
        documents: int,
        weights: dict[QueryTerm, float],
        kinds: Sequence[str],
    ) -> list[tuple[float, DocumentRow]]:
        """The entries a question's answers are chosen from: bm25's best of those holding its
        topics (``_question_expression``). Ranking costs about 3 µs a match, so when those
        may be more than QUESTION_BROAD entries (a large content where every entry mentions
        職員 and 考績), they are those holding every word of the question but the filler,
        and only if none does, the first of those holding its topics. The documents each word
        is in (``frequencies``, at most) say how many match, so counting is left for when
        they cannot."""
        vocabulary = self.vocabulary()
        wide, estimate = _question_expression(topics, frequencies, documents)
        if estimate <= QUESTION_BROAD:
            return self._candidates(wide, kinds, broad=QUESTION_BROAD, counted=True)
        informative = [piece for piece in weights if not _is_filler(piece, vocabulary)]
        narrow = " AND ".join(f"({_any_of(piece)})" for piece in informative)
        at_most = min(frequencies.get(piece, documents) for piece in informative)
        return self._candidates(
            narrow, kinds, broad=QUESTION_BROAD, counted=at_most <= QUESTION_BROAD, spread=1
        ) or self._candidates(wide, kinds, broad=QUESTION_BROAD, spread=1)

    def _count(self, expression: str, most: int) -> int:
        """How many documents match the expression, counted up to ``most``."""
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            count: int = raw.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
                "LIMIT ?)",
                (expression, most),
            ).fetchone()[0]
        return count

    def _frequencies(self, terms: Sequence[QueryTerm]) -> dict[QueryTerm | None, int]:
        """About how many indexed documents hold each term, and (``None``) how many there are.

        Read from FTS5's own vocabulary (``fts5vocab``: documents per token, kept in the
        ``Vocabulary`` until the content changes) rather than by counting matches, which costs
        about 0.7 µs a match: a phrase is in at most as many documents as its rarest token, a
        term in at most the sum of its alternatives'. A filler character weighs little and
        begins many tokens: it is taken to be in half the documents. An SQLite without
        ``fts5vocab`` counts matches (``_frequency``)."""
        vocabulary = self.vocabulary()
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            try:
                raw.execute(VOCABULARY_CREATE)
            except sqlite3.Error:
                return {None: self._frequency(None)} | {t: self._frequency(t) for t in terms}
            documents = vocabulary.documents
            found: dict[QueryTerm | None, int] = {None: documents}
            cache = vocabulary.token_documents
            if len(cache) > TOKEN_CACHE:
                cache.clear()
            for term in terms:
                if _is_filler(term, vocabulary):
                    found[term] = documents // 2
                    continue
                total = 0
                for alternative in term.match_forms:
                    tokens = phrase_tokens(alternative)
                    rarest = documents
                    for number, token in enumerate(tokens):
                        last = number == len(tokens) - 1
                        key = (token, last and (len(token) == 1 or is_latin(token[0])))
                        if key not in cache:
                            cache[key] = _token_documents(raw, *key)
                        rarest = min(rarest, cache[key])
                    total += rarest
                found[term] = min(documents, total)
        return found

    def _frequency(self, term: QueryTerm | None) -> int:
        """How many indexed documents hold the term (counted up to BROAD); all of them for
        ``None``."""
        if term is None:
            with self._engine.connect() as connection:
                raw = connection.connection.dbapi_connection
                assert raw is not None
                everything: int = raw.execute("SELECT count(*) FROM search_document").fetchone()[0]
            return everything
        return self._count(" OR ".join(term_expression(a) for a in term.match_forms), BROAD)

    def _candidates(
        self,
        expression: str,
        kinds: Sequence[str],
        want: int = CANDIDATES,
        broad: int = BROAD,
        counted: bool = False,
        spread: int = 4,
    ) -> list[tuple[float, DocumentRow]]:
        """bm25's best ``want`` documents of ``kinds`` (more are asked for when only some kinds
        are wanted, and those of other kinds left out); when more than ``broad`` match, the
        first ``spread`` times as many that hold the expression in their title or keywords,
        unranked. ``counted``: the caller knows that no more than ``broad`` match."""
        many = want * spread
        # no more than ``broad`` can match when no more are indexed: nothing to count
        counted = counted or self.vocabulary().documents <= broad
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            want = want * (4 if kinds else 1)
            if not counted and self._count(expression, broad + 1) > broad:
                ranked = (
                    raw.execute(
                        f"SELECT rowid, 0.0 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?",
                        (f"{{title keywords}} : ({expression})", many * (4 if kinds else 1)),
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
        ][:want]


def _edition(connection: Connection) -> object:
    """What changes whenever the content searched changes: the index's structure record
    (FTS5 rewrites it at every write) and the word lists' row count and last id. None when
    it cannot be read (then every ``reload_if_changed`` reloads)."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    try:
        structure = raw.execute(f"SELECT block FROM {FTS_TABLE}_data WHERE id = 10").fetchone()
        groups = raw.execute("SELECT count(*), max(id) FROM search_term_group").fetchone()
    except sqlite3.Error:
        return None
    return (structure, tuple(groups))


_SHARED: weakref.WeakKeyDictionary[Engine, Searcher] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()

MAX_PIECES = 24
SINGLE_CHARACTER_WEIGHT = 0.25
COMMON = 0.2  # a topic in more than this share of the documents is common


def _is_question(terms: Sequence[QueryTerm], vocabulary: Vocabulary) -> bool:
    """Whether a query is a question, ranked by how much of it an entry holds: three terms or
    more, or two of which one is a single character no list knows (「小群組是要做什麼的」
    leaves 小群組 and 做, and no entry need hold 做)."""
    if len(terms) >= QUESTION_TERMS:
        return True
    return len(terms) == 2 and any(_is_filler(term, vocabulary) for term in terms)


def _is_filler(term: QueryTerm, vocabulary: Vocabulary) -> bool:
    """A single CJK character no list knows: the grammar of a question more than its topic."""
    word = term.typed
    return len(word) == 1 and not is_latin(word) and word not in vocabulary.words


def _any_of(term: QueryTerm) -> str:
    return " OR ".join(term_expression(a) for a in term.match_forms)


def _question_expression(
    topics: Sequence[QueryTerm], frequencies: dict[QueryTerm | None, int], documents: int
) -> tuple[str, int]:
    """Which documents a question's candidates come from, and how many at most: those holding
    any of its topics, except that the common ones (教師, 請假: in a fifth of the documents or
    more) count only together, unless one is the rarest topic of the question. Asking for
    any document holding 教師 would ask bm25 to rank most of the index for a word that says
    little about the question; a document holding every common topic (「教師和職員的請假規定
    哪裡不一樣」) is a likely answer all the same."""
    rarest = min(topics, key=lambda t: frequencies.get(t, 0))
    common = [t for t in topics if frequencies.get(t, 0) > COMMON * documents]
    alone = [t for t in topics if t not in common or t is rarest]
    parts = [_any_of(t) for t in alone]
    estimate = sum(frequencies.get(t, 0) for t in alone)
    together = [t for t in common if t is not rarest]
    if len(common) > 1:
        parts.append(" AND ".join(f"({_any_of(t)})" for t in common))
        estimate += min(frequencies.get(t, 0) for t in together)
    return " OR ".join(f"({part})" for part in parts), min(estimate, documents)


def _held(row: DocumentRow, weights: dict[QueryTerm, float]) -> tuple[set[QueryTerm], float]:
    """The pieces a document holds, and their weight, each counted by the best field that holds
    it (``FIELD_WEIGHTS``): ``normalized`` is the title, the keywords and the body, one line
    each, so where a piece first occurs says the best field holding it."""
    normalized, title = row[5], row[6]
    title_end = len(title)
    keywords_end = normalized.find("\n", title_end + 1)
    if keywords_end < 0:
        keywords_end = len(normalized)
    holds: set[QueryTerm] = set()
    weight = 0.0
    for piece, piece_weight in weights.items():
        first = -1
        for alternative in piece.alternatives:
            at = normalized.find(alternative, 0, first if first >= 0 else len(normalized))
            if at >= 0:
                first = at
        if first < 0:
            continue
        holds.add(piece)
        field = 0 if first < title_end else 1 if first < keywords_end else 2
        weight += FIELD_WEIGHTS[field] * piece_weight
    return holds, weight


def _token_documents(raw: sqlite3.Connection, token: str, prefix: bool) -> int:
    """How many documents hold the index token (``prefix``: any token it begins, summed, so
    at most that many)."""
    if prefix:
        row = raw.execute(
            f"SELECT sum(doc) FROM temp.{VOCABULARY_TABLE} WHERE term >= ? AND term < ?",
            (token, token + "\U0010ffff"),
        ).fetchone()
    else:
        row = raw.execute(
            f"SELECT doc FROM temp.{VOCABULARY_TABLE} WHERE term = ?", (token,)
        ).fetchone()
    return int(row[0] or 0) if row else 0


def _is_topic(piece: QueryTerm, vocabulary: Vocabulary) -> bool:
    """Whether a piece of a question names something the content knows: a synonym or an
    entry's keyword."""
    return len(piece.alternatives) > 1 or piece.typed in vocabulary.words


def _weight(piece: QueryTerm, vocabulary: Vocabulary) -> float:
    """How much a piece says about what the question is about: a word of the synonym list
    names an HR topic (3), an entry's keyword less surely (1.5: 主任 is a keyword, and a
    question about 霸凌 by a 主任 is about 霸凌), any other piece 1, and a single character
    no list knows (先, 開, 少: the grammar of the question more than its topic) a quarter."""
    if len(piece.alternatives) > 1 or piece.typed in vocabulary.groups:
        return 3.0
    if piece.typed in vocabulary.words:
        return 1.5
    return SINGLE_CHARACTER_WEIGHT if _is_filler(piece, vocabulary) else 1.0


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
    highlight: bool = True,
) -> list[Hit]:
    """The best ``limit`` candidates, best first; with ``highlight`` their highlight forms hold
    the known words inside the matched ones (``_highlight_forms``), else only the matched."""
    core = "".join(term.typed for term in terms)
    several = len(terms) > 1
    scored: list[tuple[float, str, DocumentRow]] = []
    for bm25, row in candidates:
        title, normalized, norm_title, keywords_json = row[3], row[5], row[6], row[7]
        score = -bm25
        if norm_title == core:
            score += 50
        elif core and core in norm_title:
            score += 15
        if core and core in _keyword_forms(keywords_json):
            score += 10  # the question is exactly one of the entry's keywords
        if several and all(any(a in norm_title for a in t.alternatives) for t in terms):
            score += 15  # the title holds every word of the question
        for term in terms:
            if term.typed in normalized:
                score += 2  # the word as typed beats a synonym of it
            if any(a in norm_title for a in term.alternatives):
                score += 3
        scored.append((round(score, 3), title, row))
    scored.sort(key=lambda item: (-item[0], item[1]))
    hits = []
    for score, title, row in scored[:limit]:  # what matched: only for the hits returned
        normalized = row[5]
        matched: list[str] = []
        for term in terms:
            matched.extend(a for a in term.alternatives if a in normalized)
        unique = tuple(dict.fromkeys(matched))
        shown = tuple(dict.fromkeys(vocabulary.display.get(m, m) for m in unique))
        forms = _highlight_forms(unique, vocabulary) if highlight else unique
        hits.append(Hit(row[1], row[2], title, row[4], score, shown, forms))
    return hits


@lru_cache(maxsize=65_536)
def _keyword_forms(keywords_json: str | None) -> frozenset[str]:
    """The normalised keywords of a document (its JSON list): lists repeat across documents
    and searches, so each is read once."""
    return frozenset(normalize(k) for k in json.loads(keywords_json or "[]"))


def _is_grammar(word: str, vocabulary: Vocabulary) -> bool:
    """A single CJK character no list knows, as matched: part of how a question is asked."""
    return len(word) == 1 and not is_latin(word) and word not in vocabulary.words


def _highlight_forms(matched: tuple[str, ...], vocabulary: Vocabulary) -> tuple[str, ...]:
    """The matched words and the known words inside them: a keyword such as 補休到期 matches
    through the keyword list, while the answer says 補休 … 到期. A single character no list
    knows (the 請 or 看 of a question) is grammar, not what matched: marking it would paint
    every 請 of the answer."""
    forms: list[str] = []
    for word in matched:
        if _is_grammar(word, vocabulary):
            continue
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
    """The toneless Mandarin reading of a character (pypinyin, loaded on first need).

    Without its phrase tables: a character's reading comes from the character table alone,
    and the phrase tables are 2.5 MB of JSON parsed in one call that holds the interpreter,
    so every thread, the UI thread too, for 0.2 s."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


def prepare_suggestions(vocabulary: Vocabulary | None = None) -> None:
    """Load the reading tables and read the vocabulary's words ahead of time, so that the
    first typo costs no more than the next (call from a background thread)."""
    _reading("休")
    for word in vocabulary.words if vocabulary is not None else ():
        if not word.isascii():
            _sound(word)
