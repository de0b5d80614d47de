"""Data packs: the records a school and the county exchange, and how they merge.

Every record is keyed by its UUID (contacts and people's ledgers refer to each other by UUID,
never by local row ids). Merging is a pure function of (local record, incoming record):

- contacts, checklist runs (with their answers) and unanswered questions: the version with the
  newer ``updated_at`` wins, ties broken by the canonical JSON, so the result does not depend
  on the order packs are imported in and importing a pack twice changes nothing. Deletions
  travel as ``deleted: true`` markers.
- reward ledger entries and proposal adjustments are a union: an entry's facts never change;
  a decision (approved / rejected) beats a pending claim.
- when both sides changed a record since their last exchange and the versions differ, the
  loser is kept as a conflict (shown with both versions) instead of being dropped.

Every record is validated (``validate``) before anything is planned, backed up or written, with
the ranges the rest of the program holds it to: dates and times in ISO 8601 within years
1900-2999 (``schoolhr.isotime``), a ledger entry's points within
``rewards.schema.MAX_POINTS`` (or its opposite, for a reversal) and dated from
``rewards.service.EARLIEST``, rule versions within ``MAX_RULE_VERSION``, years of service 0-60
(as ``contacts.records`` checks them), adjustment years 2000-2999, and a checklist run's copy of
its template (and its answers) read by the same code that lists and prints runs. So whatever
imports can be listed, summed and printed, and every whole number fits SQLite's 64 bits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from schoolhr.checklists.models import ChecklistAnswer, ChecklistRun, ChecklistTemplateRow
from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.checklists.service import normalize_value
from schoolhr.contacts.models import Contact
from schoolhr.content.validation import describe_error
from schoolhr.errors import UserError
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.isotime import LATEST_DAY, Day, Stamp
from schoolhr.rewards.models import ProposalAdjustment, RewardEntry
from schoolhr.rewards.schema import MAX_RULE_VERSION, points_problem
from schoolhr.rewards.service import EARLIEST
from schoolhr.sync import readable
from schoolhr.sync.format import PackError

UUID = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_YEARS_OF_SERVICE = 60  # as schoolhr.contacts.records checks a contact's years
MAX_ASKED = 1_000_000_000  # how many times a question was asked


def _within(lowest: int, highest: int, what: str, *, grouped: bool = True) -> AfterValidator:
    low, high = (f"{lowest:,}", f"{highest:,}") if grouped else (str(lowest), str(highest))

    def check(value: int) -> int:
        if not lowest <= value <= highest:
            raise ValueError(f"{what} {value} 超出範圍（{low} 至 {high}）")
        return value

    return AfterValidator(check)


def _points(value: int) -> int:
    problem = points_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _ledger_day(value: dt.date) -> dt.date:
    if value < EARLIEST:
        raise ValueError(f"積點日期 {value.isoformat()} 太早（須在 {EARLIEST.isoformat()} 以後）")
    return value


Points = Annotated[int, AfterValidator(_points)]
RuleVersion = Annotated[int, _within(1, MAX_RULE_VERSION, "積點規則版本")]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ContactData(_Record):
    uuid: str = UUID
    name: str = Field(max_length=50)
    school: str = Field(max_length=200)
    region: str = Field(max_length=200)
    role: str = Field(max_length=20)
    duties: list[str]
    years: Annotated[int, _within(0, MAX_YEARS_OF_SERVICE, "兼任人事年資")] | None
    office_phone: str = Field(max_length=40)
    mobile: str = Field(max_length=20)
    email: str = Field(max_length=200)
    line_id: str = Field(max_length=200)
    notes: str
    consent_date: Day | None
    consent_scope: str = Field(max_length=200)
    origin: str = Field(max_length=36)
    deleted: bool
    updated_at: Stamp


class RewardEntryData(_Record):
    uuid: str = UUID
    contact_uuid: str = UUID
    date: Annotated[Day, AfterValidator(_ledger_day)]
    kind: str = Field(max_length=50)
    points: Points
    rule_version: RuleVersion
    reason: str
    evidence: str
    recorded_by: str = Field(max_length=200)
    status: Literal["claimed", "approved", "rejected"]
    decision_reason: str
    decision_date: Day | None
    decided_by: str = Field(max_length=200)
    reverses: str | None = Field(max_length=36)
    origin: str = Field(max_length=36)
    created_at: Stamp
    updated_at: Stamp


class AdjustmentData(_Record):
    uuid: str = UUID
    year: Annotated[int, _within(EARLIEST.year, LATEST_DAY.year, "年度", grouped=False)]
    contact_uuid: str = UUID
    proposal: str = Field(max_length=20)
    reason: str
    adjusted_by: str = Field(max_length=200)
    origin: str = Field(max_length=36)
    created_at: Stamp


class UnansweredData(_Record):
    uuid: str = UUID
    normalized_query: str = Field(max_length=200)
    query: str = Field(max_length=200)
    count: Annotated[int, _within(1, MAX_ASKED, "詢問次數")]
    note: str
    first_asked_at: Stamp
    last_asked_at: Stamp
    answered_entry_id: str | None = Field(max_length=100)
    answered_at: Stamp | None
    origin: str = Field(max_length=36)
    updated_at: Stamp


class AnswerData(_Record):
    item_id: str = Field(max_length=100)
    value: str
    note: str
    updated_at: Stamp


def _template_of(data: dict[str, Any]) -> ChecklistTemplate:
    """A run's copy of its template, read as ``checklists.service`` reads it (to list, fill in
    and print the run); ValueError (zh-TW) when it could not be."""
    try:
        return ChecklistTemplate.model_validate(data)
    except ValidationError as exc:
        raise ValueError(
            f"不是有效的檢核表內容（{describe_error(exc.errors()[0])}），匯入後將無法列出或列印"
        ) from None


class ChecklistRunData(_Record):
    uuid: str = UUID
    template_id: str = Field(max_length=100)
    template_data: dict[str, Any]
    title: str
    period: str = Field(max_length=100)
    person: str = Field(max_length=100)
    due_date: Day | None
    completed_at: Stamp | None
    origin: str = Field(max_length=36)
    created_at: Stamp
    updated_at: Stamp
    answers: list[AnswerData]

    @field_validator("template_data")
    @classmethod
    def _readable_template(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        template = _template_of(value)
        wanted = info.data.get("template_id")
        if wanted is not None and template.id != wanted:
            raise ValueError(f"檢核表內容的編號「{template.id}」與 template_id「{wanted}」不符")
        return value

    @field_validator("answers")
    @classmethod
    def _answers_fit(cls, answers: list[AnswerData], info: ValidationInfo) -> list[AnswerData]:
        data = info.data.get("template_data")
        if data is None:
            return answers  # the template is refused already
        items = {item.id: item for item in _template_of(data).items()}
        seen: set[str] = set()
        for answer in answers:
            item = items.get(answer.item_id)
            if item is None:
                raise ValueError(f"檢核表沒有項目「{answer.item_id}」")
            if answer.item_id in seen:
                raise ValueError(f"項目「{answer.item_id}」的答案重複")
            seen.add(answer.item_id)
            try:
                stored = normalize_value(item, answer.value)
            except UserError as exc:
                raise ValueError(f"項目「{answer.item_id}」的答案有誤：{exc.message}") from None
            if stored != answer.value:
                raise ValueError(
                    f"項目「{answer.item_id}」的答案「{answer.value[:40]}」不是本程式存下的格式"
                )
        return answers


RECORD_TYPES: dict[str, type[_Record]] = {
    "contacts": ContactData,
    "reward_entries": RewardEntryData,
    "reward_adjustments": AdjustmentData,
    "unanswered": UnansweredData,
    "checklist_runs": ChecklistRunData,
}
TYPE_LABELS = readable.TYPE_LABELS

_CONTACT_FIELDS = tuple(f for f in ContactData.model_fields)
_ENTRY_FIELDS = tuple(f for f in RewardEntryData.model_fields if f != "contact_uuid")
_ADJ_FIELDS = tuple(f for f in AdjustmentData.model_fields if f != "contact_uuid")
_UNANSWERED_FIELDS = tuple(UnansweredData.model_fields)
_RUN_FIELDS = tuple(f for f in ChecklistRunData.model_fields if f != "answers")
_ANSWER_FIELDS = tuple(AnswerData.model_fields)
_TYPE_OF: dict[Any, str] = {RewardEntry: "reward_entries", ProposalAdjustment: "reward_adjustments"}


def canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _json(row: Any, fields: Iterable[str], **extra: Any) -> dict[str, Any]:
    out = {name: _iso(getattr(row, name)) for name in fields}
    out.update(extra)
    return out


def _as_json(fields: tuple[str, ...]) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """``_json`` for a row of these columns' values (a row of a column ``select``): dates and
    datetimes as their isoformat, only in the fields that hold them."""
    timed = [
        i for i, name in enumerate(fields) if name in readable.DATE_FIELDS | readable.TIME_FIELDS
    ]

    def convert(row: Sequence[Any]) -> dict[str, Any]:
        values = list(row)
        for i in timed:
            if values[i] is not None:
                values[i] = values[i].isoformat()
        return dict(zip(fields, values, strict=True))

    return convert


# -- export ----------------------------------------------------------------------------------


def export_records(
    session: Session, for_site: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every data record of this site, in the pack's JSON form (sorted by uuid).

    With ``for_site`` only that site's own records: the people it created and every ledger
    entry and adjustment about them (the county's decisions included), and the questions and
    checklist runs it created. A county sends one school its records back that way, and a
    school sends only its own (not the peer-group members a content pack brought).
    """
    contact_query = select(Contact).order_by(Contact.uuid)
    if for_site is not None:
        contact_query = contact_query.where(Contact.origin == for_site)
    contacts = list(session.execute(contact_query).scalars())
    uuids = {c.id: c.uuid for c in contacts}
    entries = [
        e
        for e in session.execute(select(RewardEntry).order_by(RewardEntry.uuid)).scalars()
        if e.contact_id in uuids
    ]
    adjustments = [
        a
        for a in session.execute(
            select(ProposalAdjustment).order_by(ProposalAdjustment.uuid)
        ).scalars()
        if a.contact_id in uuids
    ]
    unanswered_query = select(UnansweredQuestion).order_by(UnansweredQuestion.uuid)
    run_query = select(ChecklistRun).order_by(ChecklistRun.uuid)
    if for_site is not None:
        unanswered_query = unanswered_query.where(UnansweredQuestion.origin == for_site)
        run_query = run_query.where(ChecklistRun.origin == for_site)
    unanswered = session.execute(unanswered_query).scalars()
    runs = list(session.execute(run_query).scalars())
    run_ids = {r.id for r in runs}
    answers: dict[int, list[dict[str, Any]]] = {}
    for answer in session.execute(
        select(ChecklistAnswer).order_by(ChecklistAnswer.run_id, ChecklistAnswer.item_id)
    ).scalars():
        if answer.run_id in run_ids:
            answers.setdefault(answer.run_id, []).append(
                _json(answer, ("item_id", "value", "note", "updated_at"))
            )
    return {
        "contacts": [_json(c, _CONTACT_FIELDS) for c in contacts],
        "reward_entries": [
            _json(e, _ENTRY_FIELDS, contact_uuid=uuids[e.contact_id]) for e in entries
        ],
        "reward_adjustments": [
            _json(a, _ADJ_FIELDS, contact_uuid=uuids[a.contact_id]) for a in adjustments
        ],
        "unanswered": [_json(q, _UNANSWERED_FIELDS) for q in unanswered],
        "checklist_runs": [_json(r, _RUN_FIELDS, answers=answers.get(r.id, [])) for r in runs],
    }


