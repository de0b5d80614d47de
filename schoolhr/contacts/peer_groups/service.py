"""安心培力小群組 in the database: build and save, list, adjust by hand, print the roster.

The builder itself (``schoolhr.contacts.peer_groups.builder``) knows nothing of the database. Here a
rebuild keeps every group that has locked members (the county fixed them): its locked members
stay, everyone else (unlocked members of all groups, and people in no group) is grouped again.
Groups without locked members are replaced. The functions take a ``Session`` and leave the
commit to the caller (``store.write()``).

The roster prints the office phone and e-mail only of people who recorded their consent
(a consent date); the others appear with their name and school only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schoolhr.contacts.models import Contact, ExportAudit, PeerGroup, PeerGroupMember
from schoolhr.contacts.peer_groups.builder import GroupingResult, Member, build_groups, explain
from schoolhr.contacts.records import FULL_TIME_ROLES
from schoolhr.errors import UserError
from schoolhr.reports.pdf import FormDocument, FormRow, FormSection
from schoolhr.reports.xlsx import Sheet, write_xlsx
from schoolhr.store.models import record_operation
from schoolhr.store.roles import actor, this_site

if TYPE_CHECKING:
    from schoolhr.progress import Progress
    from schoolhr.store.database import Store

SEED_TEACHER_ROLE = "種籽教師"
ROSTER_TITLE = "安心培力小群組名冊"
ROSTER_FIELDS = ["name", "school", "region", "role", "office_phone", "email"]
MAX_NAME = 100
_NUMBERED = re.compile(r"^第\s*(\d+)\s*組$")


class GroupMemberView(NamedTuple):
    contact_id: int
    name: str
    school: str
    region: str
    role: str
    years: int | None
    locked: bool
    office_phone: str = ""  # as stored; the roster shows it only when ``consented``
    email: str = ""
    consented: bool = False  # a consent date is recorded

    def as_dict(self, *, in_group: bool = True) -> dict[str, object]:
        """What ``schoolhr contacts groups build --json`` prints for the person: a member of a
        group says whether they are locked in it; someone in no group has no lock to show."""
        found: dict[str, object] = {"id": self.contact_id, "name": self.name}
        if in_group:
            found["locked"] = self.locked
        return found


class GroupView(NamedTuple):
    id: int
    name: str
    explanation: str
    members: list[GroupMemberView]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "explanation": self.explanation,
            "members": [member.as_dict() for member in self.members],
        }


def member_from_contact(contact: Contact) -> Member:
    return Member(
        id=contact.id,
        name=contact.name,
        region=contact.region or "",
        full_time=contact.role in FULL_TIME_ROLES,
        years=contact.years,
        seed_teacher=contact.role == SEED_TEACHER_ROLE,
        duties=frozenset(contact.duties or ()),
    )


def build_and_save(
    session: Session, min_size: int = 7, max_size: int = 9, seed: int = 0
) -> GroupingResult:
    """Regroup everyone (deleted contacts leave their groups) and save the groups.

    Kept groups (with locked members) keep their id and name; new groups are named 「第 n 組」
    with the lowest numbers no kept group uses. Raises ``UserError`` for bounds that make no
    sense.
    """
    if min_size < 1 or max_size < min_size:
        raise UserError(
            f"每組人數範圍 {min_size} 到 {max_size} 不合理：下限至少 1，且不可大於上限。"
        )
    contacts = list(
        session.scalars(select(Contact).where(Contact.deleted.is_(False)).order_by(Contact.id))
    )
    live = {c.id for c in contacts}
    locked_by_group: dict[int, list[int]] = {}
    for row in session.scalars(select(PeerGroupMember).order_by(PeerGroupMember.id)):
        if row.locked and row.contact_id in live:
            locked_by_group.setdefault(row.group_id, []).append(row.contact_id)
    kept_ids = sorted(locked_by_group)
    result = build_groups(
        [member_from_contact(c) for c in contacts],
        min_size=min_size,
        max_size=max_size,
        seed=seed,
        locked_groups=[locked_by_group[g] for g in kept_ids],
    )
    group_of_locked = {cid: gid for gid in kept_ids for cid in locked_by_group[gid]}

    session.execute(delete(PeerGroupMember))
    kept = {g.id: g for g in session.scalars(select(PeerGroup)) if g.id in locked_by_group}
    session.execute(delete(PeerGroup).where(PeerGroup.id.not_in(list(kept))))
    session.flush()
    names = _new_names(
        [g.name for g in kept.values()], sum(1 for plan in result.groups if not plan.locked)
    )
    for plan in result.groups:
        if plan.locked:
            group = kept[group_of_locked[min(plan.locked)]]
            group.explanation = plan.explanation
        else:
            group = PeerGroup(name=names.pop(0), explanation=plan.explanation)
            session.add(group)
            session.flush()
        for contact_id in plan.members:
            session.add(
                PeerGroupMember(
                    group_id=group.id, contact_id=contact_id, locked=contact_id in plan.locked
                )
            )
    session.flush()
    return result


def list_groups(session: Session) -> list[GroupView]:
    """Every group with its members, groups in name order (「第 2 組」 before 「第 10 組」),
    members by region, school and name."""
    members: dict[int, list[GroupMemberView]] = {}
    rows = session.execute(
        select(PeerGroupMember, Contact).join(Contact, Contact.id == PeerGroupMember.contact_id)
    )
    for row, contact in rows:
        members.setdefault(row.group_id, []).append(_member_view(contact, row.locked))
    groups = [
        GroupView(
            id=g.id,
            name=g.name,
            explanation=g.explanation,
            members=sorted(members.get(g.id, []), key=_member_order),
        )
        for g in session.scalars(select(PeerGroup))
    ]
    return sorted(groups, key=lambda g: (*_name_order(g.name), g.id))


def list_unassigned(session: Session) -> list[GroupMemberView]:
    """People (not deleted) who are in no group."""
    grouped = select(PeerGroupMember.contact_id)
    contacts = session.scalars(
        select(Contact).where(Contact.deleted.is_(False), Contact.id.not_in(grouped))
    )
    return sorted((_member_view(c, False) for c in contacts), key=_member_order)


def move_member(session: Session, contact_id: int, group_id: int | None) -> None:
    """Put a person in a group (``None``: in no group). A locked person stays locked. Both
    groups' explanations are brought up to date."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.deleted:
        raise UserError(f"找不到編號 {contact_id} 的聯絡人，可能已被刪除。")
    if group_id is not None and session.get(PeerGroup, group_id) is None:
        raise UserError(f"找不到編號 {group_id} 的小群組，請重新整理後再試。")
    row = _membership(session, contact_id)
    old_group = row.group_id if row else None
    if old_group == group_id:
        return
    if row is not None and group_id is None:
        session.delete(row)
    elif row is not None and group_id is not None:
        row.group_id = group_id
    elif group_id is not None:
        session.add(PeerGroupMember(group_id=group_id, contact_id=contact_id, locked=False))
    session.flush()
    for changed in (old_group, group_id):
        if changed is not None:
            refresh_explanation(session, changed)


