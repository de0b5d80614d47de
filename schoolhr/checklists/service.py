"""Checklist runs: start one, answer items (each answer saved at once), see progress, scores
and due dates. Templates come from content (``install_templates``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.checklists.due import DUE_SOON_DAYS, DueChecklist, DueItem, due_items, next_due
from schoolhr.checklists.models import ChecklistAnswer, ChecklistRun, ChecklistTemplateRow
from schoolhr.checklists.schema import ChecklistItem, ChecklistTemplate
from schoolhr.content.rows import install_entries, shown_entries, shown_entry
from schoolhr.errors import UserError
from schoolhr.rocdates import DateError, parse_date
from schoolhr.search.index import register_document
from schoolhr.store.base import utcnow

KIND = "checklist"
MAX_TEXT = 5000
Value = str | bool | int | float | date | None


@dataclass(frozen=True)
class Score:
    label: str
    count: int
    percent: int


# The run's columns that a RunView carries under the same names.
_RUN_COLUMNS = ("id", "uuid", "title", "period", "person", "due_date", "completed_at", "created_at")


@dataclass
class RunView:
    id: int
    uuid: str
    template: ChecklistTemplate
    title: str
    period: str
    person: str
    due_date: date | None
    completed_at: datetime | None
    created_at: datetime
    answers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def is_done(self, item: ChecklistItem) -> bool:
        return bool(self.answers.get(item.id, ""))

    @property
    def progress(self) -> tuple[int, int]:
        items = self.template.items()
        return sum(1 for item in items if self.is_done(item)), len(items)

    def scores(self) -> list[Score]:
        results = []
        for rule in self.template.scores:
            section = self.template.section(rule.section)
            count = sum(1 for item in section.items if item.type == "check" and self.is_done(item))
            results.append(Score(rule.label, count, rule.percent_for(count)))
        return results

    def as_dict(self) -> dict[str, object]:
        """What ``schoolhr checklist list --json`` prints for the run."""
        done, total = self.progress
        return {
            "id": self.id,
            "template_id": self.template.id,
            "title": self.title,
            "period": self.period,
            "person": self.person,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "done": done,
            "total": total,
            "completed": self.completed_at is not None,
        }


# -- templates -------------------------------------------------------------------------


def install_templates(
    session: Session, templates: Sequence[ChecklistTemplate], origin: str
) -> tuple[int, int, int]:
    """Add or update templates from ``origin``; hide that origin's templates no longer given.
    Returns (added, updated, removed). Runs keep their own copy, so nothing filled in changes."""
    return install_entries(
        session,
        ChecklistTemplateRow,
        templates,
        origin,
        KIND,
        index=lambda template: _index(session, template),
    )


def _index(session: Session, template: ChecklistTemplate) -> None:
    body = "\n".join(
        [template.purpose]
        + [f"{s.title}\n" + "\n".join(i.label for i in s.items) for s in template.sections]
    )
    register_document(
        session,
        kind=KIND,
        ref=template.id,
        title=template.title,
        subtitle="檢核表",
        keywords=template.audience,
        body=body,
    )


def templates(session: Session) -> list[ChecklistTemplate]:
    return shown_entries(
        session, ChecklistTemplateRow, ChecklistTemplate, ChecklistTemplateRow.title
    )


def template(session: Session, template_id: str) -> ChecklistTemplate:
    missing = f"找不到檢核表「{template_id}」；可用 schoolhr checklist list 查詢。"
    return shown_entry(session, ChecklistTemplateRow, ChecklistTemplate, template_id, missing)


# -- runs ------------------------------------------------------------------------------


def start_run(
    session: Session,
    template_id: str,
    *,
    period: str = "",
    person: str = "",
    due_date: date | None = None,
    today: date | None = None,
    origin: str = "",
) -> RunView:
    """A new run; earlier runs of the same template are kept as they are."""
    chosen = template(session, template_id)
    if due_date is None and chosen.due is not None:
        due_date = next_due(chosen.due, today or date.today())
    run = ChecklistRun(
        template_id=chosen.id,
        template_data=chosen.model_dump(mode="json"),
        title=chosen.title,
        period=period.strip()[:100],
        person=person.strip()[:100],
        due_date=due_date,
        origin=origin,
    )
    session.add(run)
    session.flush()
    return run_view(session, run.id)


def run_view(session: Session, run_id: int) -> RunView:
    run = session.get(ChecklistRun, run_id)
    if run is None:
        raise UserError(f"找不到編號 {run_id} 的填寫紀錄。")
    columns = {name: getattr(run, name) for name in _RUN_COLUMNS}
    view = RunView(template=ChecklistTemplate.model_validate(run.template_data), **columns)
    for answer in session.execute(
        select(ChecklistAnswer).where(ChecklistAnswer.run_id == run_id)
    ).scalars():
        view.answers[answer.item_id] = answer.value
        view.notes[answer.item_id] = answer.note
    return view


def runs(session: Session, template_id: str | None = None) -> list[RunView]:
    query = select(ChecklistRun.id).order_by(ChecklistRun.created_at.desc(), ChecklistRun.id.desc())
    if template_id is not None:
        query = query.where(ChecklistRun.template_id == template_id)
    return [run_view(session, run_id) for run_id in session.execute(query).scalars()]


def set_answer(
    session: Session, run_id: int, item_id: str, value: Value, note: str | None = None
) -> str:
    """Save one item's answer (and note) of a run; returns the value as stored."""
    run = session.get(ChecklistRun, run_id)
    if run is None:
        raise UserError(f"找不到編號 {run_id} 的填寫紀錄。")
    chosen = ChecklistTemplate.model_validate(run.template_data)
    item = next((i for i in chosen.items() if i.id == item_id), None)
    if item is None:
        raise UserError(f"檢核表「{chosen.title}」沒有項目「{item_id}」。")
    stored = normalize_value(item, value)
    answer = session.execute(
        select(ChecklistAnswer).where(
            ChecklistAnswer.run_id == run_id, ChecklistAnswer.item_id == item_id
        )
    ).scalar_one_or_none()
    if answer is None:
        answer = ChecklistAnswer(run_id=run_id, item_id=item_id)
        session.add(answer)
    answer.value = stored
    if note is not None:
        answer.note = note[:MAX_TEXT]
    run.updated_at = utcnow()
    return stored


