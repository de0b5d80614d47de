"""Reward points: record claims, let the county decide them, correct by reversal, and turn a
year's approved points into award proposals.

Everything takes a ``Session`` (the caller owns the transaction: ``store.write()`` for changes,
``store.read()`` for views), so the window and the command line share the same rules. Every
check runs before anything is added, so a refused change writes nothing. People are contacts
(``schoolhr.contacts``): ``contact_id`` is the person.

- ``add_entry`` records a claim (``claimed``) with the points of the current rules' kind (or
  given ones, within limits) and the rule version they came from.
- ``approve`` / ``reject`` decide claims in bulk with one reason; deciding an entry the same way
  twice changes nothing, deciding it the other way is refused (a correction is a reversal).
- ``reverse`` adds an entry with the opposite points that names the one it undoes.
- ``balance`` is the sum of a person's approved points, computed every time.
- ``proposals`` applies the current rules to a year's approved points: the yearly cap of each
  kind, the seniority multiplier (years of part-time service = the contact's 人事年資), then the
  highest threshold met; the county's adjustment, with its reason, overrides the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from schoolhr.contacts.models import Contact
from schoolhr.errors import UserError, UserFileError
from schoolhr.json_fields import json_fields
from schoolhr.paths import DataPaths
from schoolhr.rewards.models import (
    APPROVED,
    CLAIMED,
    REJECTED,
    STATUS_LABELS,
    ProposalAdjustment,
    RewardEntry,
    RewardRuleSet,
)
from schoolhr.rewards.schema import (
    AWARDS,
    MAX_POINTS,
    NO_AWARD,
    RuleSet,
    SeedTeacherAward,
    seed_teacher_award,
)
from schoolhr.store.base import utcnow
from schoolhr.store.models import record_operation
from schoolhr.store.roles import actor, require_county
from schoolhr.text import roc_date

if TYPE_CHECKING:
    from schoolhr.store.database import Store

log = logging.getLogger(__name__)

__all__ = [
    "APPROVED",
    "CLAIMED",
    "REJECTED",
    "STATUS_LABELS",
    "Adjustment",
    "DecisionResult",
    "EntryView",
    "HistoryLine",
    "PersonYear",
    "Proposal",
    "SeedTeacherAward",
    "YearSummary",
    "add_entry",
    "adjust_proposal",
    "approve",
    "attach_evidence",
    "balance",
    "claim",
    "current_rules",
    "decide_claims",
    "get_entry",
    "history",
    "install_rules",
    "list_entries",
    "points_text",
    "proposal_of",
    "proposals",
    "reason_text",
    "reject",
    "reverse",
    "reverse_entry",
    "rule_set",
    "seed_teacher_award",
    "seed_teacher_proposal",
    "set_proposal",
    "year_summary",
]

MAX_TEXT = 1000
EARLIEST = date(2000, 1, 1)
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class EntryView:
    id: int
    uuid: str
    contact_id: int
    name: str
    school: str
    date: dt.date
    kind: str
    points: int
    rule_version: int
    reason: str
    evidence: str
    recorded_by: str
    status: str
    decision_reason: str
    decision_date: dt.date | None
    decided_by: str
    reverses: str | None  # the uuid of the entry this one reverses
    created_at: datetime
    # The fields above are _VIEW_COLUMNS, in its order; _views works these two out.
    kind_label: str
    reversed_by: str | None  # the uuid of the (not rejected) entry that reverses this one

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict[str, object]:
        """What ``schoolhr rewards add --json`` prints for the entry."""
        return json_fields(
            self,
            *("id", "uuid", "contact_id", "name", "school", "date", "kind", "points"),
            *("rule_version", "status", "reason", "reverses"),
        )


@dataclass(frozen=True)
class HistoryLine:
    entry: EntryView
    running_total: int  # the approved balance after this entry


@dataclass(frozen=True)
class DecisionResult:
    changed: list[int]
    unchanged: list[int]  # already decided that way: nothing written

    def summary(self, verb: str) -> str:
        text = f"{verb} {len(self.changed)} 筆"
        return text + (f"；{len(self.unchanged)} 筆原已{verb}，未變更" if self.unchanged else "")


@dataclass
class PersonYear:
    contact_id: int
    name: str
    school: str
    approved: int = 0
    claimed: int = 0  # points still waiting for the county
    rejected: int = 0  # number of rejected entries
    by_kind: dict[str, int] = field(default_factory=dict)  # approved points

    def as_dict(self) -> dict[str, object]:
        return json_fields(self, "contact_id", "name", "school", "approved", "claimed", "rejected")


@dataclass
class YearSummary:
    year: int
    rule_version: int
    note: str
    people: list[PersonYear]
    by_school: dict[str, int]  # approved points
    by_kind: dict[str, int]  # approved points, by kind label
    entries: int
    approved_total: int
    claimed_total: int

    def as_dict(self) -> dict[str, object]:
        """What ``schoolhr rewards summary --json`` prints (with the year's proposals)."""
        return {
            **json_fields(
                self,
                *("year", "rule_version", "note", "entries", "approved_total", "claimed_total"),
                *("by_school", "by_kind"),
            ),
            "people": [person.as_dict() for person in self.people],
        }


@dataclass(frozen=True)
class Adjustment:
    proposal: str
    reason: str
    adjusted_by: str
    created_at: datetime


@dataclass
class Proposal:
    contact_id: int
    name: str
    school: str
    years: int | None
    approved_points: int
    counted_points: int  # after each kind's yearly cap
    multiplier: Decimal
    band: str  # the seniority band applied, "" when none
    weighted: Decimal
    computed: str | None  # from the thresholds
    rule_version: int
    entries: list[EntryView]  # the approved entries of the year it rests on
    adjustment: Adjustment | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def final(self) -> str | None:
        """The proposal in force: the county's adjustment if any (None for 不予敘獎)."""
        if self.adjustment is None:
            return self.computed
        return None if self.adjustment.proposal == NO_AWARD else self.adjustment.proposal

    def as_dict(self) -> dict[str, object]:
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "school": self.school,
            "approved_points": self.approved_points,
            "counted_points": self.counted_points,
            "multiplier": points_text(self.multiplier),
            "weighted": points_text(self.weighted),
            "computed": self.computed,
            "adjusted": self.adjustment.proposal if self.adjustment else None,
            "adjustment_reason": self.adjustment.reason if self.adjustment else None,
            "final": self.final,
            "entries": [e.id for e in self.entries],
            "notes": self.notes,
        }