def set_locked(session: Session, contact_id: int, locked: bool) -> None:
    """Lock a person in their group (kept there when groups are built again) or unlock."""
    row = _membership(session, contact_id)
    if row is None:
        raise UserError("這位聯絡人尚未分組，無法固定；請先把他放進一個小群組。")
    row.locked = locked
    session.flush()
    refresh_explanation(session, row.group_id)


def rename_group(session: Session, group_id: int, name: str) -> None:
    group = session.get(PeerGroup, group_id)
    if group is None:
        raise UserError(f"找不到編號 {group_id} 的小群組，請重新整理後再試。")
    name = " ".join(name.split())
    if not name:
        raise UserError("小群組名稱不可空白。")
    if len(name) > MAX_NAME:
        raise UserError(f"小群組名稱太長（最多 {MAX_NAME} 個字）。")
    clash = session.scalar(
        select(PeerGroup).where(PeerGroup.name == name, PeerGroup.id != group_id)
    )
    if clash is not None:
        raise UserError(f"已經有名為「{name}」的小群組，請換一個名稱。")
    group.name = name


def delete_group(session: Session, group_id: int) -> None:
    """Remove a group; its members become ungrouped."""
    group = session.get(PeerGroup, group_id)
    if group is None:
        raise UserError(f"找不到編號 {group_id} 的小群組，請重新整理後再試。")
    session.execute(delete(PeerGroupMember).where(PeerGroupMember.group_id == group_id))
    session.delete(group)
    session.flush()


