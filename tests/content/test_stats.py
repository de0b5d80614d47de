import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from schoolhr.content.files import read_content
from schoolhr.content.install import bundled_content_dir
from schoolhr.content.stats import (
    content_stats,
    format_stats,
    one_year_before,
    stats_of,
)
from schoolhr.errors import UserFileError
from schoolhr.text import display_width

TODAY = date(2026, 11, 22)

FAQ = """---
id: {id}
title: {title}
category: {category}
audience: [{audience}]
keywords: [測試]
sources:
  - name: 公務人員請假規則
reviewed: {reviewed}
needs_review: {needs_review}{note}
---
測試用的答案，至少要有十個字。
"""

GUIDE = """id: {id}
title: {title}
system: {system}
audience: [{audience}]
sources:
  - name: 測試用依據
checked: {checked}
needs_screen_check: {screen}
steps:
  - title: 登入系統
"""

CHECKLIST = """id: {id}
title: {title}
purpose: 測試用的檢核表。
audience: [{audience}]
sources:
  - name: 測試用依據
reviewed: {reviewed}
sections:
  - id: main
    title: 一、項目
    items:
      - {{id: done, label: 已完成}}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small content folder laid out like resources/content, with known dates and flags."""
    root = tmp_path / "content"
    write(root / "content.yaml", 'version: "2026.11.1"\ntitle: 測試內容\npublisher: 測試\n')
    write(root / "categories.txt", "# 測試用分類\n請假\n加班與補休\n系統操作\n")
    write(root / "synonyms.tsv", "# 測試\n補休\t加班補休\n休假\t特休\nWebITR\t差勤系統\n")
    faq = [
        ("leave-a", "職員的休假有幾天？", "請假", "職員", "2026-11-01", "false"),
        ("leave-b", "教師可以請休假嗎？", "請假", "教師, 職員", "2025-11-22", "true"),
        ("system-old", "怎麼登入差勤系統？", "系統操作", "教師", "2025-11-21", "true"),
    ]
    for entry_id, title, category, audience, reviewed, review in faq:
        text = FAQ.format(
            id=entry_id,
            title=title,
            category=category,
            audience=audience,
            reviewed=reviewed,
            needs_review=review,
            note="\nreview_note: 第N條的日數待對照現行條文" if review == "true" else "",
        )
        write(root / "faq" / f"{entry_id}.md", text)
    write(
        root / "guides" / "systems.yaml",
        "systems:\n  - code: webitr\n    name: WebITR 差勤系統\n    per_site: true\n"
        "  - code: ecpa\n    name: eCPA 人事服務網\n"
        "  - code: mydata\n    name: MyData 公務人員個人資料服務網\n",
    )
    guides = [
        ("webitr-a", "在 WebITR 請假", "webitr", "教師, 職員", "2026-11-01", "true"),
        ("webitr-b", "在 WebITR 檢視差勤", "webitr", "兼任人事", "2024-03-01", "false"),
        ("ecpa-a", "登入 eCPA 人事服務網", "ecpa", "教師", "2026-01-01", "true"),
    ]
    for guide_id, title, system, audience, checked, screen in guides:
        text = GUIDE.format(
            id=guide_id,
            title=title,
            system=system,
            audience=audience,
            checked=checked,
            screen=screen,
        )
        write(root / "guides" / f"{guide_id}.yaml", text)
    checklists = [
        ("list-a", "新進人員檢核", "兼任人事, 專任人事", "2026-11-01"),
        ("list-b", "離職人員檢核", "兼任人事", "2025-06-30"),
    ]
    for list_id, title, audience, reviewed in checklists:
        text = CHECKLIST.format(id=list_id, title=title, audience=audience, reviewed=reviewed)
        write(root / "checklists" / f"{list_id}.yaml", text)
    return root


def test_counts_follow_the_lists_of_the_folder(folder: Path) -> None:
    stats = content_stats(folder, TODAY)
    assert stats.version == "2026.11.1"
    assert stats.faq_total == 3
    # categories.txt order, with an empty category kept
    assert stats.by_category == [("請假", 2), ("加班與補休", 0), ("系統操作", 1)]
    rows = [(r.audience, r.faq, r.guides, r.checklists) for r in stats.by_audience]
    assert rows == [
        ("教師", 2, 2, 0),
        ("職員", 2, 1, 0),
        ("兼任人事", 0, 1, 2),
        ("專任人事", 0, 0, 1),
    ]
    assert stats.guides_total == 3
    assert [(s.code, s.name, s.guides) for s in stats.guides_by_system] == [
        ("webitr", "WebITR 差勤系統", 2),
        ("ecpa", "eCPA 人事服務網", 1),
        ("mydata", "MyData 公務人員個人資料服務網", 0),
    ]
    assert stats.checklists_total == 2
    assert stats.synonym_groups == 3


def test_entries_older_than_a_year_are_listed_oldest_first(folder: Path) -> None:
    stats = content_stats(folder, TODAY)
    assert stats.stale_before == date(2025, 11, 22)
    # leave-b, reviewed exactly a year before, is not yet stale; the day before is
    assert [(e.kind, e.id, e.date) for e in stats.stale] == [
        ("操作指引", "webitr-b", date(2024, 3, 1)),
        ("檢核表", "list-b", date(2025, 6, 30)),
        ("問答", "system-old", date(2025, 11, 21)),
    ]
    assert stats.stale[0].title == "在 WebITR 檢視差勤"
    assert content_stats(folder, date(2026, 1, 1)).stale == [stats.stale[0]]


