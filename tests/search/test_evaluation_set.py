"""Questions as clerks type them (``evaluation_questions.tsv``) find their answers in the
bundled content: at least 95 % have an expected entry among the first three hits. Behaviour
only: the latency is reported by ``tests/benchmarks/bench_faq_recall.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolhr.search.engine import Searcher
from tests.search.evaluation import (
    QUESTIONS,
    RECALL_AT_3_FLOOR,
    Evaluation,
    bundled_store,
    evaluate,
    faq_ids,
    load_questions,
)


@pytest.fixture(scope="module")
def results() -> tuple[Evaluation, set[str]]:
    with bundled_store() as store:
        return evaluate(Searcher(store.engine), load_questions(), warm=False), faq_ids(store)


def test_the_set_is_large_and_names_only_existing_entries(
    results: tuple[Evaluation, set[str]],
) -> None:
    evaluation, ids = results
    assert len(evaluation.answers) >= 160
    unknown = [
        f"{QUESTIONS.name}:{a.question.line}: {ref}"
        for a in evaluation.answers
        for ref in a.question.expected
        if ref not in ids
    ]
    assert unknown == [], "expected ids that are not FAQ entries"


def test_questions_as_typed_find_their_answer_in_the_first_three(
    results: tuple[Evaluation, set[str]],
) -> None:
    evaluation, _ids = results
    recall = evaluation.recall(3)
    assert recall >= RECALL_AT_3_FLOOR, (
        f"recall@3 {recall:.3f} < {RECALL_AT_3_FLOOR} (recall@1 {evaluation.recall(1):.3f}); "
        f"questions whose answer is not in the first three:\n{evaluation.describe_misses(3)}"
    )


def test_a_malformed_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "questions.tsv"
    path.write_text("# comment\n只有問題沒有答案\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        load_questions(path)
    path.write_text("問題\ta b\t備註\n問題\tc\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_questions(path)