# ---------------------------------------------------------------------------------------------
# rules


def install_rules(session: Session, rules: RuleSet, origin: str = "bundled") -> bool:
    """Store ``rules`` under its version; True when added. A version already installed is never
    replaced (entries computed with it must keep meaning what they meant): a changed file with
    the same version is logged and ignored; the county raises the version instead."""
    data = rules.model_dump(mode="json")
    row = session.get(RewardRuleSet, rules.version)
    if row is None:
        session.add(RewardRuleSet(version=rules.version, data=data, origin=origin))
        session.flush()
        return True
    if row.data != data:
        log.warning("reward rules version %s changed without a new version: kept", rules.version)
    return False


def rule_set(session: Session, version: int) -> RuleSet:
    row = session.get(RewardRuleSet, version)
    if row is None:
        raise UserError(f"找不到第 {version} 版的積點規則。")
    return RuleSet.model_validate(row.data)


def installed_rule_set(session: Session, version: int) -> RuleSet | None:
    """The rule set of ``version`` if this site has it."""
    row = session.get(RewardRuleSet, version)
    return RuleSet.model_validate(row.data) if row is not None else None


def current_rules(session: Session) -> RuleSet:
    """The newest rule set installed."""
    version = session.execute(select(func.max(RewardRuleSet.version))).scalar_one_or_none()
    if version is None:
        raise UserError("尚未安裝獎勵積點規則；請更新內建內容或匯入縣市人事處的內容包。")
    return rule_set(session, version)


# ---------------------------------------------------------------------------------------------
# the ledger


def _text(value: str, label: str, *, required: bool = True) -> str:
    cleaned = " ".join(value.split()) if value else ""
    if required and not cleaned:
        raise UserError(f"請填寫{label}。")
    if len(cleaned) > MAX_TEXT:
        raise UserError(f"{label}最多 {MAX_TEXT} 字（目前 {len(cleaned)} 字）。")
    return cleaned