def refresh_explanation(session: Session, group_id: int) -> None:
    """Recompute a group's explanation from its current members."""
    group = session.get(PeerGroup, group_id)
    if group is None:
        return
    rows = session.execute(
        select(PeerGroupMember, Contact)
        .join(Contact, Contact.id == PeerGroupMember.contact_id)
        .where(PeerGroupMember.group_id == group_id)
        .order_by(Contact.id)
    ).all()
    group.explanation = explain(
        (member_from_contact(contact) for _, contact in rows),
        locked=sum(1 for row, _ in rows if row.locked),
    )


# ---------------------------------------------------------------------------------------------
# the roster


def roster_document(groups: Sequence[GroupView], site_name: str, today: date) -> FormDocument:
    """The printable roster: one section per group (name, school, region, role, and the office
    phone and e-mail of those who consented; the others show name and school only)."""
    sections = []
    for group in groups:
        rows = [FormRow(label=m.name, value=m.school, note=_roster_note(m)) for m in group.members]
        title = f"{group.name}（{len(group.members)} 人）"
        if group.explanation:
            title += f"：{group.explanation}"
        sections.append(
            FormSection(
                title=title, rows=rows, columns=("姓名", "服務學校", "區域、職務、聯絡方式")
            )
        )
    people = sum(len(g.members) for g in groups)
    return FormDocument(
        title=ROSTER_TITLE,
        site_name=site_name,
        printed_on=today,
        sections=sections,
        subtitle=f"共 {len(groups)} 組、{people} 人",
        intro=(
            "依地緣區域、相似業務、年資歷練及專兼任混搭分組，透過 LINE 及視訊相互學習。"
            "僅列出已同意分享者的區域、職務與聯絡方式；未同意者只列姓名與服務學校。"
        ),
        signatures=(),
    )


def write_groups_xlsx(path: str | os.PathLike[str], groups: Sequence[GroupView]) -> None:
    """One sheet, a row per member with the group name; phone and e-mail only with consent."""
    headers = [
        "組別",
        "姓名",
        "服務學校",
        "區域",
        "職務",
        "人事年資",
        "公務電話",
        "電子郵件",
        "固定成員",
    ]
    rows = [
        [
            group.name,
            m.name,
            m.school,
            m.region if m.consented else "",
            m.role if m.consented else "",
            m.years if m.consented else None,
            m.office_phone if m.consented else "",
            m.email if m.consented else "",
            "是" if m.locked else "",
        ]
        for group in groups
        for m in group.members
    ]
    write_xlsx(path, [Sheet(title=ROSTER_TITLE, headers=headers, rows=rows)], private=True)


def record_roster_export(
    session: Session, groups: Sequence[GroupView], path: Path, who: str
) -> None:
    """The export audit row (個人資料保護法) for a roster written to ``path``."""
    members = [m for g in groups for m in g.members]
    session.add(
        ExportAudit(
            who=who,
            fields=list(ROSTER_FIELDS),
            count=len(members),
            without_consent=sum(1 for m in members if not m.consented),
            purpose=ROSTER_TITLE,
            file_format=path.suffix.lower().lstrip("."),
            file_name=path.name,
        )
    )


