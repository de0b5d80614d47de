"""Content packs: the content release the county publishes to its schools (``sync.service``
signs, sends and reads the pack), validated with the same schemas as the bundled release
(``content.files``), and installed under origin ``pack``.

Record types (one JSON Lines member each): ``faq`` (FaqEntryData), ``term_groups``
(``{"kind": "synonym" | "stopword", "terms": [...]}``), ``checklist_templates``
(ChecklistTemplate), ``guide_systems`` (GuideSystem), ``guides`` (Guide; its pictures travel as
``pictures/...`` members), ``reward_rules`` (RuleSet), ``announcements`` (「最新消息」) and
``peer_groups`` (PeerGroupData: the 安心培力小群組 with the roster's consented fields; see
``schoolhr.contacts.peer_groups.pack``).
A content pack is the county's whole content: pack-origin entries it no longer holds are hidden.
The text of FAQ entries, guides, systems and checklists must keep to the Markdown allow-list of
``schoolhr.content.markup`` (no HTML, no images, only http(s) links), as in ``content check``: a
pack that breaks it is refused, naming the member and the record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.checklists import service as checklists
from schoolhr.checklists.models import ChecklistTemplateRow
from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.contacts.peer_groups import pack as shared_groups
from schoolhr.contacts.peer_groups.pack import PeerGroupData
from schoolhr.content.markup import field_label, record_problems
from schoolhr.content.validation import describe_error
from schoolhr.errors import UserFileError
from schoolhr.faq import service as faq
from schoolhr.faq.models import ORIGIN_PACK, FaqEntry
from schoolhr.faq.schema import FaqEntryData
from schoolhr.guides import service as guides
from schoolhr.guides.models import GuideRow, GuideSystemRow
from schoolhr.guides.schema import Guide, GuideSystem
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import RewardRuleSet
from schoolhr.rewards.schema import RuleSet
from schoolhr.search.index import replace_term_groups
from schoolhr.search.models import SearchTermGroup
from schoolhr.store.base import add_unless_present
from schoolhr.sync.format import PackError
from schoolhr.sync.models import Announcement
from schoolhr.text import roc_date


class TermGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["synonym", "stopword"]
    terms: list[str] = Field(min_length=1, max_length=2000)


class AnnouncementData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uuid: str = Field(pattern=r"^[0-9a-f-]{36}$")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(max_length=20_000)
    published: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


RECORD_TYPES: dict[str, type[BaseModel]] = {
    "faq": FaqEntryData,
    "term_groups": TermGroup,
    "checklist_templates": ChecklistTemplate,
    "guide_systems": GuideSystem,
    "guides": Guide,
    "reward_rules": RuleSet,
    "announcements": AnnouncementData,
    "peer_groups": PeerGroupData,
}
# The record types whose text is shown as Markdown or as labels (the allow-list applies).
MARKUP_CHECKED = frozenset({"faq", "checklist_templates", "guide_systems", "guides"})
# An announcement's columns that its pack record carries under the same names.
_ANNOUNCEMENT_COLUMNS = ("uuid", "title", "body", "published")
TYPE_LABELS = {
    "faq": "常見問答",
    "term_groups": "同義詞／停用詞",
    "checklist_templates": "檢核表",
    "guide_systems": "系統",
    "guides": "操作指引",
    "reward_rules": "積點規則",
    "announcements": "最新消息",
    "peer_groups": "安心培力小群組",
}


@dataclass
class ContentRecords:
    faq: list[FaqEntryData] = field(default_factory=list)
    term_groups: list[TermGroup] = field(default_factory=list)
    checklist_templates: list[ChecklistTemplate] = field(default_factory=list)
    guide_systems: list[GuideSystem] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    reward_rules: list[RuleSet] = field(default_factory=list)
    announcements: list[AnnouncementData] = field(default_factory=list)
    peer_groups: list[PeerGroupData] = field(default_factory=list)
    has_peer_groups: bool = False  # packs from before groups travelled leave groups alone
    pictures: dict[str, bytes] = field(default_factory=dict)  # "pictures/x.png" -> bytes


def validate(
    record_type: str, member: str, lines: list[tuple[int, dict[str, Any]]], file_name: str = ""
) -> list[Any]:
    """The records of one member; the first bad record is refused naming the file
    (``file_name``, the pack's), the member, the record and the field."""
    pack = f"「{file_name}」的" if file_name else ""
    model = RECORD_TYPES.get(record_type)
    if model is None:
        raise PackError(
            f"{pack}成員「{member}」的資料類型「{record_type}」不認得，已拒絕匯入，資料未變更。"
        )
    out: list[Any] = []
    for number, raw in lines:
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"]) or "（整筆）"
            raise PackError(
                f"{pack}成員「{member}」第 {number} 筆的欄位「{where}」有誤"
                f"（{describe_error(error)}），"
                "已拒絕匯入，資料未變更。"
            ) from exc
        if record_type in MARKUP_CHECKED:
            check_markup(pack + f"成員「{member}」", number, record)
        out.append(record)
    return out


def check_markup(where_in_pack: str, number: int, record: BaseModel) -> None:
    """Refuse a record whose text is outside the Markdown allow-list (HTML, images, links that
    are not http(s)): the same check as ``schoolhr content check``."""
    found = record_problems(record.model_dump(mode="json"))
    if found:
        loc, line, message = found[0]
        where = ".".join(str(p) for p in loc)
        raise PackError(
            f"{where_in_pack}第 {number} 筆的欄位「{where}」（{field_label(loc)}，第 {line} 行）"
            f"不符合內容格式：{message}；已拒絕匯入，資料未變更。"
        )


def check_pictures(records: ContentRecords, bundled: Path, data_dir: Path) -> None:
    """Every picture a guide names is in the pack (or already on this PC)."""
    for guide in records.guides:
        for index, step in enumerate(guide.steps, start=1):
            if not step.picture or step.picture in records.pictures:
                continue
            if not guides.picture_path(bundled, step.picture, data_dir).is_file():
                raise PackError(
                    f"操作指引「{guide.title}」第 {index} 步的圖片「{step.picture}」不在檔案中，"
                    "已拒絕匯入，資料未變更。"
                )


# -- export ----------------------------------------------------------------------------------


def export_records(
    session: Session, bundled: Path, data_dir: Path
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, bytes]]:
    """This site's content, as record JSON, and the guide pictures it refers to."""
    entries = [
        view.as_data().model_dump(mode="json", exclude_none=True)
        for view in faq.published_entries(session)
    ]
    groups = [
        {"kind": row.kind, "terms": list(row.terms)}
        for row in session.execute(select(SearchTermGroup).order_by(SearchTermGroup.id)).scalars()
    ]
    templates = [t.model_dump(mode="json") for t in checklists.templates(session)]
    systems = [
        row.data
        for row in session.execute(select(GuideSystemRow).order_by(GuideSystemRow.code)).scalars()
    ]
    guide_list = guides.guides(session)
    pictures: dict[str, bytes] = {}
    for guide in guide_list:
        for step in guide.steps:
            if step.picture and step.picture not in pictures:
                path = guides.picture_path(bundled, step.picture, data_dir)
                try:
                    pictures[step.picture] = path.read_bytes()
                except OSError as exc:
                    raise UserFileError(
                        f"操作指引「{guide.title}」的圖片「{step.picture}」找不到或無法讀取"
                        f"（{path}），內容包未匯出。"
                    ) from exc
    rules = [
        row.data
        for row in session.execute(select(RewardRuleSet).order_by(RewardRuleSet.version)).scalars()
    ]
    news = [
        {"uuid": a.uuid, "title": a.title, "body": a.body, "published": a.published}
        for a in session.execute(
            select(Announcement).where(Announcement.origin == "local").order_by(Announcement.id)
        ).scalars()
    ]
    records = {
        "faq": sorted(entries, key=lambda e: e["id"]),
        "term_groups": groups,
        "checklist_templates": templates,
        "guide_systems": systems,
        "guides": [g.model_dump(mode="json") for g in guide_list],
        "reward_rules": rules,
        "announcements": news,
        "peer_groups": [
            g.model_dump(mode="json", exclude_none=True)
            for g in shared_groups.export_groups(session)
        ],
    }
    for record_type in sorted(MARKUP_CHECKED):
        for record in records[record_type]:
            _check_before_export(record_type, record)
    return records, pictures