def normalize_value(item: ChecklistItem, value: Value) -> str:
    """An answer as text, checked against the item's type (zh-TW errors)."""
    if value is None or value == "":
        return ""
    if item.type == "check":
        return "1" if value in (True, 1, "1", "true", "是", "v", "V") else ""
    if item.type == "date":
        if isinstance(value, date):
            return value.isoformat()
        try:
            return parse_date(str(value)).isoformat()
        except DateError as exc:
            raise UserError(f"「{item.label}」須為日期：{exc.message}") from None
    if item.type == "number":
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError as exc:
            raise UserError(f"「{item.label}」須為數字。") from exc
        return str(int(number)) if number.is_integer() else str(number)
    if item.type == "choice":
        if str(value) not in (item.choices or []):
            raise UserError(f"「{item.label}」只能選：{'、'.join(item.choices or [])}。")
        return str(value)
    return str(value)[:MAX_TEXT]


def complete_run(session: Session, run_id: int, completed: bool = True) -> None:
    run = session.get(ChecklistRun, run_id)
    if run is None:
        raise UserError(f"找不到編號 {run_id} 的填寫紀錄。")
    run.completed_at = utcnow() if completed else None


def due_runs(session: Session, today: date, within_days: int = DUE_SOON_DAYS) -> list[DueItem]:
    """Open runs overdue or due within ``within_days``, the most urgent first."""
    rows = session.execute(
        select(ChecklistRun)
        .where(ChecklistRun.completed_at.is_(None), ChecklistRun.due_date.is_not(None))
        .order_by(ChecklistRun.due_date)
    ).scalars()
    runs = [
        DueChecklist(run.id, run.title, run.period, run.due_date) for run in rows if run.due_date
    ]
    return due_items(runs, today, within_days)