# ---------------------------------------------------------------------------------------------


def _roster_note(member: GroupMemberView) -> str:
    if not member.consented:
        return ""
    parts = [member.region, member.role, member.office_phone, member.email]
    return "　".join(part for part in parts if part)


# The member's columns that are the contact's own, under the same names.
_CONTACT_COLUMNS = ("name", "school", "region", "role", "years", "office_phone", "email")


def _member_view(contact: Contact, locked: bool) -> GroupMemberView:
    columns = {name: getattr(contact, name) for name in _CONTACT_COLUMNS}
    consented = contact.consent_date is not None
    return GroupMemberView(contact_id=contact.id, locked=locked, consented=consented, **columns)


def _member_order(member: GroupMemberView) -> tuple[str, str, str, int]:
    return (member.region, member.school, member.name, member.contact_id)


def _name_order(name: str) -> tuple[int, int, str]:
    match = _NUMBERED.match(name)
    return (0, int(match.group(1)), "") if match else (1, 0, name)


def _membership(session: Session, contact_id: int) -> PeerGroupMember | None:
    return session.scalar(select(PeerGroupMember).where(PeerGroupMember.contact_id == contact_id))


def _new_names(kept: Sequence[str], count: int) -> list[str]:
    used = {int(m.group(1)) for m in map(_NUMBERED.match, kept) if m}
    used_names = set(kept)
    names: list[str] = []
    number = 1
    while len(names) < count:
        name = f"第 {number} 組"
        if number not in used and name not in used_names:
            names.append(name)
        number += 1
    return names


# -- user actions: what the window and the command line both call ------------------------------


class RosterExport(NamedTuple):
    path: Path
    groups: int
    people: int
    pages: int  # 0 for a workbook


def regroup(
    store: Store,
    min_size: int = 7,
    max_size: int = 9,
    seed: int = 0,
    progress: Progress | None = None,
) -> GroupingResult:
    """「自動分組」: a backup first (everyone not locked moves), then the new groups, logged
    with who did it."""
    store.backup("pre-regroup", progress)
    with store.write() as session:
        result = build_and_save(session, min_size, max_size, seed)
        count = session.execute(select(PeerGroup.id)).all()
        record_operation(
            session, "peer-groups", f"小群組重新分組：{len(count)} 組（{actor(session)}）"
        )
    return result


def export_roster(store: Store, path: Path, today: date | None = None) -> RosterExport:
    """The peer-group roster as PDF or xlsx, with the personal-data audit row and a log line,
    both naming the same actor."""
    from schoolhr.errors import UserFileError
    from schoolhr.reports.pdf import render_form

    kind = path.suffix.lower()
    if kind not in (".pdf", ".xlsx"):
        raise UserFileError(f"名冊只能存成 .pdf 或 .xlsx，「{path.name}」不是這兩種。")
    if not path.parent.exists():
        raise UserFileError(f"資料夾「{path.parent}」不存在；請確認輸出路徑。")
    with store.read() as session:
        views = list_groups(session)
        site_name = this_site(session).name
    if not views:
        raise UserError("還沒有小群組；請先按「自動分組」（schoolhr contacts groups build）。")
    pages = 0
    if kind == ".pdf":
        document = roster_document(views, site_name, today or date.today())
        pages = render_form(document, path, private=True).pages
    else:
        write_groups_xlsx(path, views)
    people = sum(len(v.members) for v in views)
    with store.write() as session:
        who = actor(session)
        record_roster_export(session, views, path, who)
        record_operation(
            session,
            "roster-export",
            f"匯出小群組名冊「{path.name}」：{len(views)} 組 {people} 人（{who}）",
        )
    return RosterExport(path, len(views), people, pages)
