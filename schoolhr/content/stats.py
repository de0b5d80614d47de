"""What a content folder holds: counts, entries not reviewed for over a year, and what is marked
for checking. Used by ``schoolhr content stats`` so a maintainer can see at a glance what needs
attention before a release; no Qt, no database: it reads the folder as ``content check`` does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from schoolhr.content.files import ContentSet, read_content
from schoolhr.errors import UserFileError
from schoolhr.text import display_width

EntryKind = Literal["問答", "操作指引", "檢核表"]
# FAQ audiences first (the schema allows only these two), then the others as they appear.
_FIRST_AUDIENCES = ("教師", "職員")


@dataclass(frozen=True)
class DatedEntry:
    """An entry with its reviewed (FAQ, checklist) or checked (guide) date."""

    kind: EntryKind
    id: str
    title: str
    date: date


@dataclass(frozen=True)
class AudienceCount:
    audience: str
    faq: int
    guides: int
    checklists: int


@dataclass(frozen=True)
class SystemCount:
    code: str
    name: str
    guides: int


@dataclass(frozen=True)
class ContentStats:
    version: str
    today: date
    stale_before: date  # entries dated before this are more than a year old
    faq_total: int
    by_category: list[tuple[str, int]]  # in the order of categories.txt
    by_audience: list[AudienceCount]
    guides_total: int
    guides_by_system: list[SystemCount]  # in the order of systems.yaml
    checklists_total: int
    synonym_groups: int
    stale: list[DatedEntry] = field(default_factory=list)  # oldest first
    needs_review: list[str] = field(default_factory=list)  # FAQ ids
    review_notes: dict[str, str] = field(default_factory=dict)  # FAQ id -> what to check
    sources_total: int = 0  # every source of every FAQ entry, guide and checklist
    unlinked: list[tuple[str, int]] = field(default_factory=list)  # (source name, uses) w/o url
    needs_screen_check: list[str] = field(default_factory=list)  # guide ids

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dates as ISO text)."""
        return {
            "version": self.version,
            "today": self.today.isoformat(),
            "stale_before": self.stale_before.isoformat(),
            "faq_total": self.faq_total,
            "by_category": [{"category": name, "count": n} for name, n in self.by_category],
            "by_audience": [
                {
                    "audience": row.audience,
                    "faq": row.faq,
                    "guides": row.guides,
                    "checklists": row.checklists,
                }
                for row in self.by_audience
            ],
            "guides_total": self.guides_total,
            "guides_by_system": [
                {"system": row.code, "name": row.name, "count": row.guides}
                for row in self.guides_by_system
            ],
            "checklists_total": self.checklists_total,
            "synonym_groups": self.synonym_groups,
            "stale": [
                {"kind": e.kind, "id": e.id, "title": e.title, "date": e.date.isoformat()}
                for e in self.stale
            ],
            "needs_review": list(self.needs_review),
            "review_notes": [
                {"id": item, "note": self.review_notes.get(item, "")} for item in self.needs_review
            ],
            "needs_screen_check": list(self.needs_screen_check),
            "sources_total": self.sources_total,
            "unlinked_sources": [{"name": name, "uses": n} for name, n in self.unlinked],
        }


