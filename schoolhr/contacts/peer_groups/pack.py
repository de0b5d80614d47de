"""Peer groups the county publishes in its content pack (安心培力小群組名冊).

The county forms the groups; each school receives the whole list so that its clerk can reach
the others in the group. What travels is what the printed roster shows: a member's name and
school always; region, role, years, office phone and e-mail only when that person's consent is
recorded (mobile numbers, LINE ids and notes never travel). At the school:

- the pack's groups replace the groups an earlier pack brought (groups built locally stay);
- a member this school does not know is added as a contact with the origin it came with;
- a contact created by this school is never changed by a pack; one that came from elsewhere
  is updated when the pack's copy is newer;
- a member is in one group only: the pack's membership wins over a local group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schoolhr.contacts.models import Contact, ExportAudit, PeerGroup, PeerGroupMember
from schoolhr.isotime import Day, Stamp
from schoolhr.store.models import Site

ORIGIN_PACK = "pack"
SHARED_FIELDS = ("name", "school", "region", "role", "years", "office_phone", "email")
AUDIT_PURPOSE = "縣市內容包：安心培力小群組名冊"

_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


class PeerMemberData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uuid: str = Field(pattern=_UUID)
    name: str = Field(min_length=1, max_length=50)
    school: str = Field(max_length=200)
    region: str = Field(default="", max_length=200)
    role: str = Field(default="", max_length=20)
    duties: list[str] = Field(default_factory=list, max_length=20)
    years: int | None = Field(default=None, ge=0, le=60)
    office_phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    consent_date: Day | None = None
    origin: str = Field(default="", max_length=36)
    updated_at: Stamp  # ISO 8601 in 1900-2999: the store converts it to UTC


class PeerGroupData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uuid: str = Field(pattern=_UUID)
    name: str = Field(min_length=1, max_length=100)
    explanation: str = Field(default="", max_length=5000)
    members: list[PeerMemberData] = Field(max_length=50)


def _member_data(contact: Contact) -> PeerMemberData:
    consented = contact.consent_date is not None
    return PeerMemberData(
        uuid=contact.uuid,
        name=contact.name,
        school=contact.school,
        region=contact.region if consented else "",
        role=contact.role if consented else "",
        duties=list(contact.duties) if consented else [],
        years=contact.years if consented else None,
        office_phone=contact.office_phone if consented else "",
        email=contact.email if consented else "",
        consent_date=contact.consent_date,
        origin=contact.origin,
        updated_at=contact.updated_at,
    )


def export_groups(session: Session) -> list[PeerGroupData]:
    """Every group with its (not deleted) members, as the pack carries them."""
    members: dict[int, list[PeerMemberData]] = {}
    rows = session.execute(
        select(PeerGroupMember.group_id, Contact)
        .join(Contact, Contact.id == PeerGroupMember.contact_id)
        .where(Contact.deleted.is_(False))
        .order_by(Contact.uuid)
    )
    for group_id, contact in rows:
        members.setdefault(group_id, []).append(_member_data(contact))
    return [
        PeerGroupData(
            uuid=g.uuid, name=g.name, explanation=g.explanation, members=members.get(g.id, [])
        )
        for g in session.scalars(select(PeerGroup).order_by(PeerGroup.uuid))
    ]


def record_pack_export(
    session: Session, groups: Sequence[dict[str, Any]], path: Path, who: str
) -> None:
    """The export audit row (個人資料保護法) for the roster carried in a content pack
    (``groups`` as written to the pack)."""
    members = [m for g in groups for m in g["members"]]
    if not members:
        return
    session.add(
        ExportAudit(
            who=who,
            fields=list(SHARED_FIELDS),
            count=len(members),
            without_consent=sum(1 for m in members if m.get("consent_date") is None),
            purpose=AUDIT_PURPOSE,
            file_format="pack",
            file_name=path.name,
        )
    )


@dataclass(frozen=True)
class GroupChange:
    uuid: str
    name: str
    action: str  # "add", "update", "remove"


def _current(session: Session) -> dict[str, tuple[PeerGroup, set[str]]]:
    out: dict[str, tuple[PeerGroup, set[str]]] = {}
    for group in session.scalars(select(PeerGroup).where(PeerGroup.origin == ORIGIN_PACK)):
        uuids = set(
            session.scalars(
                select(Contact.uuid)
                .join(PeerGroupMember, PeerGroupMember.contact_id == Contact.id)
                .where(PeerGroupMember.group_id == group.id)
            )
        )
        out[group.uuid] = (group, uuids)
    return out


def plan_groups(session: Session, groups: Sequence[PeerGroupData]) -> list[GroupChange]:
    """What installing ``groups`` would change (reads only)."""
    current = _current(session)
    changes: list[GroupChange] = []
    for data in groups:
        existing = current.get(data.uuid)
        if existing is None:
            changes.append(GroupChange(data.uuid, data.name, "add"))
            continue
        group, uuids = existing
        if (group.name, group.explanation, uuids) != (
            data.name,
            data.explanation,
            {m.uuid for m in data.members},
        ):
            changes.append(GroupChange(data.uuid, data.name, "update"))
    wanted = {g.uuid for g in groups}
    changes.extend(
        GroupChange(uuid, group.name, "remove")
        for uuid, (group, _members) in sorted(current.items())
        if uuid not in wanted
    )
    return changes


def _upsert_member(session: Session, data: PeerMemberData, here: str) -> Contact:
    contact = session.scalar(select(Contact).where(Contact.uuid == data.uuid))
    values = data.model_dump(include={*SHARED_FIELDS, "duties", "consent_date", "updated_at"})
    if contact is None:
        contact = Contact(uuid=data.uuid, origin=data.origin, **values)
        if data.consent_date is not None:
            contact.consent_scope = AUDIT_PURPOSE
        session.add(contact)
        session.flush()
    elif contact.origin != here and data.updated_at > contact.updated_at:
        for name, value in values.items():
            setattr(contact, name, value)
        contact.deleted = False
    return contact


def install_groups(session: Session, groups: Sequence[PeerGroupData]) -> None:
    """Replace the groups an earlier pack brought with ``groups`` (in the caller's
    transaction)."""
    here = session.scalar(select(Site.site_uuid).where(Site.id == 1)) or ""
    current = _current(session)
    wanted = {g.uuid for g in groups}
    pack_group_ids = [group.id for group, _members in current.values()]
    if pack_group_ids:
        session.execute(delete(PeerGroupMember).where(PeerGroupMember.group_id.in_(pack_group_ids)))
    for uuid, (group, _members) in current.items():
        if uuid not in wanted:
            session.delete(group)
    session.flush()
    for data in groups:
        existing = current.get(data.uuid)
        if existing is not None:
            group = existing[0]
        else:
            group = PeerGroup(uuid=data.uuid, origin=ORIGIN_PACK)
            session.add(group)
        group.name, group.explanation = data.name, data.explanation
        session.flush()
        for member in data.members:
            contact = _upsert_member(session, member, here)
            session.execute(delete(PeerGroupMember).where(PeerGroupMember.contact_id == contact.id))
            session.add(PeerGroupMember(group_id=group.id, contact_id=contact.id, locked=True))
        session.flush()