CHUNK = 900  # values per ``IN (...)``: under 999, the lowest limit SQLite has had


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def local_records(
    session: Session, records: Mapping[str, Iterable[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """This site's records that the incoming ``records`` name, in ``export_records``'s form
    (sorted by uuid): each record by its uuid, the people the ledger entries and adjustments
    name (``contact_uuid``), and the unanswered questions with the same ``normalized_query``.
    That is all ``authority.authorize`` and ``plan`` look up, so a pack is planned against
    what it names, not against the whole database, in batched ``IN (...)`` queries."""
    wanted: dict[str, set[str]] = {t: set() for t in RECORD_TYPES}
    queries: set[str] = set()
    for record_type, rows in records.items():
        for record in rows:
            wanted.setdefault(record_type, set()).add(record["uuid"])
            if record_type in ("reward_entries", "reward_adjustments"):
                wanted["contacts"].add(record["contact_uuid"])
            elif record_type == "unanswered":
                queries.add(record["normalized_query"])

    def read(model: Any, fields: tuple[str, ...], column: Any, values: Iterable[str]) -> list[Any]:
        """The values of ``fields`` (then the row id) of the rows whose ``column`` is in
        ``values``: plain rows read column by column, not objects of the model."""
        query = select(*(getattr(model, f) for f in fields), model.id)
        return [
            row
            for chunk in _chunks(values)
            for row in session.execute(query.where(column.in_(chunk)))
        ]

    def with_person(model: Any, fields: tuple[str, ...]) -> list[dict[str, Any]]:
        convert = _as_json(fields)
        query = select(*(getattr(model, f) for f in fields), Contact.uuid).join(
            Contact, Contact.id == model.contact_id
        )
        return [
            {**convert(row[:-1]), "contact_uuid": row[-1]}
            for chunk in _chunks(wanted[_TYPE_OF[model]])
            for row in session.execute(query.where(model.uuid.in_(chunk)))
        ]

    contacts = _as_json(_CONTACT_FIELDS)
    unanswered: dict[str, dict[str, Any]] = {}
    as_unanswered = _as_json(_UNANSWERED_FIELDS)
    for column, values in (
        (UnansweredQuestion.uuid, wanted["unanswered"]),
        (UnansweredQuestion.normalized_query, queries),
    ):
        for row in read(UnansweredQuestion, _UNANSWERED_FIELDS, column, values):
            record = as_unanswered(row[:-1])
            unanswered[record["uuid"]] = record
    runs = read(ChecklistRun, _RUN_FIELDS, ChecklistRun.uuid, wanted["checklist_runs"])
    answers: dict[int, list[dict[str, Any]]] = {}
    run_ids = sorted(r[-1] for r in runs)
    as_answer = _as_json(_ANSWER_FIELDS)
    answer_query = select(
        ChecklistAnswer.run_id, *(getattr(ChecklistAnswer, f) for f in _ANSWER_FIELDS)
    ).order_by(ChecklistAnswer.run_id, ChecklistAnswer.item_id)
    for start in range(0, len(run_ids), CHUNK):
        for row in session.execute(
            answer_query.where(ChecklistAnswer.run_id.in_(run_ids[start : start + CHUNK]))
        ):
            answers.setdefault(row[0], []).append(as_answer(row[1:]))
    as_run = _as_json(_RUN_FIELDS)

    def by_uuid(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: r["uuid"])

    return {
        "contacts": by_uuid(
            [
                contacts(row[:-1])
                for row in read(Contact, _CONTACT_FIELDS, Contact.uuid, wanted["contacts"])
            ]
        ),
        "reward_entries": by_uuid(with_person(RewardEntry, _ENTRY_FIELDS)),
        "reward_adjustments": by_uuid(with_person(ProposalAdjustment, _ADJ_FIELDS)),
        "unanswered": by_uuid(list(unanswered.values())),
        "checklist_runs": by_uuid(
            [{**as_run(r[:-1]), "answers": answers.get(r[-1], [])} for r in runs]
        ),
    }


_MARKED = (
    Contact,
    RewardEntry,
    ProposalAdjustment,
    UnansweredQuestion,
    ChecklistRun,
    ChecklistAnswer,
)


def data_mark(session: Session, *others: Any) -> tuple[object, ...]:
    """A cheap mark of the records an import reads (and of ``others``' tables): per table its
    row count, last id and newest ``updated_at``. Equal marks taken at two moments mean that,
    in all likelihood, nothing was added, removed or edited between them; it spares a second
    full plan before an import's backup. The check inside the import's write is what makes
    the import correct, so a change the mark misses costs a backup, never a wrong import."""
    mark: list[object] = []
    for model in (*_MARKED, *others):
        table = model.__table__
        columns: list[Any] = [func.count()]
        columns += [func.max(table.c[name]) for name in ("id", "updated_at") if name in table.c]
        mark.append(tuple(session.execute(select(*columns).select_from(table)).one()))
    return tuple(mark)


def _ids(session: Session, model: Any, uuids: Iterable[str]) -> dict[str, int]:
    """uuid → row id of the rows of ``model`` with these uuids (batched)."""
    out: dict[str, int] = {}
    for chunk in _chunks(uuids):
        out.update(session.execute(select(model.uuid, model.id).where(model.uuid.in_(chunk))).all())
    return out


# -- validation ------------------------------------------------------------------------------


def validate(
    record_type: str, member: str, lines: Iterable[tuple[int, dict[str, Any]]], file_name: str = ""
) -> list[dict[str, Any]]:
    """The records of one member in canonical JSON form; the first bad record is refused
    naming the file (``file_name``, the pack's), the member, the line and the field."""
    _model(record_type, member)
    return list(validated(record_type, member, lines, file_name))


def _model(record_type: str, member: str) -> type[_Record]:
    model = RECORD_TYPES.get(record_type)
    if model is None:
        raise PackError(
            f"成員「{member}」的資料類型「{record_type}」不認得，已拒絕匯入，資料未變更。"
        )
    return model


def validated(
    record_type: str, member: str, lines: Iterable[tuple[int, dict[str, Any]]], file_name: str = ""
) -> Iterator[dict[str, Any]]:
    """``validate`` one record at a time (a big member is never held whole)."""
    pack = f"「{file_name}」的" if file_name else ""
    model = _model(record_type, member)
    seen: set[str] = set()
    for number, raw in lines:
        try:
            parsed = model.model_validate_json(canonical(raw))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"]) or "（整筆）"
            raise PackError(
                f"{pack}成員「{member}」第 {number} 筆的欄位「{where}」有誤（{_reason(error)}），"
                "已拒絕匯入，資料未變更。"
            ) from exc
        record = parsed.model_dump(mode="json")
        record = _normalise(record)
        if record["uuid"] in seen:
            raise PackError(f"成員「{member}」第 {number} 筆的編號重複，已拒絕匯入。")
        seen.add(record["uuid"])
        yield record


PLAN_BATCH = 2000  # records planned (and applied) at a time


class PackRecords:
    """A pack's validated records, kept compact while the clerk looks at the preview and the
    import runs: each record as a tuple of its values in field order (repeated texts shared),
    given back as dicts a batch at a time. ``contacts``: the people the pack brings (uuid,
    name, origin), which its other records may name."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[str, ...]] = {}
        self._rows: dict[str, list[tuple[Any, ...]]] = {}
        self._shared: dict[str, str] = {}
        self.contacts: dict[str, dict[str, Any]] = {}

    def extend(self, record_type: str, records: Iterable[dict[str, Any]]) -> None:
        rows = self._rows.setdefault(record_type, [])
        share = self._shared.setdefault
        for record in records:
            if record_type not in self._fields:
                self._fields[record_type] = tuple(record)  # the model's order, uuid first
                assert self._fields[record_type][0] == "uuid"
            values = iter(record.values())
            # the uuid (first) is the record's own; other texts repeat (people, kinds, days)
            rows.append((next(values), *[share(v, v) if type(v) is str else v for v in values]))
            if record_type == "contacts":
                self.contacts[record["uuid"]] = {
                    "uuid": record["uuid"],
                    "name": record["name"],
                    "origin": record["origin"],
                }

    def done(self) -> None:
        """Every record is in: the table of shared texts is not needed any more."""
        self._shared = {}

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    def batches(self, size: int | None = None) -> Iterator[tuple[str, int, list[dict[str, Any]]]]:
        """(record type, where the batch starts, up to ``size`` (``PLAN_BATCH``) records as
        dicts), in the pack's member order; a member with no records gives one empty batch."""
        size = size or PLAN_BATCH
        for record_type, rows in self._rows.items():
            fields = self._fields.get(record_type, ())
            if not rows:
                yield record_type, 0, []
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                yield record_type, start, [dict(zip(fields, row, strict=True)) for row in batch]

    def view(self, record_type: str, index: int) -> RecordView:
        """The ``index``-th record of a type, read in place (not copied)."""
        return RecordView(self._fields[record_type], self._rows[record_type][index])


class RecordView(Mapping[str, Any]):
    """A record of ``PackRecords`` read as a mapping, without a dict of its own."""

    __slots__ = ("_fields", "_row")

    def __init__(self, fields: tuple[str, ...], row: tuple[Any, ...]) -> None:
        self._fields, self._row = fields, row

    def __getitem__(self, key: str) -> Any:
        try:
            return self._row[self._fields.index(key)]
        except ValueError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return repr(dict(self))


def _reason(error: Any) -> str:
    """Why a field was refused: the zh-TW sentence of this module's own checks, pydantic's
    words otherwise."""
    if error["type"] == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def _normalise(record: dict[str, Any]) -> dict[str, Any]:
    """Datetimes as Python's isoformat (the export's own form), whatever the sender wrote: the
    ``Stamp`` fields (``readable.TIME_FIELDS``), in the record and in its answers (in place)."""
    for key in readable.TIME_FIELDS.intersection(record):
        value = record[key]
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                record[key] = datetime.fromisoformat(value).isoformat()
    answers = record.get("answers")
    if isinstance(answers, list):
        for answer in answers:
            if isinstance(answer, dict):
                _normalise(answer)
    return record


# -- merge -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    record_type: str
    key: str
    label: str
    action: str  # "add", "update", "conflict" (newer applied, other kept), "keep" (conflict,
    # local kept)
    local: dict[str, Any] | None
    incoming: dict[str, Any]

    @property
    def applies(self) -> bool:
        return self.action in ("add", "update") or (
            self.action == "conflict" and self.local is not None
        )


@dataclass(frozen=True)
class Baseline:
    """When this site last imported a pack from the sender: local time, and pack time."""

    local_at: str | None
    sender_at: str | None


def _newer(a: dict[str, Any], b: dict[str, Any], stamp: str = "updated_at") -> bool:
    """True when ``a`` wins over ``b``: a total order, so merging is order-independent."""
    return (_ts(a[stamp]), canonical(a)) > (_ts(b[stamp]), canonical(b))


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _changed_since(record: dict[str, Any], since: str | None) -> bool:
    return since is None or _ts(record["updated_at"]) > _ts(since)


def label(record_type: str, record: dict[str, Any], known: readable.Names | None = None) -> str:
    """How a record is named in a plan or a refusal (people by name when ``known`` has them,
    reward kinds by their titles, days in 民國)."""
    return readable.record_label(record_type, record, known)


def _merge_latest(
    record_type: str,
    local: dict[str, Any] | None,
    incoming: dict[str, Any],
    baseline: Baseline,
) -> Change | None:
    if local is None:
        return Change(record_type, incoming["uuid"], "", "add", None, incoming)
    if canonical(local) == canonical(incoming):
        return None
    wins = _newer(incoming, local)
    both = _changed_since(local, baseline.local_at) and _changed_since(incoming, baseline.sender_at)
    if both:
        return Change(
            record_type, incoming["uuid"], "", "conflict" if wins else "keep", local, incoming
        )
    if not wins:
        return None
    return Change(record_type, incoming["uuid"], "", "update", local, incoming)


def _merge_entry(
    local: dict[str, Any] | None, incoming: dict[str, Any], baseline: Baseline
) -> Change | None:
    """A ledger entry: a union; its one change is a decision, and a decision beats a claim.
    (Named by ``plan``, which knows the people.)"""
    name = ""
    if local is None:
        return Change("reward_entries", incoming["uuid"], name, "add", None, incoming)
    if canonical(local) == canonical(incoming):
        return None
    facts = ("contact_uuid", "date", "kind", "points", "rule_version", "reason", "reverses")
    decided = (local["status"] != "claimed", incoming["status"] != "claimed")
    wins = (decided[1], _ts(incoming["updated_at"]), canonical(incoming)) > (
        decided[0],
        _ts(local["updated_at"]),
        canonical(local),
    )
    disagree = any(local[f] != incoming[f] for f in facts) or all(decided)
    both = _changed_since(local, baseline.local_at) and _changed_since(incoming, baseline.sender_at)
    if disagree and both:
        action = "conflict" if wins else "keep"
        return Change("reward_entries", incoming["uuid"], name, action, local, incoming)
    if not wins:
        return None
    return Change("reward_entries", incoming["uuid"], name, "update", local, incoming)


def merge_one(record_type: str, local: dict[str, Any], incoming: dict[str, Any]) -> Change | None:
    """What ``incoming`` would do to ``local`` if both had changed since the last exchange."""
    unknown = Baseline(None, None)
    if record_type == "reward_entries":
        return _merge_entry(local, incoming, unknown)
    if record_type == "reward_adjustments":
        return None
    return _merge_latest(record_type, local, incoming, unknown)


def plan(
    session: Session,
    records: dict[str, list[dict[str, Any]]],
    baseline: Baseline,
    local: dict[str, list[dict[str, Any]]] | None = None,
    incoming_contacts: Mapping[str, dict[str, Any]] | None = None,
    labels: bool = True,
) -> list[Change]:
    """What importing ``records`` would change; reads only. ``local``: this site's records
    that ``records`` name (``local_records``), when the caller has them already;
    ``incoming_contacts``: the people of the whole pack (uuid, name, origin) when ``records``
    is a batch of it. Without ``labels`` only conflicts are named (the rest are compared with
    a preview, not shown)."""
    if local is None:
        local = local_records(session, records)
    if incoming_contacts is None:
        incoming_contacts = {c["uuid"]: c for c in records.get("contacts", [])}
    changes: list[Change] = []
    known_contacts = {c["uuid"] for c in local["contacts"]} | set(incoming_contacts)
    for record_type, incoming in records.items():
        mine = {r["uuid"]: r for r in local[record_type]}
        if record_type == "unanswered":
            by_query = {r["normalized_query"]: r for r in local[record_type]}
        for number, record in enumerate(incoming, start=1):
            current = mine.get(record["uuid"])
            if (
                record_type in ("reward_entries", "reward_adjustments")
                and record["contact_uuid"] not in known_contacts
            ):
                raise PackError(
                    f"成員「records/{record_type}.jsonl」第 {number} 筆所指的人員"
                    f"（{record['contact_uuid']}）不在本機也不在檔案中，已拒絕匯入。"
                )
            if record_type == "reward_entries":
                change = _merge_entry(current, record, baseline)
            elif record_type == "reward_adjustments":
                change = (
                    Change(record_type, record["uuid"], "", "add", None, record)
                    if current is None
                    else None
                )
            else:
                if record_type == "unanswered" and current is None:
                    current = by_query.get(record["normalized_query"])
                    if current is not None:
                        record = {**record, "uuid": current["uuid"]}
                if (
                    record_type == "checklist_runs"
                    and current is None
                    and session.get(ChecklistTemplateRow, record["template_id"]) is None
                ):
                    raise PackError(
                        f"成員「records/checklist_runs.jsonl」第 {number} 筆的檢核表"
                        f"「{record['template_id']}」本機沒有，請先匯入縣市的內容包。"
                    )
                change = _merge_latest(record_type, current, record, baseline)
            if change is not None:
                changes.append(change)
    named = changes if labels else [c for c in changes if c.action in ("conflict", "keep")]
    if not named:
        return changes
    people = {c.key for c in named if c.record_type == "contacts"} | {
        c.incoming["contact_uuid"]
        for c in named
        if c.record_type in ("reward_entries", "reward_adjustments")
    }
    known = readable.names(session, people).add_records(
        {"contacts": [incoming_contacts[u] for u in people if u in incoming_contacts]}
    )
    if not labels:
        return [
            replace(c, label=label(c.record_type, c.incoming, known))
            if c.action in ("conflict", "keep")
            else c
            for c in changes
        ]
    return [replace(c, label=label(c.record_type, c.incoming, known)) for c in changes]


def _row_values(
    record: dict[str, Any], fields: Iterable[str], contact_ids: dict[str, int] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        if name == "contact_id" and contact_ids is not None:
            out[name] = contact_ids[record["contact_uuid"]]
            continue
        value = record[name]
        if isinstance(value, str) and name in readable.DATE_FIELDS:
            value = date.fromisoformat(value)
        elif isinstance(value, str) and name in readable.TIME_FIELDS:
            value = datetime.fromisoformat(value)
        out[name] = value
    return out


def apply(session: Session, changes: list[Change]) -> None:
    """Write the winning versions of ``changes`` (inside the caller's transaction)."""
    winners: dict[str, list[dict[str, Any]]] = {t: [] for t in RECORD_TYPES}
    for change in changes:
        if change.applies:
            winners[change.record_type].append(change.incoming)
    _upsert(session, Contact, winners["contacts"], _CONTACT_FIELDS)
    session.flush()
    ids = _ids(
        session,
        Contact,
        (r["contact_uuid"] for t in ("reward_entries", "reward_adjustments") for r in winners[t]),
    )
    _upsert(session, RewardEntry, winners["reward_entries"], (*_ENTRY_FIELDS, "contact_id"), ids)
    _upsert(
        session,
        ProposalAdjustment,
        winners["reward_adjustments"],
        (*_ADJ_FIELDS, "contact_id"),
        ids,
    )
    _upsert(session, UnansweredQuestion, winners["unanswered"], _UNANSWERED_FIELDS)
    runs = winners["checklist_runs"]
    _upsert(session, ChecklistRun, runs, _RUN_FIELDS)
    if runs:
        run_ids = _ids(session, ChecklistRun, (r["uuid"] for r in runs))
        touched = sorted(run_ids[r["uuid"]] for r in runs)
        for start in range(0, len(touched), CHUNK):
            session.execute(
                delete(ChecklistAnswer).where(
                    ChecklistAnswer.run_id.in_(touched[start : start + CHUNK])
                )
            )
        rows = [
            {
                "run_id": run_ids[r["uuid"]],
                **_row_values(a, ("item_id", "value", "note", "updated_at")),
            }
            for r in runs
            for a in r["answers"]
        ]
        if rows:
            _insert(session, ChecklistAnswer, rows)


WRITE_BATCH = 2000  # rows per INSERT / UPDATE: the rows' values are built a batch at a time


def _upsert(
    session: Session,
    model: Any,
    records: list[dict[str, Any]],
    fields: Iterable[str],
    contact_ids: dict[str, int] | None = None,
) -> None:
    """Insert or update ``records`` by uuid, a batch at a time; ``contact_ids``: the row ids
    of the people they name (``contact_uuid``), for ``contact_id``."""
    fields = tuple(fields)
    for start in range(0, len(records), WRITE_BATCH):
        batch = records[start : start + WRITE_BATCH]
        existing = _ids(session, model, (r["uuid"] for r in batch))
        adds = [_row_values(r, fields, contact_ids) for r in batch if r["uuid"] not in existing]
        updates = [
            {"id": existing[r["uuid"]], **_row_values(r, fields, contact_ids)}
            for r in batch
            if r["uuid"] in existing
        ]
        if adds:
            _insert(session, model, adds)
        if updates:
            session.execute(update(model), updates)


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (column values) into ``model``'s table in one executemany: a Core
    insert of the table (its columns' types and defaults apply as in the ORM's bulk insert,
    without building the ORM's insert commands row by row)."""
    session.flush()
    session.connection().execute(insert(model.__table__), rows)


def sort_key() -> Callable[[Change], tuple[str, str]]:
    return lambda c: (c.record_type, c.label)
