"""Contacts: list, edit, import with a preview, export with consent and an audit row.

Import is three steps, so the window can show what will happen before anything changes:
``read_import_file`` (or one format module's ``read``) -> ``plan_import`` (reads the database,
writes nothing) -> ``apply_import`` (a "pre-import" backup, then one transaction).
The format modules (openpyxl, vobject) are imported only when a file is read or written, so
listing and editing stay light.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.contacts import formats
from schoolhr.contacts.formats import FormatName
from schoolhr.contacts.formats.tabular import ImportRow, ReadResult, Rejected
from schoolhr.contacts.models import Contact, ExportAudit
from schoolhr.contacts.records import (
    DEFAULT_EXPORT_FIELDS,
    FIELD_LABELS,
    ContactError,
    ContactRecord,
    validate,
)
from schoolhr.errors import ExitCode, UserError
from schoolhr.json_fields import json_fields
from schoolhr.store.database import Store
from schoolhr.store.models import record_operation
from schoolhr.store.roles import actor
from schoolhr.text import normalize

__all__ = [
    "FORMATS",
    "ContactView",
    "Difference",
    "Duplicate",
    "ExportResult",
    "ImportPlan",
    "ImportRow",
    "ImportSummary",
    "ReadResult",
    "Rejected",
    "apply_import",
    "delete_contact",
    "export_contacts",
    "get_contact",
    "list_contacts",
    "plan_import",
    "read_import_file",
    "save_contact",
]

FORMATS: tuple[FormatName, ...] = tuple(f.name for f in formats.FORMATS)
RECORD_FIELDS = tuple(FIELD_LABELS)


@dataclass
class ContactView:
    id: int
    record: ContactRecord


# ---------------------------------------------------------------------------------------------
# records <-> rows


def _record_of(contact: Contact) -> ContactRecord:
    values = {name: getattr(contact, name) for name in RECORD_FIELDS}
    return ContactRecord(**{**values, "duties": list(contact.duties or [])})


def _store_record(contact: Contact, record: ContactRecord) -> None:
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        setattr(contact, name, list(value) if name == "duties" else value)


def _checked(record: ContactRecord) -> ContactRecord:
    """A validated copy (the caller's record is left as it was); UserError names the field."""
    try:
        return validate(copy.deepcopy(record))
    except ContactError as exc:
        label = FIELD_LABELS.get(exc.field, exc.field)
        raise UserError(f"「{label}」：{exc.message}") from exc


# ---------------------------------------------------------------------------------------------
# list and edit


def search_text(record: ContactRecord) -> str:
    """Every field of ``record`` folded as a filter folds its query (``normalize``): a
    contact matches a filter when this contains the normalized query."""
    return normalize(" ".join(_shown(value) for value in record.as_dict().values()))


def _sort_key(view: ContactView) -> tuple[str, str, int]:
    return (view.record.school, view.record.name, view.id)


def list_contacts(session: Session, query: str = "") -> list[ContactView]:
    """People not deleted, by school then name; ``query`` keeps those with it in any field
    (case, width, 台/臺, Simplified/Traditional and punctuation folded: 「0912345678」 finds
    「0912-345678」)."""
    needle = normalize(query)
    views = [
        ContactView(contact.id, _record_of(contact))
        for contact in session.scalars(select(Contact).where(Contact.deleted.is_(False)))
    ]
    if needle:
        views = [view for view in views if needle in search_text(view.record)]
    return sorted(views, key=_sort_key)


def _live(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.deleted:
        raise UserError(f"找不到編號 {contact_id} 的聯絡人，可能已被刪除。")
    return contact


def get_contact(session: Session, contact_id: int) -> ContactView:
    """The contact; UserError when there is none with that id or it was deleted."""
    return ContactView(contact_id, _record_of(_live(session, contact_id)))


def save_contact(
    session: Session, record: ContactRecord, contact_id: int | None = None, origin: str = ""
) -> int:
    """Add (``contact_id`` None) or change a contact after validation; returns its id.

    Raises UserError 「「手機」：手機號碼「…」格式不對…」 naming the field for a bad value."""
    clean = _checked(record)
    if contact_id is None:
        contact = Contact(origin=origin)
        session.add(contact)
    else:
        contact = _live(session, contact_id)
        if origin:
            contact.origin = origin
    _store_record(contact, clean)
    session.flush()
    return contact.id


def delete_contact(session: Session, contact_id: int) -> None:
    """Mark as deleted (records that travel between sites are never removed)."""
    _live(session, contact_id).deleted = True
    session.flush()


# ---------------------------------------------------------------------------------------------
# import


def read_import_file(path: Path, mapping: dict[str, str] | None = None) -> ReadResult:
    """Read a contacts file of any supported format, chosen by its extension: .xlsx/.xlsm,
    .csv/.txt/.tsv (comma, tab or semicolon separated text, sniffed), .vcf/.vcard."""
    return formats.format_of(path).reader()(path, mapping)


@dataclass
class Difference:
    field: str
    label: str
    existing: str
    incoming: str


@dataclass
class Duplicate:
    """An incoming row that is someone already known: in the database (``existing_id``) or an
    earlier row of the same file that is new (``existing_row``; a row matching an earlier row
    that was itself a duplicate of a database contact points at that contact). ``matched_on``
    is email, mobile, office_phone or name_school; ``differences`` are the fields the
    incoming row would change on merge."""

    row: ImportRow
    existing_id: int | None
    existing_row: int | None
    matched_on: str
    differences: list[Difference]

    @property
    def matched_label(self) -> str:
        if self.matched_on == "name_school":
            return "姓名與服務學校相同"
        return f"{FIELD_LABELS[self.matched_on]}相同"


@dataclass
class ImportPlan:
    adds: list[ImportRow] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "adds": [
                {"row": a.row, "name": a.record.name, "school": a.record.school} for a in self.adds
            ],
            "duplicates": [
                {
                    "row": d.row.row,
                    "name": d.row.record.name,
                    "school": d.row.record.school,
                    "existing_id": d.existing_id,
                    "existing_row": d.existing_row,
                    "matched_on": d.matched_on,
                    "differences": [
                        {
                            "field": x.field,
                            "label": x.label,
                            "existing": x.existing,
                            "incoming": x.incoming,
                        }
                        for x in d.differences
                    ],
                }
                for d in self.duplicates
            ],
            "rejected": [
                {"row": r.row, "field": r.field, "reason": r.reason} for r in self.rejected
            ],
        }


class PlanChangedError(UserError):
    """The database changed between the preview and the import (another window or command
    imported at the same moment): nothing was written; the clerk looks at a new preview."""

    exit_code = ExitCode.CANCELLED


def _outcome(plan: ImportPlan) -> tuple[list[int], list[tuple[int, int | None, int | None]]]:
    """What a plan would do, row by row: the rows added, and each duplicate's target."""
    return (
        [a.row for a in plan.adds],
        [(d.row.row, d.existing_id, d.existing_row) for d in plan.duplicates],
    )


def _replan(session: Session, plan: ImportPlan) -> None:
    """Plan again against the database as it is now; ``PlanChangedError`` when the outcome
    differs from the preview the clerk confirmed."""
    rows = sorted([*plan.adds, *(d.row for d in plan.duplicates)], key=lambda r: r.row)
    fresh = plan_import(session, rows, plan.rejected)
    if _outcome(fresh) == _outcome(plan):
        return
    raise PlanChangedError(
        "通訊錄在預覽之後已有變動（可能另一個視窗或指令同時在匯入）："
        f"預覽時會新增 {len(plan.adds)} 人、重複 {len(plan.duplicates)} 人，"
        f"現在會新增 {len(fresh.adds)} 人、重複 {len(fresh.duplicates)} 人。"
        "這次沒有寫入任何資料；請重新匯入，確認新的預覽後再繼續。"
    )


@dataclass
class ImportSummary:
    added: int
    merged: int
    skipped: int
    rejected: int
    backup: Path | None

    def as_dict(self) -> dict[str, object]:
        return json_fields(self, "added", "merged", "skipped", "rejected", "backup")


def _keys(record: ContactRecord) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    if record.email:
        keys.append(("email", record.email.casefold()))
    if record.mobile:
        keys.append(("mobile", record.mobile))
    if record.office_phone:
        keys.append(("office_phone", record.office_phone))
    # normalize() folds punctuation away: a name of only punctuation ("、", "--") would have
    # no key and be added again at every import, so it is compared as typed instead.
    name = normalize(record.name) or record.name.casefold()
    if name:
        school = normalize(record.school) or record.school.casefold()
        keys.append(("name_school", f"{name}\x1f{school}"))
    return keys


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == []


def _differences(existing: ContactRecord, incoming: ContactRecord) -> list[Difference]:
    found = []
    for name in RECORD_FIELDS:
        new, old = getattr(incoming, name), getattr(existing, name)
        if not _is_empty(new) and new != old:
            found.append(Difference(name, FIELD_LABELS[name], _shown(old), _shown(new)))
    return found


def _merged(existing: ContactRecord, incoming: ContactRecord) -> ContactRecord:
    """``existing`` with every non-empty field of ``incoming``."""
    result = copy.deepcopy(existing)
    for name in RECORD_FIELDS:
        value = getattr(incoming, name)
        if not _is_empty(value):
            setattr(result, name, copy.copy(value))
    return result


# Where a key points: ("db", contact id) or ("row", row number of an add in this file).
_Target = tuple[str, int]


def plan_import(session: Session, rows: list[ImportRow], rejected: list[Rejected]) -> ImportPlan:
    """What importing ``rows`` would do; reads the database and writes nothing.

    A row is a duplicate when its e-mail, mobile, office phone, or name and school (normalised)
    equal those of a contact in the database or of an earlier row in the file."""
    plan = ImportPlan(rejected=list(rejected))
    index: dict[tuple[str, str], _Target] = {}
    known: dict[_Target, ContactRecord] = {}
    for contact in session.scalars(select(Contact).where(Contact.deleted.is_(False))):
        record = _record_of(contact)
        known[("db", contact.id)] = record
        for key in _keys(record):
            index.setdefault(key, ("db", contact.id))
    for item in rows:
        keys = _keys(item.record)
        hit = next(((key[0], index[key]) for key in keys if key in index), None)
        if hit is None:
            target: _Target = ("row", item.row)
            plan.adds.append(item)
            known[target] = copy.deepcopy(item.record)
        else:
            matched_on, target = hit
            existing = known[target]
            plan.duplicates.append(
                Duplicate(
                    row=item,
                    existing_id=target[1] if target[0] == "db" else None,
                    existing_row=target[1] if target[0] == "row" else None,
                    matched_on=matched_on,
                    differences=_differences(existing, item.record),
                )
            )
            known[target] = _merged(existing, item.record)  # later rows compare to the merge
        for key in keys:
            index.setdefault(key, target)
    return plan


def apply_import(store: Store, plan: ImportPlan, merge_duplicates: bool) -> ImportSummary:
    """Carry out ``plan``: a "pre-import" backup, then in one transaction add the new people
    and, only when ``merge_duplicates``, update the duplicates (non-empty incoming fields win);
    otherwise duplicates are skipped. A plan with nothing to write changes nothing (no backup).

    The plan is made again inside the write transaction; when the database changed since the
    preview so that the outcome would differ, ``PlanChangedError`` and nothing is written."""
    to_merge = plan.duplicates if merge_duplicates else []
    if not plan.adds and not to_merge:
        return ImportSummary(0, 0, len(plan.duplicates), len(plan.rejected), None)
    with store.read() as session:  # changed since the preview: said before any backup
        _replan(session, plan)
    info = store.backup("pre-import")
    origin = store.site().site_uuid
    merged = 0
    with store.write() as session:
        # BEGIN IMMEDIATE: one import writes at a time; what another one wrote since the
        # preview is seen here, and the import stops instead of adding the same people twice
        _replan(session, plan)
        by_row: dict[int, Contact] = {}
        for item in plan.adds:
            contact = Contact(origin=origin)
            _store_record(contact, _checked(item.record))
            session.add(contact)
            by_row[item.row] = contact
        for duplicate in to_merge:
            target: Contact | None = None
            if duplicate.existing_row is not None:
                target = by_row.get(duplicate.existing_row)
            if target is None and duplicate.existing_id is not None:
                target = session.get(Contact, duplicate.existing_id)
            if target is None or target.deleted:  # removed since the plan was made
                target = Contact(origin=origin)
                session.add(target)
                _store_record(target, _checked(duplicate.row.record))
            else:
                _store_record(target, _checked(_merged(_record_of(target), duplicate.row.record)))
                target.origin = origin
            merged += 1
        skipped = len(plan.duplicates) - merged
        summary = ImportSummary(len(plan.adds), merged, skipped, len(plan.rejected), info.path)
        record_operation(
            session,
            "contacts-import",
            f"匯入聯絡人：新增 {summary.added}、合併 {summary.merged}、"
            f"略過 {summary.skipped}、有問題 {summary.rejected} 筆",
        )
    return summary


# ---------------------------------------------------------------------------------------------
# export


@dataclass
class ExportResult:
    count: int
    left_out_without_consent: int
    path: Path


def export_fields(fields: Sequence[str] | None) -> list[str]:
    """The fields to export in the order given, the name always first; UserError for unknown."""
    picked = list(fields) if fields else list(DEFAULT_EXPORT_FIELDS)
    unknown = [name for name in picked if name not in FIELD_LABELS]
    if unknown:
        raise UserError(f"沒有這些欄位：{'、'.join(unknown)}。可用：{'、'.join(FIELD_LABELS)}")
    ordered = ["name"]
    ordered.extend(name for name in picked if name not in ordered)
    return ordered


def export_contacts(
    store: Store,
    ids: Sequence[int] | None,
    fields: Sequence[str] | None,
    purpose: str,
    fmt: FormatName,
    path: Path,
    include_without_consent: bool,
) -> ExportResult:
    """Write the chosen people (``ids`` None: everyone) with only ``fields`` to ``path``.

    People without a consent date are left out unless ``include_without_consent``. The export
    is recorded in ``ExportAudit`` (who: this site, as ``roles.actor`` names it; fields, how
    many, how many without consent, purpose, format, file name) and in the operation log.
    The file is made readable by its owner only where the platform allows.
    """
    purpose = " ".join(purpose.split())
    if not purpose:
        raise UserError("請填寫匯出的用途（個人資料保護法要求記錄用途）。")
    if fmt not in FORMATS:
        raise UserError(f"匯出格式只能是 {'、'.join(FORMATS)}。")
    columns = export_fields(fields)
    with store.read() as session:
        query = select(Contact).where(Contact.deleted.is_(False))
        if ids is not None:
            query = query.where(Contact.id.in_(list(ids)))
        views = sorted(
            (ContactView(c.id, _record_of(c)) for c in session.scalars(query)), key=_sort_key
        )
    chosen = [v.record for v in views if include_without_consent or v.record.consent_date]
    left_out = len(views) - len(chosen)
    without_consent = sum(1 for record in chosen if record.consent_date is None)
    formats.by_name(fmt).writer()(path, chosen, columns)
    with store.write() as session:
        who = actor(session)
        record_operation(
            session,
            "contacts-export",
            f"匯出通訊錄「{path.name}」：{len(chosen)} 人，用途：{purpose}（{who}）",
        )
        session.add(
            ExportAudit(
                who=who,
                fields=columns,
                count=len(chosen),
                without_consent=without_consent,
                purpose=purpose,
                file_format=fmt,
                file_name=path.name,
            )
        )
    return ExportResult(count=len(chosen), left_out_without_consent=left_out, path=path)


def _record_fields() -> tuple[str, ...]:  # kept in step with ContactRecord
    return tuple(f.name for f in fields(ContactRecord))


assert _record_fields() == RECORD_FIELDS, "FIELD_LABELS must name every ContactRecord field"