def _check_before_export(record_type: str, record: dict[str, Any]) -> None:
    """Content that schools would refuse (text edited before the allow-list, or brought by an
    older pack) stops the export with what to fix, rather than a pack nobody can import."""
    found = record_problems(record)
    if found:
        loc, line, message = found[0]
        name = record.get("title") or record.get("name") or record.get("id") or ""
        raise UserFileError(
            f"{TYPE_LABELS[record_type]}「{name}」的「{field_label(loc)}」第 {line} 行不符合內容"
            f"格式：{message}。學校會拒絕這樣的內容包，請先修改後再匯出；內容包未匯出。"
        )


# -- plan and apply --------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentChange:
    record_type: str
    key: str
    label: str
    action: str  # "add", "update", "remove"


def plan(session: Session, records: ContentRecords) -> list[ContentChange]:
    changes: list[ContentChange] = []

    def note(kind: str, key: str, title: str, action: str) -> None:
        changes.append(ContentChange(kind, key, f"{TYPE_LABELS[kind]}：{title}", action))

    wanted = {e.id for e in records.faq}
    for data in records.faq:
        current = faq.published(session, data.id)
        if current is None:
            note("faq", data.id, data.title, "add")
        elif current.as_data().model_dump() != data.model_dump():
            note("faq", data.id, data.title, "update")
    for entry in session.execute(
        select(FaqEntry).where(FaqEntry.origin == ORIGIN_PACK, FaqEntry.deleted.is_(False))
    ).scalars():
        if entry.id not in wanted:
            note("faq", entry.id, entry.id, "remove")
    for template in records.checklist_templates:
        row = session.get(ChecklistTemplateRow, template.id)
        template_json = template.model_dump(mode="json")
        if row is None or row.deleted or row.data != template_json:
            note(
                "checklist_templates",
                template.id,
                template.title,
                "add" if row is None else "update",
            )
    for guide in records.guides:
        grow = session.get(GuideRow, guide.id)
        if grow is None or grow.deleted or grow.data != guide.model_dump(mode="json"):
            note("guides", guide.id, guide.title, "add" if grow is None else "update")
    for rules in records.reward_rules:
        if session.get(RewardRuleSet, rules.version) is None:
            since = f"，{roc_date(rules.effective)}起適用" if rules.effective else ""
            note("reward_rules", str(rules.version), f"第 {rules.version} 版{since}", "add")
    for news in records.announcements:
        exists = session.execute(
            select(Announcement.id).where(Announcement.uuid == news.uuid)
        ).first()
        if exists is None:
            note("announcements", news.uuid, news.title, "add")
    if records.has_peer_groups:
        for change in shared_groups.plan_groups(session, records.peer_groups):
            note("peer_groups", change.uuid, change.name, change.action)
    return changes


