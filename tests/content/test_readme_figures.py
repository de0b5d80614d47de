"""README.md's content figures are the real ones: the table under 「Content figures」 is read
and compared with the bundled content and the search evaluation set."""

from __future__ import annotations

import re
from pathlib import Path

from schoolhr.content.stats import content_stats
from schoolhr.search.engine import Searcher
from tests.search.evaluation import bundled_store, evaluate, load_questions

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_figures() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Content figures", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", section, re.MULTILINE)
    return {label: value for label, value in rows if label not in {"figure", "---"}}


def test_the_readme_states_the_real_content_figures() -> None:
    stats = content_stats()
    unlinked = sum(uses for _name, uses in stats.unlinked)
    with bundled_store() as store:
        evaluation = evaluate(Searcher(store.engine), load_questions(), warm=False)
    actual = {
        "FAQ entries": str(stats.faq_total),
        "FAQ categories": str(len(stats.by_category)),
        "FAQ entries marked 待複查, each with its note": str(len(stats.needs_review)),
        "step guides": str(stats.guides_total),
        "checklist templates": str(stats.checklists_total),
        "synonym groups": str(stats.synonym_groups),
        "sources": str(stats.sources_total),
        "sources linking to the law, article or notice itself": str(stats.sources_total - unlinked),
        "search evaluation questions": str(len(evaluation.answers)),
        "search recall@1": f"{evaluation.recall(1):.3f}",
        "search recall@3": f"{evaluation.recall(3):.3f}",
    }
    assert readme_figures() == actual


def test_every_flagged_entry_says_what_to_check() -> None:
    stats = content_stats()
    assert all(stats.review_notes.get(entry_id) for entry_id in stats.needs_review)
