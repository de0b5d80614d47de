"""Exchanged records as a clerk reads them: field labels in zh-TW, people and schools by name,
reward kinds by their titles, days and times in 民國 local time. Never raw JSON, UUIDs or UTC
stamps. The exchange page's conflict table, the import plan's labels and the command line's
conflict listing all read records through here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.checklists.models import ChecklistTemplateRow
from schoolhr.contacts.models import Contact
from schoolhr.faq.models import FaqEntry, FaqVersion
from schoolhr.rewards.models import RewardRuleSet
from schoolhr.rewards.schema import KNOWN_KINDS
from schoolhr.store.models import Site
from schoolhr.sync.models import Exchange, KnownSigner
from schoolhr.text import roc_date, roc_datetime, roc_year

TYPE_LABELS = {
    "contacts": "聯絡人",
    "reward_entries": "積點紀錄",
    "reward_adjustments": "敘獎調整",
    "unanswered": "未解答問題",
    "checklist_runs": "檢核表填寫紀錄",
}

# The fields a clerk sees, in the order shown; fields not listed (uuid, the normalised query,
# the template's copy) are the program's own bookkeeping.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "contacts": {
        "name": "姓名",
        "school": "學校",
        "region": "區域",
        "role": "職務",
        "duties": "兼辦業務",
        "years": "兼任人事年資",
        "office_phone": "辦公室電話",
        "mobile": "手機",
        "email": "電子郵件",
        "line_id": "LINE ID",
        "notes": "備註",
        "consent_date": "同意日期",
        "consent_scope": "同意範圍",
        "deleted": "已刪除",
        "origin": "資料來源",
        "updated_at": "最後修改",
    },
    "reward_entries": {
        "contact_uuid": "人員",
        "date": "日期",
        "kind": "積點項目",
        "points": "點數",
        "rule_version": "積點規則",
        "reason": "事由",
        "evidence": "佐證",
        "recorded_by": "登錄者",
        "status": "狀態",
        "decision_reason": "審核說明",
        "decision_date": "審核日期",
        "decided_by": "審核者",
        "reverses": "沖銷",
        "origin": "資料來源",
        "created_at": "建立時間",
        "updated_at": "最後修改",
    },
    "reward_adjustments": {
        "contact_uuid": "人員",
        "year": "年度",
        "proposal": "敘獎建議",
        "reason": "理由",
        "adjusted_by": "調整者",
        "origin": "資料來源",
        "created_at": "建立時間",
    },
    "unanswered": {
        "query": "問題",
        "count": "詢問次數",
        "note": "備註",
        "first_asked_at": "第一次詢問",
        "last_asked_at": "最近一次詢問",
        "answered_entry_id": "解答的問答",
        "answered_at": "解答時間",
        "origin": "資料來源",
        "updated_at": "最後修改",
    },
    "checklist_runs": {
        "template_id": "檢核表",
        "title": "名稱",
        "period": "期間",
        "person": "人員",
        "due_date": "到期日",
        "completed_at": "完成時間",
        "answers": "填答",
        "origin": "資料來源",
        "created_at": "建立時間",
        "updated_at": "最後修改",
    },
}

STATUS_LABELS = {"claimed": "待審核", "approved": "已核定", "rejected": "已退回"}
# The fields of records (in packs) that hold a date, and those that hold a time.
DATE_FIELDS = frozenset({"consent_date", "date", "decision_date", "due_date"})
TIME_FIELDS = frozenset(
    {
        "updated_at",
        "created_at",
        "first_asked_at",
        "last_asked_at",
        "answered_at",
        "completed_at",
    }
)
EMPTY = "（空白）"


@dataclass
class Names:
    """What ids and UUIDs stand for at this site: people, schools, reward kinds, FAQ entries
    and checklists. ``of`` gives a name; an unknown id is said in words, never shown."""

    people: dict[str, str] = field(default_factory=dict)
    sites: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=lambda: dict(KNOWN_KINDS))
    faq: dict[str, str] = field(default_factory=dict)
    checklists: dict[str, str] = field(default_factory=dict)

    def person(self, contact_uuid: str | None) -> str:
        if not contact_uuid:
            return EMPTY
        return self.people.get(contact_uuid, "（本機沒有的人員）")

    def site(self, site_uuid: str | None) -> str:
        if not site_uuid:
            return EMPTY
        return self.sites.get(site_uuid, "（其他單位）")

    def kind(self, kind_id: str) -> str:
        return self.kinds.get(kind_id, "（其他積點項目）")

    def add_records(self, records: Mapping[str, list[dict[str, Any]]]) -> Names:
        """Also name the people a pack brings (a new person's points name them too)."""
        for contact in records.get("contacts", []):
            self.people.setdefault(contact["uuid"], contact["name"])
        return self


def names(session: Session, people: Iterable[str] | None = None) -> Names:
    """This site's names for ids, read once for a plan or a conflict list; with ``people``
    only those people (by contact uuid, in batches), not everyone here."""
    found = Names()
    if people is None:
        for uuid, name in session.execute(select(Contact.uuid, Contact.name)):
            found.people[uuid] = name
    else:
        wanted = sorted(set(people))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for uuid, name in session.execute(
                select(Contact.uuid, Contact.name).where(Contact.uuid.in_(chunk))
            ):
                found.people[uuid] = name
    for site_uuid, site_name in session.execute(select(Exchange.site_uuid, Exchange.site_name)):
        if site_name:
            found.sites[site_uuid] = site_name
    for site_uuid, site_name in session.execute(
        select(KnownSigner.site_uuid, KnownSigner.site_name)
    ):
        if site_name:
            found.sites[site_uuid] = site_name
    here = session.get(Site, 1)
    if here is not None:
        found.sites[here.site_uuid] = here.name or "本機"
    for (data,) in session.execute(select(RewardRuleSet.data).order_by(RewardRuleSet.version)):
        for kind in data.get("kinds", []):
            if isinstance(kind, dict) and kind.get("id") and kind.get("label"):
                found.kinds[str(kind["id"])] = str(kind["label"])
    for entry_id, title in session.execute(
        select(FaqVersion.entry_id, FaqVersion.title)
        .join(FaqEntry, FaqEntry.id == FaqVersion.entry_id)
        .where(FaqVersion.version == FaqEntry.published_version)
    ):
        found.faq[entry_id] = title
    for template_id, data in session.execute(
        select(ChecklistTemplateRow.id, ChecklistTemplateRow.data)
    ):
        found.checklists[template_id] = str(data.get("title", "")) or "（檢核表）"
    return found


def _day(value: Any) -> str:
    if isinstance(value, date):
        return roc_date(value)
    try:
        return roc_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _time(value: Any) -> str:
    """A stored UTC stamp as the clerk's local time, 民國."""
    try:
        stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return roc_datetime(stamp.astimezone())


def value_text(record_type: str, name: str, value: Any, known: Names) -> str:
    """One field's value as the clerk reads it."""
    if name == "answers":
        filled = [a for a in value or [] if str(a.get("value", "")) not in ("", "false")]
        return f"已填 {len(filled)} 項"
    if value is None or value == "" or value == []:
        return EMPTY
    if name == "contact_uuid":
        return known.person(str(value))
    if name == "origin":
        return known.site(str(value))
    if name == "kind" and record_type == "reward_entries":
        return known.kind(str(value))
    if name == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if name == "rule_version":
        return f"第 {value} 版"
    if name == "reverses":
        return "沖銷另一筆積點紀錄"
    if name == "answered_entry_id":
        return known.faq.get(str(value), "（本機沒有的問答）")
    if name == "template_id":
        return known.checklists.get(str(value), "（本機沒有的檢核表）")
    if name == "year":
        return f"{roc_year(int(value))} 年度"
    if name in DATE_FIELDS:
        return _day(value)
    if name in TIME_FIELDS:
        return _time(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class FieldRow:
    """One line of a side-by-side comparison."""

    label: str
    local: str
    incoming: str

    @property
    def differs(self) -> bool:
        return self.local != self.incoming


def field_rows(
    record_type: str,
    local: Mapping[str, Any] | None,
    incoming: Mapping[str, Any] | None,
    known: Names,
) -> list[FieldRow]:
    """The two versions of a record field by field, labelled, in the order a clerk reads."""
    rows = []
    for name, label in FIELD_LABELS.get(record_type, {}).items():
        rows.append(
            FieldRow(
                label,
                value_text(record_type, name, (local or {}).get(name), known),
                value_text(record_type, name, (incoming or {}).get(name), known),
            )
        )
    return rows


def record_label(record_type: str, record: Mapping[str, Any], known: Names | None = None) -> str:
    """How a record is named in a plan, a conflict list or a refusal: people by name, reward
    kinds by their titles, days in 民國."""
    known = known or Names()
    kind = TYPE_LABELS[record_type]
    if record_type == "contacts":
        return f"{kind}：{record['name']}（{record['school']}）"
    if record_type == "reward_entries":
        who = known.people.get(record["contact_uuid"])
        person = f"{who} " if who else ""
        return (
            f"{kind}：{person}{_day(record['date'])} {known.kind(record['kind'])} "
            f"{record['points']} 點"
        )
    if record_type == "unanswered":
        return f"{kind}：{record['query']}"
    if record_type == "checklist_runs":
        return f"{kind}：{record['title']} {record['period']}".rstrip()
    who = known.people.get(record["contact_uuid"])
    person = f"{who} " if who else ""
    return f"{kind}：{person}{value_text(record_type, 'year', record['year'], known)} " + str(
        record["proposal"]
    )