def one_year_before(today: date) -> date:
    """The same day a year earlier; 29 February falls back to the 28th."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def content_stats(directory: Path | None = None, today: date | None = None) -> ContentStats:
    """The statistics of a content folder (the bundled content by default).

    Raises ``UserFileError`` when the folder does not pass ``schoolhr content check``: counts of
    a folder that is partly unreadable would look complete and mislead.
    """
    from schoolhr.content.install import bundled_content_dir

    directory = directory or bundled_content_dir()
    content, problems = read_content(directory)
    if content is None:
        first = f"第一個問題：{problems[0]}" if problems else ""
        raise UserFileError(
            f"內容資料夾 {directory} 有 {len(problems)} 個問題，無法統計；"
            f"請先用「schoolhr content check」修正。{first}"
        )
    return stats_of(content, today or date.today())


def stats_of(content: ContentSet, today: date) -> ContentStats:
    """The statistics of content already read and validated."""
    categories = Counter(entry.category for entry in content.faq)
    by_category = [(name, categories.get(name, 0)) for name in content.categories]
    # read_content rejects a category not in the list; kept for a ContentSet built otherwise.
    by_category += [(name, n) for name, n in categories.items() if name not in content.categories]

    audiences: list[str] = list(_FIRST_AUDIENCES)
    counts: dict[str, Counter[str]] = {
        "faq": Counter(),
        "guides": Counter(),
        "checklists": Counter(),
    }
    for kind, groups in (
        ("faq", [entry.audience for entry in content.faq]),
        ("guides", [guide.audience for guide in content.guides]),
        ("checklists", [template.audience for template in content.checklists]),
    ):
        for group in groups:
            for audience in dict.fromkeys(group):  # an audience listed twice counts once
                counts[kind][audience] += 1
                if audience not in audiences:
                    audiences.append(audience)
    by_audience = [
        AudienceCount(name, counts["faq"][name], counts["guides"][name], counts["checklists"][name])
        for name in audiences
    ]

    systems = Counter(guide.system for guide in content.guides)
    by_system = [SystemCount(s.code, s.name, systems.get(s.code, 0)) for s in content.systems]
    known = {s.code for s in content.systems}
    by_system += [SystemCount(code, code, n) for code, n in systems.items() if code not in known]

    cutoff = one_year_before(today)
    dated: list[DatedEntry] = [
        DatedEntry("問答", entry.id, entry.title, entry.reviewed) for entry in content.faq
    ]
    dated += [DatedEntry("操作指引", g.id, g.title, g.checked) for g in content.guides]
    dated += [DatedEntry("檢核表", t.id, t.title, t.reviewed) for t in content.checklists]
    stale = sorted((e for e in dated if e.date < cutoff), key=lambda e: (e.date, e.kind, e.id))

    sources = [source for entry in content.faq for source in entry.sources]
    sources += [source for guide in content.guides for source in guide.sources]
    sources += [source for template in content.checklists for source in template.sources]
    unlinked = Counter(source.name for source in sources if not source.url)

    return ContentStats(
        version=content.manifest.version,
        today=today,
        stale_before=cutoff,
        faq_total=len(content.faq),
        by_category=by_category,
        by_audience=by_audience,
        guides_total=len(content.guides),
        guides_by_system=by_system,
        checklists_total=len(content.checklists),
        synonym_groups=len(content.synonyms),
        stale=stale,
        needs_review=sorted(entry.id for entry in content.faq if entry.needs_review),
        review_notes={
            entry.id: entry.review_note or "" for entry in content.faq if entry.needs_review
        },
        needs_screen_check=sorted(g.id for g in content.guides if g.needs_screen_check),
        sources_total=len(sources),
        unlinked=sorted(unlinked.items(), key=lambda item: (-item[1], item[0])),
    )


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def _table(header: list[str], rows: list[list[str]], numbers: int = 1) -> list[str]:
    """Columns aligned with spaces, indented by two; the last ``numbers`` columns (counts) are
    right-aligned, the others left-aligned."""
    widths = [display_width(cell) for cell in header]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]
    first_number = len(header) - numbers
    lines = []
    for row in [header, *rows]:
        cells = [
            _pad(cell, width, right=index >= first_number)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def _id_list(title: str, ids: list[str]) -> list[str]:
    if not ids:
        return [f"{title}：無"]
    return [f"{title}：{len(ids)} 筆", *(f"  {item}" for item in ids)]


def format_stats(stats: ContentStats) -> str:
    """The statistics as zh-TW plain text for a terminal."""
    lines = [f"內容 {stats.version} 統計（以 {stats.today.isoformat()} 為基準）", ""]
    lines.append(f"常見問答：{stats.faq_total} 則")
    lines += _table(["分類", "則數"], [[name, str(n)] for name, n in stats.by_category])
    lines += ["", "適用對象（一則內容可有多個對象）"]
    lines += _table(
        ["對象", "問答", "操作指引", "檢核表"],
        [
            [row.audience, str(row.faq), str(row.guides), str(row.checklists)]
            for row in stats.by_audience
        ],
        numbers=3,
    )
    lines += ["", f"操作指引：{stats.guides_total} 份"]
    lines += _table(
        ["系統", "份數"], [[row.name, str(row.guides)] for row in stats.guides_by_system]
    )
    lines += ["", f"檢核表：{stats.checklists_total} 份", f"同義詞：{stats.synonym_groups} 組", ""]
    older = f"超過一年未檢閱（日期早於 {stats.stale_before.isoformat()}）"
    if stats.stale:
        lines.append(f"{older}：{len(stats.stale)} 筆")
        lines += _table(
            ["類別", "編號", "日期"],
            [[e.kind, e.id, e.date.isoformat()] for e in stats.stale],
            numbers=0,
        )
    else:
        lines.append(f"{older}：無")
    lines.append("")
    lines += _id_list(
        "待複查的問答（needs_review）",
        [
            f"{item}：{stats.review_notes[item]}" if stats.review_notes.get(item) else item
            for item in stats.needs_review
        ],
    )
    lines += _id_list("畫面待核對的操作指引（needs_screen_check）", stats.needs_screen_check)
    linked = stats.sources_total - sum(n for _, n in stats.unlinked)
    lines.append("")
    lines.append(f"來源：{stats.sources_total} 筆，{linked} 筆連到法規、條文或公告本身")
    lines += _id_list(
        "沒有連結的來源（找不到官方頁面，只列名稱）",
        [f"{name}（{n} 處）" for name, n in stats.unlinked],
    )
    return "\n".join(lines)