def test_marked_entries_are_listed(folder: Path) -> None:
    stats = content_stats(folder, TODAY)
    assert stats.needs_review == ["leave-b", "system-old"]
    assert stats.review_notes["leave-b"] == "第N條的日數待對照現行條文"
    assert "leave-b：第N條的日數待對照現行條文" in format_stats(stats)
    assert {"id": "leave-b", "note": "第N條的日數待對照現行條文"} in stats.as_dict()["review_notes"]
    assert stats.needs_screen_check == ["ecpa-a", "webitr-a"]


def test_a_year_before_29_february_is_28_february() -> None:
    assert one_year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert one_year_before(date(2026, 11, 22)) == date(2025, 11, 22)


def test_cjk_characters_take_two_columns() -> None:
    assert display_width("abc") == 3
    assert display_width("請假") == 4
    assert display_width("e等公務園+") == 10
    assert display_width("（ＷｅｂＨＲ）") == 14  # full-width letters and brackets


def test_the_text_report_is_aligned_in_columns(folder: Path) -> None:
    text = format_stats(content_stats(folder, TODAY))
    lines = text.splitlines()
    assert lines[0] == "內容 2026.11.1 統計（以 2026-11-22 為基準）"
    assert "常見問答：3 則" in lines and "操作指引：3 份" in lines
    assert "檢核表：2 份" in lines and "同義詞：3 組" in lines
    # the category table: header and one line per category, the counts right-aligned
    start = lines.index("常見問答：3 則") + 1
    table = lines[start : start + 4]
    assert [line.split()[0] for line in table] == ["分類", "請假", "加班與補休", "系統操作"]
    assert len({display_width(line) for line in table}) == 1, table
    # the audience table has four columns whose right edges line up
    start = lines.index("適用對象（一則內容可有多個對象）") + 1
    audience = lines[start : start + 5]
    assert audience[1].split() == ["教師", "2", "2", "0"]
    assert len({display_width(line) for line in audience}) == 1, audience
    assert "超過一年未檢閱（日期早於 2025-11-22）：3 筆" in lines
    assert "待複查的問答（needs_review）：2 筆" in lines
    assert "  ecpa-a" in lines and "  webitr-a" in lines


def test_a_report_says_none_when_nothing_is_old_or_marked(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.suffix in {".md", ".yaml"} and path.name != "systems.yaml":
            text = path.read_text(encoding="utf-8").replace("true", "false")
            text = "".join(
                line for line in text.splitlines(keepends=True) if "review_note" not in line
            )
            for old in ("2025-11-21", "2024-03-01", "2025-06-30"):
                text = text.replace(old, "2026-10-01")
            path.write_text(text, encoding="utf-8")
    text = format_stats(content_stats(folder, TODAY))
    assert "超過一年未檢閱（日期早於 2025-11-22）：無" in text
    assert "待複查的問答（needs_review）：無" in text
    assert "畫面待核對的操作指引（needs_screen_check）：無" in text


def test_the_json_form_carries_the_same_numbers(folder: Path) -> None:
    stats = content_stats(folder, TODAY)
    data = json.loads(json.dumps(stats.as_dict(), ensure_ascii=False))
    assert data["faq_total"] == 3 and data["guides_total"] == 3
    assert data["by_category"][1] == {"category": "加班與補休", "count": 0}
    assert data["guides_by_system"][0] == {
        "system": "webitr",
        "name": "WebITR 差勤系統",
        "count": 2,
    }
    assert data["stale"][0] == {
        "kind": "操作指引",
        "id": "webitr-b",
        "title": "在 WebITR 檢視差勤",
        "date": "2024-03-01",
    }
    assert data["needs_screen_check"] == ["ecpa-a", "webitr-a"]


def test_a_folder_with_problems_is_refused_with_one_sentence(folder: Path) -> None:
    (folder / "faq" / "leave-a.md").write_text("沒有欄位\n", encoding="utf-8")
    with pytest.raises(UserFileError) as caught:
        content_stats(folder, TODAY)
    message = str(caught.value)
    assert "有 1 個問題" in message and "schoolhr content check" in message
    assert "leave-a.md:1" in message


def test_the_bundled_content_counts_equal_what_read_content_returns() -> None:
    content, problems = read_content(bundled_content_dir())
    assert content is not None, problems
    stats = content_stats(today=TODAY)
    assert stats == stats_of(content, TODAY)
    assert stats.faq_total == len(content.faq)
    assert stats.by_category == [
        (name, sum(1 for e in content.faq if e.category == name)) for name in content.categories
    ]
    assert sum(n for _name, n in stats.by_category) == len(content.faq)
    faq_audiences = Counter(a for e in content.faq for a in e.audience)
    guide_audiences = Counter(a for g in content.guides for a in g.audience)
    list_audiences = Counter(a for t in content.checklists for a in t.audience)
    for row in stats.by_audience:
        assert row.faq == faq_audiences[row.audience]
        assert row.guides == guide_audiences[row.audience]
        assert row.checklists == list_audiences[row.audience]
    assert {r.audience for r in stats.by_audience} == set(
        faq_audiences + guide_audiences + list_audiences
    ) | {"教師", "職員"}
    assert stats.guides_total == len(content.guides) >= 21
    assert [s.code for s in stats.guides_by_system] == [s.code for s in content.systems]
    for row in stats.guides_by_system:
        assert row.guides == sum(1 for g in content.guides if g.system == row.code)
    assert stats.checklists_total == len(content.checklists) >= 16
    assert stats.synonym_groups == len(content.synonyms)
    assert stats.needs_review == sorted(e.id for e in content.faq if e.needs_review)
    assert stats.needs_screen_check == sorted(g.id for g in content.guides if g.needs_screen_check)
    cutoff = date(2025, 11, 22)
    dated = [e.reviewed for e in content.faq] + [g.checked for g in content.guides]
    dated += [t.reviewed for t in content.checklists]
    assert len(stats.stale) == sum(1 for d in dated if d < cutoff)
