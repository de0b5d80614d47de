"""What changed: the kinds of data an action on one page (an import, a restore, an edit) has
changed, so that every page showing that data reloads it without a manual refresh.

A page announces a change with its ``data_changed`` signal (a frozenset of these kinds); the
main window reloads every other page whose ``shows`` meets it and says in the status bar what
changed. ``EVERYTHING`` (a restore, the demo reset, a new site role) reloads every page.
"""

from __future__ import annotations

from collections.abc import Iterable

CONTACTS = "contacts"
REWARDS = "rewards"
CHECKLISTS = "checklists"
FAQ = "faq"
UNANSWERED = "unanswered"
CONTENT = "content"  # the county's content: guides, systems, announcements
SITE = "site"
EXCHANGES = "exchanges"
BACKUPS = "backups"
EVERYTHING = "everything"

Kinds = frozenset[str]

LABELS = {
    CONTACTS: "聯絡人",
    REWARDS: "積點",
    CHECKLISTS: "檢核表",
    FAQ: "常見問答",
    UNANSWERED: "未解答問題",
    CONTENT: "縣市內容",
    SITE: "單位資料",
    EXCHANGES: "交換紀錄",
    BACKUPS: "備份",
}
ORDER = tuple(LABELS)

# What each exchanged record type changes (data packs and content packs).
RECORD_KINDS = {
    "contacts": CONTACTS,
    "reward_entries": REWARDS,
    "reward_adjustments": REWARDS,
    "unanswered": UNANSWERED,
    "checklist_runs": CHECKLISTS,
    "faq": FAQ,
    "term_groups": FAQ,
    "checklist_templates": CHECKLISTS,
    "guide_systems": CONTENT,
    "guides": CONTENT,
    "reward_rules": REWARDS,
    "announcements": CONTENT,
    "peer_groups": CONTACTS,
}


def of_records(record_types: Iterable[str]) -> Kinds:
    """The kinds an import of these record types changes (with its history and its backup)."""
    kinds = {RECORD_KINDS.get(t, CONTENT) for t in record_types}
    return frozenset(kinds | {EXCHANGES, BACKUPS})


def describe(kinds: Iterable[str]) -> str:
    """The status bar's line for a change (zh-TW)."""
    kinds = frozenset(kinds)
    if EVERYTHING in kinds:
        return "資料已全部更新，各頁都已重新載入。"
    named = [LABELS[k] for k in ORDER if k in kinds]
    if not named:
        return ""
    return "已更新" + "、".join(named) + "，相關頁面已顯示最新資料。"
