"""The evaluation set of questions as clerks type them, and how well search answers them.

``evaluation_questions.tsv`` holds questions phrased as a new clerk, a principal, a teacher or
a help-desk person would type them, each with the FAQ entries that answer it. ``evaluate``
runs them through the real ``Searcher`` over the bundled content installed into a fresh store
(``bundled_store``) and reports recall@1 and recall@3 (the share of questions with an expected
entry first, or among the first three) and the latency of each query.
``tests/search/test_evaluation_set.py`` holds recall@3 to its floor;
``tests/benchmarks/bench_faq_recall.py`` reports the recall with the latency.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from schoolhr.content.install import bundled_content_dir, install_bundled_content
from schoolhr.paths import prepare_data_dir
from schoolhr.search.engine import Searcher
from schoolhr.search.models import SearchDocument
from schoolhr.store.database import Store, open_store

QUESTIONS = Path(__file__).with_name("evaluation_questions.tsv")
RECALL_AT_3_FLOOR = 0.95


@dataclass(frozen=True)
class Question:
    text: str
    expected: tuple[str, ...]  # any of these entries answers the question
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Answer:
    question: Question
    refs: tuple[str, ...]  # the first hits' entry ids, best first
    ms: float

    @property
    def rank(self) -> int | None:
        """The position (1-based) of the first expected entry among the hits, None if absent."""
        for position, ref in enumerate(self.refs, start=1):
            if ref in self.question.expected:
                return position
        return None


@dataclass
class Evaluation:
    answers: list[Answer] = field(default_factory=list)

    def recall(self, k: int) -> float:
        if not self.answers:
            return 0.0
        found = sum(1 for a in self.answers if a.rank is not None and a.rank <= k)
        return found / len(self.answers)

    def misses(self, k: int) -> list[Answer]:
        return [a for a in self.answers if a.rank is None or a.rank > k]

    def percentile_ms(self, percent: float) -> float:
        times = sorted(a.ms for a in self.answers)
        if not times:
            return 0.0
        index = min(len(times) - 1, max(0, round(percent / 100 * len(times) + 0.5) - 1))
        return times[index]

    @property
    def median_ms(self) -> float:
        return statistics.median(a.ms for a in self.answers) if self.answers else 0.0

    @property
    def slowest(self) -> Answer | None:
        return max(self.answers, key=lambda a: a.ms, default=None)

    def describe_misses(self, k: int = 3) -> str:
        """One line per question whose expected entries are not in the first ``k`` hits."""
        lines = []
        for answer in self.misses(k):
            q = answer.question
            lines.append(
                f"  line {q.line}: 「{q.text}」 expected {' '.join(q.expected)}; "
                f"got {', '.join(answer.refs[:k]) or '(nothing)'}"
            )
        return "\n".join(lines)


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    """The questions of a TSV file: ``question<TAB>ids separated by spaces[<TAB>note]``; lines
    starting with ``#`` and blank lines are skipped. A malformed line raises ValueError."""
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) < 2 or len(columns) > 3:
            raise ValueError(f"{path.name}:{number}: expected 2 or 3 tab-separated columns")
        text, ids = columns[0].strip(), tuple(columns[1].split())
        if not text or not ids:
            raise ValueError(f"{path.name}:{number}: a question and at least one id are needed")
        if text in seen:
            raise ValueError(f"{path.name}:{number}: 「{text}」 is listed twice")
        seen.add(text)
        note = columns[2].strip() if len(columns) == 3 else ""
        questions.append(Question(text, ids, note, number))
    return questions


@contextmanager
def bundled_store(content: Path | None = None) -> Iterator[Store]:
    """A fresh store in a temporary data folder (removed afterwards) with the bundled content,
    or ``content``, installed."""
    with tempfile.TemporaryDirectory(prefix="schoolhr-eval-") as folder:
        store = open_store(prepare_data_dir(Path(folder)), daily_backup=False)
        try:
            if install_bundled_content(store, content or bundled_content_dir()) is None:
                raise RuntimeError("the bundled content was not installed")
            yield store
        finally:
            store.close()


def faq_ids(store: Store) -> set[str]:
    """The ids of the FAQ entries the store's search index holds."""
    with store.read() as session:
        refs = session.execute(select(SearchDocument.ref).where(SearchDocument.kind == "faq"))
        return set(refs.scalars())


def evaluate(
    searcher: Searcher, questions: Sequence[Question], warm: bool = True, repeats: int = 1
) -> Evaluation:
    """Each question searched as the FAQ page searches it (50 hits; FAQ entries only, the ids
    are theirs). With ``warm`` the set runs once untimed first (the first search loads the
    vocabulary and fills the caches); a question's time is the median of ``repeats`` runs,
    which keeps another program's burst on the machine from being taken for the search's."""
    if warm:
        for question in questions:
            searcher.search(question.text, limit=50, kinds=("faq",))
    evaluation = Evaluation()
    for question in questions:
        times = []
        for _ in range(max(repeats, 1)):
            started = time.perf_counter()
            outcome = searcher.search(question.text, limit=50, kinds=("faq",))
            times.append((time.perf_counter() - started) * 1000)
        refs = tuple(hit.ref for hit in outcome.hits)
        evaluation.answers.append(Answer(question, refs, statistics.median(times)))
    return evaluation