def apply(session: Session, records: ContentRecords) -> None:
    """Install ``records`` (inside the caller's transaction). A local draft of an entry stays a
    draft beside the county's new published answer."""
    wanted = {e.id for e in records.faq}
    for entry_data in records.faq:
        current = faq.published(session, entry_data.id)
        if current is not None and current.as_data().model_dump() == entry_data.model_dump():
            continue
        entry = session.get(FaqEntry, entry_data.id)
        keep_draft = entry.draft_version if entry is not None else None
        faq.add_version(session, entry_data, publish=True, origin=ORIGIN_PACK, author="縣市內容包")
        if keep_draft is not None:
            entry = session.get(FaqEntry, entry_data.id)
            assert entry is not None
            entry.draft_version = keep_draft
    for entry in list(
        session.execute(
            select(FaqEntry).where(FaqEntry.origin == ORIGIN_PACK, FaqEntry.deleted.is_(False))
        ).scalars()
    ):
        if entry.id not in wanted:
            faq.remove_entry(session, entry.id)
    replace_term_groups(
        session,
        synonyms=[g.terms for g in records.term_groups if g.kind == "synonym"],
        stopwords=[t for g in records.term_groups if g.kind == "stopword" for t in g.terms],
        origin=ORIGIN_PACK,
    )
    checklists.install_templates(session, records.checklist_templates, ORIGIN_PACK)
    guides.install_guides(session, records.guide_systems, records.guides, ORIGIN_PACK)
    for rules in records.reward_rules:
        rewards.install_rules(session, rules, ORIGIN_PACK)
    for news in records.announcements:
        columns = {name: getattr(news, name) for name in _ANNOUNCEMENT_COLUMNS}
        row = Announcement(**columns, origin=ORIGIN_PACK)
        add_unless_present(session, row, Announcement.uuid == news.uuid)
    if records.has_peer_groups:
        shared_groups.install_groups(session, records.peer_groups)


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