def _person(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.deleted:
        raise UserError(f"找不到編號 {contact_id} 的人員（聯絡人），可能已被刪除。")
    return contact


def add_entry(
    session: Session,
    contact_id: int,
    kind: str,
    on: date,
    reason: str,
    *,
    points: int | None = None,
    evidence: str = "",
    recorded_by: str = "",
    origin: str = "",
    today: date | None = None,
) -> EntryView:
    """Record a claim of points for a person; UserError (zh-TW) and nothing written when the
    person, kind, date, points or reason is not acceptable."""
    today = today or date.today()
    contact = _person(session, contact_id)
    rules = current_rules(session)
    rule_kind = rules.kind(kind)
    if rule_kind is None:
        known = "、".join(f"{k.id}（{k.label}）" for k in rules.kinds)
        raise UserError(
            f"不認得的積點類別「{kind}」；目前規則（第 {rules.version} 版）可用：{known}"
        )
    if on > today:
        raise UserError(f"日期 {roc_date(on)} 晚於今天；只能登錄已經發生的事。")
    if on < EARLIEST:
        raise UserError(f"日期 {roc_date(on)} 太早（須在 {roc_date(EARLIEST)} 以後）；請確認年份。")
    if points is None:
        points = rule_kind.points
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise UserError("積點須為正整數；要更正已核定的紀錄請用「沖銷」，不要登錄負數或 0。")
    limit = min(MAX_POINTS, rule_kind.cap_per_year or MAX_POINTS)
    if points > limit:
        cap = f"「{rule_kind.label}」每年上限 {rule_kind.cap_per_year} 點，" if limit < 100 else ""
        raise UserError(f"積點 {points} 點不合理：{cap}一筆最多 {limit} 點。")
    entry = RewardEntry(
        contact_id=contact.id,
        date=on,
        kind=kind,
        points=points,
        rule_version=rules.version,
        reason=_text(reason, "事由"),
        evidence=_text(evidence, "佐證", required=False),
        recorded_by=recorded_by[:200],
        status=CLAIMED,
        origin=origin,
    )
    session.add(entry)
    session.flush()
    return get_entry(session, entry.id)


def _decide(
    session: Session,
    entry_ids: Sequence[int],
    status: str,
    reason: str,
    decided_by: str,
    today: date | None,
) -> DecisionResult:
    reason = _text(reason, "核定理由" if status == APPROVED else "退回理由")
    if not entry_ids:
        raise UserError("請先選擇要處理的積點紀錄。")
    entries = []
    for entry_id in dict.fromkeys(entry_ids):
        entry = session.get(RewardEntry, entry_id)
        if entry is None:
            raise UserError(f"找不到編號 {entry_id} 的積點紀錄；沒有任何紀錄被變更。")
        if entry.status not in (CLAIMED, status):
            if status == APPROVED:
                raise UserError(
                    f"紀錄 {entry_id} 已退回，不能再核定；如有需要請重新登錄。沒有任何紀錄被變更。"
                )
            raise UserError(
                f"紀錄 {entry_id} 已核定，不能退回；請以「沖銷」更正。沒有任何紀錄被變更。"
            )
        entries.append(entry)
    changed, unchanged = [], []
    for entry in entries:
        if entry.status == status:
            unchanged.append(entry.id)
            continue
        entry.status = status
        entry.decision_reason = reason
        entry.decision_date = today or date.today()
        entry.decided_by = decided_by[:200]
        changed.append(entry.id)
    session.flush()
    return DecisionResult(changed, unchanged)


def approve(
    session: Session,
    entry_ids: Sequence[int],
    reason: str,
    decided_by: str = "",
    today: date | None = None,
) -> DecisionResult:
    """Approve claims (the county). Already approved ones are left as they are; a rejected
    one refuses the whole batch."""
    return _decide(session, entry_ids, APPROVED, reason, decided_by, today)


def reject(
    session: Session,
    entry_ids: Sequence[int],
    reason: str,
    decided_by: str = "",
    today: date | None = None,
) -> DecisionResult:
    """Reject claims (the county), with the reason the school will read. Already rejected
    ones are left as they are; an approved one refuses the whole batch (reverse it instead)."""
    return _decide(session, entry_ids, REJECTED, reason, decided_by, today)


def reverse(
    session: Session,
    entry_id: int,
    reason: str,
    recorded_by: str = "",
    *,
    approve_now: bool = False,
    origin: str = "",
    today: date | None = None,
) -> EntryView:
    """A correction: a new entry with the opposite points, dated as the original (so it nets
    out in the same year), that names the entry it reverses. It is a claim like any other,
    or approved at once with ``approve_now`` (the county correcting its own decision)."""
    reason = _text(reason, "沖銷理由")
    original = session.get(RewardEntry, entry_id)
    if original is None:
        raise UserError(f"找不到編號 {entry_id} 的積點紀錄。")
    if original.reverses is not None:
        raise UserError(f"紀錄 {entry_id} 本身是沖銷紀錄，不能再沖銷；如需補回請重新登錄。")
    if original.status != APPROVED:
        what = "尚待核定，請由縣市人事處退回" if original.status == CLAIMED else "已退回，不計積點"
        raise UserError(f"紀錄 {entry_id} {what}，不需要沖銷。")
    existing = session.execute(
        select(RewardEntry.id).where(
            RewardEntry.reverses == original.uuid, RewardEntry.status != REJECTED
        )
    ).scalar_one_or_none()
    if existing is not None:
        raise UserError(f"紀錄 {entry_id} 已由紀錄 {existing} 沖銷。")
    correction = RewardEntry(
        contact_id=original.contact_id,
        date=original.date,
        kind=original.kind,
        points=-original.points,
        rule_version=original.rule_version,
        reason=reason,
        recorded_by=recorded_by[:200],
        status=CLAIMED,
        reverses=original.uuid,
        origin=origin,
    )
    if approve_now:
        correction.status = APPROVED
        correction.decision_reason = reason
        correction.decision_date = today or date.today()
        correction.decided_by = recorded_by[:200]
    session.add(correction)
    session.flush()
    return get_entry(session, correction.id)


def balance(session: Session, contact_id: int, year: int | None = None) -> int:
    """The sum of the person's approved points (of one year, if given)."""
    query = select(RewardEntry.points).where(
        RewardEntry.contact_id == contact_id, RewardEntry.status == APPROVED
    )
    if year is not None:
        query = query.where(*_in_year(year))
    # summed here, not with SQL SUM: SQLite stops at 64 bits ("integer overflow")
    return sum(session.execute(query).scalars())


# ---------------------------------------------------------------------------------------------
# views


def _in_year(year: int) -> tuple[ColumnElement[bool], ...]:
    return (RewardEntry.date >= date(year, 1, 1), RewardEntry.date <= date(year, 12, 31))


def _labels(session: Session) -> dict[str, str]:
    from schoolhr.rewards.schema import KNOWN_KINDS

    labels = dict(KNOWN_KINDS)
    for (data,) in session.execute(select(RewardRuleSet.data).order_by(RewardRuleSet.version)):
        labels.update({kind["id"]: kind["label"] for kind in data.get("kinds", [])})
    return labels


_VIEW_COLUMNS = (  # EntryView's fields from the database, in their order
    RewardEntry.id,
    RewardEntry.uuid,
    RewardEntry.contact_id,
    Contact.name,
    Contact.school,
    RewardEntry.date,
    RewardEntry.kind,
    RewardEntry.points,
    RewardEntry.rule_version,
    RewardEntry.reason,
    RewardEntry.evidence,
    RewardEntry.recorded_by,
    RewardEntry.status,
    RewardEntry.decision_reason,
    RewardEntry.decision_date,
    RewardEntry.decided_by,
    RewardEntry.reverses,
    RewardEntry.created_at,
)


def _views(session: Session, where: Iterable[ColumnElement[bool]]) -> list[EntryView]:
    # Columns, not RewardEntry objects: a county's year is tens of thousands of entries, and
    # building (and identity-mapping) an ORM object for each took most of a report's time.
    query = (
        select(*_VIEW_COLUMNS)
        .join(Contact, Contact.id == RewardEntry.contact_id)
        .where(*where)
        .order_by(RewardEntry.date, RewardEntry.created_at, RewardEntry.id)
    )
    reversed_by = dict(
        session.execute(
            select(RewardEntry.reverses, RewardEntry.uuid).where(
                RewardEntry.reverses.is_not(None), RewardEntry.status != REJECTED
            )
        ).all()
    )
    labels = _labels(session)
    # Positional, in the fields' order: keywords cost a tenth of the listing at county scale.
    # (One tuple: mypy takes no arguments after a *row it cannot count.)
    rows: Iterable[Any] = session.execute(query)
    return [
        EntryView(*(*row, labels.get(row.kind, row.kind), reversed_by.get(row.uuid)))
        for row in rows
    ]


def get_entry(session: Session, entry_id: int) -> EntryView:
    found = _views(session, [RewardEntry.id == entry_id])
    if not found:
        raise UserError(f"找不到編號 {entry_id} 的積點紀錄。")
    return found[0]


def list_entries(
    session: Session,
    *,
    year: int | None = None,
    school: str | None = None,
    status: str | None = None,
    contact_id: int | None = None,
) -> list[EntryView]:
    """Entries, oldest first, filtered (a school's clerk passes its own school name)."""
    where: list[ColumnElement[bool]] = []
    if year is not None:
        where += _in_year(year)
    if school is not None:
        where.append(Contact.school == school)
    if status is not None:
        where.append(RewardEntry.status == status)
    if contact_id is not None:
        where.append(RewardEntry.contact_id == contact_id)
    return _views(session, where)


def history(session: Session, contact_id: int) -> list[HistoryLine]:
    """The person's entries, oldest first, with the approved balance after each."""
    _person(session, contact_id)
    total = 0
    lines = []
    for entry in list_entries(session, contact_id=contact_id):
        if entry.status == APPROVED:
            total += entry.points
        lines.append(HistoryLine(entry, total))
    return lines


def year_summary(
    session: Session,
    year: int,
    school: str | None = None,
    *,
    listed: Iterable[EntryView] | None = None,
) -> YearSummary:
    """Per person, per school and per kind points of ``year`` (entries dated in it).
    ``listed``: the year's entries (of ``school``) when the caller has listed them already
    (``list_entries``), so they are not read twice."""
    rules = current_rules(session)
    labels = _labels(session)
    # One row per entry, added up here: SQL SUM would stop the whole county's summary with
    # "integer overflow" if a value beyond 64 bits' reach were ever in the ledger.
    rows: Iterable[tuple[int, str, str, str, str, int]]
    if listed is not None:
        rows = ((e.contact_id, e.name, e.school, e.kind, e.status, e.points) for e in listed)
    else:
        query = (
            select(
                RewardEntry.contact_id,
                Contact.name,
                Contact.school,
                RewardEntry.kind,
                RewardEntry.status,
                RewardEntry.points,
            )
            .join(Contact, Contact.id == RewardEntry.contact_id)
            .where(*_in_year(year))
        )
        if school is not None:
            query = query.where(Contact.school == school)
        rows = session.execute(query)
    groups: dict[tuple[int, str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for contact_id, name, school_name, kind, status, points in rows:
        group = groups[(contact_id, name, school_name, kind, status)]
        group[0] += points
        group[1] += 1
    people: dict[int, PersonYear] = {}
    by_school: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    entries = approved_total = claimed_total = 0
    ordered_groups = sorted(groups.items(), key=lambda item: (item[0][0], item[0][3], item[0][4]))
    for (contact_id, name, school_name, kind, status), (points, count) in ordered_groups:
        person = people.setdefault(contact_id, PersonYear(contact_id, name, school_name))
        entries += count
        if status == APPROVED:
            person.approved += points
            label = labels.get(kind, kind)
            person.by_kind[label] = person.by_kind.get(label, 0) + points
            by_school[school_name] += points
            by_kind[label] += points
            approved_total += points
        elif status == CLAIMED:
            person.claimed += points
            claimed_total += points
        else:
            person.rejected += count
    ordered = sorted(people.values(), key=lambda p: (p.school, p.name, p.contact_id))
    return YearSummary(
        year=year,
        rule_version=rules.version,
        note=rules.note,
        people=ordered,
        by_school=dict(sorted(by_school.items())),
        by_kind=dict(sorted(by_kind.items(), key=lambda item: -item[1])),
        entries=entries,
        approved_total=approved_total,
        claimed_total=claimed_total,
    )


def _adjustments(session: Session, year: int) -> dict[int, Adjustment]:
    rows = session.execute(
        select(ProposalAdjustment)
        .where(ProposalAdjustment.year == year)
        .order_by(ProposalAdjustment.created_at, ProposalAdjustment.id)
    ).scalars()
    return {
        row.contact_id: Adjustment(row.proposal, row.reason, row.adjusted_by, row.created_at)
        for row in rows
    }


def proposals(
    session: Session,
    year: int,
    school: str | None = None,
    rules: RuleSet | None = None,
    *,
    listed: Iterable[EntryView] | None = None,
) -> list[Proposal]:
    """Each person with approved points (or an adjustment) in ``year``: points, cap, seniority
    multiplier, the proposal the thresholds give, the entries it rests on and the county's
    adjustment. Uses the current rules unless ``rules`` is given. ``listed``: the year's
    entries (of ``school``) when the caller has listed them already (``list_entries``, any
    status, in its order), so they are not listed twice."""
    rules = rules or current_rules(session)
    if listed is None:
        entries = list_entries(session, year=year, school=school, status=APPROVED)
    else:
        entries = [entry for entry in listed if entry.status == APPROVED]
    adjustments = _adjustments(session, year)
    by_person: dict[int, list[EntryView]] = defaultdict(list)
    for entry in entries:
        by_person[entry.contact_id].append(entry)
    wanted = set(by_person) | set(adjustments)
    # the columns used, not Contact objects (a county's year names a thousand people)
    people = select(Contact.id, Contact.name, Contact.school, Contact.years)
    contacts = {c.id: c for c in session.execute(people.where(Contact.id.in_(wanted)))}
    result = []
    for contact_id in wanted:
        contact = contacts[contact_id]
        if school is not None and contact.school != school:
            continue
        own = by_person.get(contact_id, [])
        per_kind: dict[str, int] = defaultdict(int)
        for entry in own:
            per_kind[entry.kind] += entry.points
        notes = []
        counted = 0
        for kind, points in per_kind.items():
            rule_kind = rules.kind(kind)
            cap = rule_kind.cap_per_year if rule_kind else None
            kept = max(0, min(points, cap) if cap is not None else points)
            if kept < points:
                notes.append(f"{rules.label_of(kind)} {points} 點超過每年上限，以 {cap} 點計")
            counted += kept
        multiplier, band = rules.multiplier_for(contact.years)
        if band is None:
            notes.append(
                "未填兼任人事年資，加成以 1 倍計"
                if contact.years is None
                else f"年資 {contact.years} 年不在任何級距，加成以 1 倍計"
            )
        with localcontext(prec=80):  # exact for any sum of 64-bit points
            weighted = (Decimal(counted) * multiplier).quantize(Decimal("0.01"))
        result.append(
            Proposal(
                contact_id=contact_id,
                name=contact.name,
                school=contact.school,
                years=contact.years,
                approved_points=sum(per_kind.values()),
                counted_points=counted,
                multiplier=multiplier,
                band=band.describe() if band else "",
                weighted=weighted,
                computed=rules.proposal_for(weighted),
                rule_version=rules.version,
                entries=own,
                adjustment=adjustments.get(contact_id),
                notes=notes,
            )
        )
    result.sort(key=lambda p: (p.school, p.name, p.contact_id))
    return result


def adjust_proposal(
    session: Session,
    year: int,
    contact_id: int,
    proposal: str,
    reason: str,
    adjusted_by: str = "",
    origin: str = "",
) -> Adjustment:
    """The county sets a person's proposal for ``year`` (one of ``AWARDS`` or 不予敘獎), with
    the reason; earlier adjustments are kept."""
    _person(session, contact_id)
    if proposal not in (*AWARDS, NO_AWARD):
        raise UserError(f"獎度「{proposal}」不在可選的清單中：{'、'.join((*AWARDS, NO_AWARD))}")
    if not 2000 <= year <= date.today().year + 1:
        raise UserError(f"年度 {year} 不合理；請用西元年，例如 2024。")
    row = ProposalAdjustment(
        year=year,
        contact_id=contact_id,
        proposal=proposal,
        reason=_text(reason, "調整理由"),
        adjusted_by=adjusted_by[:200],
        origin=origin,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return Adjustment(row.proposal, row.reason, row.adjusted_by, row.created_at)


def points_text(value: Decimal) -> str:
    """``Decimal("18.00")`` -> ``"18"``, ``Decimal("13.20")`` -> ``"13.2"``."""
    return f"{value.normalize():f}"


def reason_text(proposal: Proposal, year: int) -> str:
    """「民國113年度兼任人事業務獎勵積點 12 點（績優案件、……）」 for a proposal."""
    from schoolhr.text import roc_year

    kinds = "、".join(dict.fromkeys(e.kind_label for e in proposal.entries if e.points > 0))
    points = points_text(proposal.weighted)
    return f"民國{roc_year(year)}年度兼任人事業務獎勵積點 {points} 點" + (
        f"（{kinds}）" if kinds else ""
    )


def proposal_of(session: Session, year: int, contact_id: int) -> Proposal:
    """The person's proposal for ``year``; UserError when they have no approved points."""
    _person(session, contact_id)
    found = [p for p in proposals(session, year) if p.contact_id == contact_id]
    if not found:
        raise UserError(f"編號 {contact_id} 的人員在 {year} 年沒有已核定的積點。")
    return found[0]


def seed_teacher_proposal(session: Session, office_staff: int) -> SeedTeacherAward:
    """The seed-teacher proposal of the current rules for an office of ``office_staff``."""
    rules = current_rules(session)
    if rules.seed_teacher is None:
        raise UserError("目前的積點規則沒有設定種籽教師的獎勵方式。")
    try:
        return seed_teacher_award(rules.seed_teacher, office_staff)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def attach_evidence(paths: DataPaths, source: Path) -> str:
    """Copy a file into the data folder's ``evidence/`` and return the reference to store as
    an entry's ``evidence`` (the file is named by its content, so the same file is kept once)."""
    if not source.is_file():
        raise UserFileError(f"找不到佐證檔「{source}」。")
    size = source.stat().st_size
    if size > MAX_EVIDENCE_BYTES:
        raise UserFileError(f"佐證檔「{source.name}」超過 20 MB；請縮小或改附連結。")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    folder = paths.root / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in source.name)[-80:]
    target = folder / f"{digest}-{safe}"
    if not target.exists():
        shutil.copyfile(source, target)
    return f"evidence/{target.name}"


# ---------------------------------------------------------------------------------------------
# user actions: what the window and the command line both call. Each checks the site's role,
# names the actor the same way and writes the operation log.


def claim(
    store: Store,
    contact_id: int,
    kind: str,
    on: date,
    reason: str,
    *,
    points: int | None = None,
    evidence: str = "",
) -> EntryView:
    """「申報積點」: a claim recorded at this site, waiting for the county."""
    with store.write() as session:
        who = actor(session)
        entry = add_entry(
            session, contact_id, kind, on, reason, points=points, evidence=evidence,
            recorded_by=who,
        )  # fmt: skip
        record_operation(
            session,
            "rewards-claim",
            f"申報積點 {entry.id}：{entry.name} {entry.points} 點（{who}）",
        )
    return entry


def decide_claims(
    store: Store,
    entry_ids: Sequence[int],
    approved: bool,
    reason: str,
    today: date | None = None,
) -> DecisionResult:
    """「核定」 or 「退回」 claims: the county only, whoever calls."""
    verb = "核定" if approved else "退回"
    with store.write() as session:
        require_county(session, "核定或退回積點")
        who = actor(session)
        decide = approve if approved else reject
        result = decide(session, entry_ids, reason, who, today)
        if result.changed:
            numbers = "、".join(str(i) for i in result.changed)
            record_operation(
                session,
                "rewards-decision",
                f"{verb}積點紀錄 {numbers}：{' '.join(reason.split())}（{who}）",
            )
    return result


def reverse_entry(store: Store, entry_id: int, reason: str, today: date | None = None) -> EntryView:
    """「沖銷」 an approved entry: the county only; the correction is approved at once."""
    with store.write() as session:
        site = require_county(session, "沖銷積點")
        who = actor(session)
        entry = reverse(
            session, entry_id, reason, who, approve_now=True, origin=site.site_uuid, today=today
        )
        record_operation(
            session,
            "rewards-reversal",
            f"沖銷積點紀錄 {entry_id}（新紀錄 {entry.id}）：{entry.reason}（{who}）",
        )
    return entry


def set_proposal(
    store: Store, year: int, contact_id: int, proposal: str, reason: str
) -> Adjustment:
    """「調整建議」: the county sets a person's award proposal for a year."""
    with store.write() as session:
        site = require_county(session, "調整敘獎建議")
        who = actor(session)
        adjustment = adjust_proposal(
            session, year, contact_id, proposal, reason, adjusted_by=who, origin=site.site_uuid
        )
        name = _person(session, contact_id).name
        record_operation(
            session,
            "rewards-adjustment",
            f"{year} 年 {name} 的敘獎建議調整為「{proposal}」：{adjustment.reason}（{who}）",
        )
    return adjustment
