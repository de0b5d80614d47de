"""resources/content/README.md, the content index, lists every bundled entry, guide and checklist
with its review date, so the index cannot drift from the content."""

from __future__ import annotations

import re

from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir


def test_the_index_lists_every_item_with_its_review_date() -> None:
    content, problems = read_content(bundled_content_dir())
    assert content is not None, problems
    index = (bundled_content_dir() / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9-]+)` \|.*$", index, re.M)}
    expected = {
        **{e.id: str(e.reviewed) for e in content.faq},
        **{g.id: str(g.checked) for g in content.guides},
        **{k.id: str(k.reviewed) for k in content.checklists},
    }
    assert set(rows) == set(expected)
    stale = [item for item, day in expected.items() if f"| {day} |" not in rows[item]]
    assert stale == []
    assert f"內容版本 {content.manifest.version}" in index
