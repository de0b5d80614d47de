"""Questions the search could not answer, kept for the county help desk.

One row per normalised question (so 「補休 期限？」 and 「補休期限」 count together), with how
often it was asked, the latest wording, and the clerk's note. The help desk marks a question as
answered by an entry once the answer exists.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select

from schoolhr.errors import UserError
from schoolhr.faq.models import FaqEntry, UnansweredQuestion
from schoolhr.json_fields import json_fields
from schoolhr.store.base import utcnow
from schoolhr.store.database import Store
from schoolhr.store.models import Site
from schoolhr.text import normalize

MIN_CHARS = 2  # a single character is typing, not a question
MAX_CHARS = 200
MAX_NOTE = 2000


@dataclass(frozen=True)
class Unanswered:
    id: int
    query: str
    normalized_query: str
    count: int
    note: str
    first_asked_at: datetime
    last_asked_at: datetime
    answered_entry_id: str | None

    def as_dict(self) -> dict[str, object]:
        return json_fields(self, *(field.name for field in fields(self)))


def record_unanswered(store: Store, query: str, note: str = "") -> Unanswered | None:
    """Count one more asking of ``query``; None when it is too short to be a question."""
    key = normalize(query)[:MAX_CHARS]
    if len(key) < MIN_CHARS:
        return None
    note = note.strip()[:MAX_NOTE]
    with store.write() as session:
        row = session.execute(
            select(UnansweredQuestion).where(UnansweredQuestion.normalized_query == key)
        ).scalar_one_or_none()
        now = utcnow()
        if row is None:
            site = session.get(Site, 1)
            row = UnansweredQuestion(
                normalized_query=key,
                query=query.strip()[:MAX_CHARS],
                count=1,
                note=note,
                first_asked_at=now,
                last_asked_at=now,
                origin=site.site_uuid if site else "",
            )
            session.add(row)
        else:
            row.count += 1
            row.query = query.strip()[:MAX_CHARS]
            row.last_asked_at = now
            if note:
                row.note = f"{row.note}\n{note}".strip()[:MAX_NOTE]
            if row.answered_entry_id is not None:  # asked again: the answer did not help
                row.answered_entry_id = None
                row.answered_at = None
        session.flush()
        return _view(row)


def list_unanswered(store: Store, include_answered: bool = False) -> list[Unanswered]:
    """Most asked first, then most recent."""
    with store.read() as session:
        query = select(UnansweredQuestion).order_by(
            UnansweredQuestion.count.desc(), UnansweredQuestion.last_asked_at.desc()
        )
        if not include_answered:
            query = query.where(UnansweredQuestion.answered_entry_id.is_(None))
        return [_view(row) for row in session.execute(query).scalars()]


def mark_answered(store: Store, question_id: int, entry_id: str) -> Unanswered:
    with store.write() as session:
        row = session.get(UnansweredQuestion, question_id)
        if row is None:
            raise UserError(f"找不到編號 {question_id} 的未解答問題。")
        entry = session.get(FaqEntry, entry_id)
        if entry is None or entry.deleted or entry.published_version is None:
            raise UserError(f"找不到已發布的問答「{entry_id}」。")
        row.answered_entry_id = entry_id
        row.answered_at = utcnow()
        session.flush()
        return _view(row)


def _view(row: UnansweredQuestion) -> Unanswered:
    """Each field of the view is the row's column of the same name."""
    return Unanswered(**{field.name: getattr(row, field.name) for field in fields(Unanswered)})
