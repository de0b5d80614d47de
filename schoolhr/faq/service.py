"""FAQ entries: read the published answers, keep edits as versions, index what is published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolhr.faq.models import ORIGIN_LOCAL, FaqEntry, FaqVersion
from schoolhr.faq.schema import FaqEntryData
from schoolhr.search.index import register_document, unregister_document
from schoolhr.store.models import OperationLog
from schoolhr.store.roles import actor, require_county

if TYPE_CHECKING:
    from schoolhr.store.database import Store

KIND = "faq"


@dataclass(frozen=True)
class FaqView:
    """One version of an entry, as shown to a clerk."""

    id: str
    version: int
    title: str
    category: str
    audience: tuple[str, ...]
    keywords: tuple[str, ...]
    sources: tuple[dict[str, str], ...]
    reviewed: date
    needs_review: bool
    body: str
    is_draft: bool = False
    review_note: str | None = None

    def as_data(self) -> FaqEntryData:
        return FaqEntryData(
            id=self.id,
            title=self.title,
            category=self.category,
            audience=list(self.audience),  # type: ignore[arg-type]
            keywords=list(self.keywords),
            sources=[dict(s) for s in self.sources],  # type: ignore[misc]
            reviewed=self.reviewed,
            needs_review=self.needs_review,
            review_note=self.review_note,
            body=self.body,
        )


def _view(version: FaqVersion, is_draft: bool = False) -> FaqView:
    return FaqView(
        id=version.entry_id,
        version=version.version,
        title=version.title,
        category=version.category,
        audience=tuple(version.audience),
        keywords=tuple(version.keywords),
        sources=tuple(version.sources),
        reviewed=version.reviewed,
        needs_review=version.needs_review,
        review_note=version.review_note,
        body=version.body,
        is_draft=is_draft,
    )


def version_of(session: Session, entry_id: str, number: int | None) -> FaqVersion | None:
    if number is None:
        return None
    return session.execute(
        select(FaqVersion).where(FaqVersion.entry_id == entry_id, FaqVersion.version == number)
    ).scalar_one_or_none()


def published(session: Session, entry_id: str) -> FaqView | None:
    entry = session.get(FaqEntry, entry_id)
    if entry is None or entry.deleted:
        return None
    version = version_of(session, entry_id, entry.published_version)
    return _view(version) if version else None


def draft(session: Session, entry_id: str) -> FaqView | None:
    entry = session.get(FaqEntry, entry_id)
    if entry is None or entry.deleted:
        return None
    version = version_of(session, entry_id, entry.draft_version)
    return _view(version, is_draft=True) if version else None


def published_entries(session: Session, category: str | None = None) -> list[FaqView]:
    query = (
        select(FaqVersion)
        .join(FaqEntry, FaqEntry.id == FaqVersion.entry_id)
        .where(FaqEntry.deleted.is_(False), FaqVersion.version == FaqEntry.published_version)
        .order_by(FaqVersion.category, FaqVersion.title)
    )
    if category is not None:
        query = query.where(FaqVersion.category == category)
    return [_view(v) for v in session.execute(query).scalars()]


def published_titles(session: Session, category: str | None = None) -> list[tuple[str, str, str]]:
    """``(id, title, category)`` of the published entries, in the order of
    ``published_entries``: what a list of every entry shows, without reading the answers."""
    query = (
        select(FaqEntry.id, FaqVersion.title, FaqVersion.category)
        .join(FaqEntry, FaqEntry.id == FaqVersion.entry_id)
        .where(FaqEntry.deleted.is_(False), FaqVersion.version == FaqEntry.published_version)
        .order_by(FaqVersion.category, FaqVersion.title)
    )
    if category is not None:
        query = query.where(FaqVersion.category == category)
    return [(entry_id, title, cat) for entry_id, title, cat in session.execute(query)]


def categories(session: Session, order: list[str]) -> list[tuple[str, int]]:
    """(category, number of published entries), in the bundled order, others after."""
    rows = session.execute(
        select(FaqVersion.category, func.count())
        .join(FaqEntry, FaqEntry.id == FaqVersion.entry_id)
        .where(FaqEntry.deleted.is_(False), FaqVersion.version == FaqEntry.published_version)
        .group_by(FaqVersion.category)
    ).all()
    counts = {category: count for category, count in rows}
    position = {name: i for i, name in enumerate(order)}
    ordered = sorted(counts, key=lambda c: (position.get(c, len(order)), c))
    return [(c, counts[c]) for c in ordered]


def add_version(
    session: Session,
    data: FaqEntryData,
    *,
    publish: bool,
    origin: str = ORIGIN_LOCAL,
    author: str = "",
) -> FaqVersion:
    """Store ``data`` as the entry's next version: published at once, or as a draft that leaves
    the published answer in place."""
    entry = session.get(FaqEntry, data.id)
    if entry is None:
        entry = FaqEntry(id=data.id, origin=origin)
        session.add(entry)
        session.flush()
    elif entry.deleted:
        entry.deleted = False
    entry.origin = origin
    last = session.execute(
        select(func.max(FaqVersion.version)).where(FaqVersion.entry_id == data.id)
    ).scalar()
    version = FaqVersion(
        entry_id=data.id,
        version=(last or 0) + 1,
        title=data.title,
        category=data.category,
        audience=list(data.audience),
        keywords=list(data.keywords),
        sources=[s.model_dump(exclude_none=True) for s in data.sources],
        reviewed=data.reviewed,
        needs_review=data.needs_review,
        review_note=data.review_note,
        body=data.body,
        created_by=author,
    )
    session.add(version)
    session.flush()
    if publish:
        entry.published_version = version.version
        entry.draft_version = None
        index_version(session, version)
    else:
        entry.draft_version = version.version
    return version


def remove_entry(session: Session, entry_id: str) -> None:
    """Hide an entry (kept for its history, never deleted) and take it out of the index."""
    entry = session.get(FaqEntry, entry_id)
    if entry is not None:
        entry.deleted = True
        unregister_document(session, KIND, entry_id)


def index_version(session: Session, version: FaqVersion) -> None:
    register_document(
        session,
        kind=KIND,
        ref=version.entry_id,
        title=version.title,
        subtitle=version.category,
        keywords=version.keywords,
        body=version.body,
    )


def same_content(version: FaqVersion, data: FaqEntryData) -> bool:
    return (
        version.title == data.title
        and version.category == data.category
        and list(version.audience) == list(data.audience)
        and list(version.keywords) == list(data.keywords)
        and list(version.sources) == [s.model_dump(exclude_none=True) for s in data.sources]
        and version.reviewed == data.reviewed
        and version.needs_review == data.needs_review
        and version.review_note == data.review_note
        and version.body == data.body
    )


def edit_entry(store: Store, data: FaqEntryData, *, publish: bool) -> FaqVersion:
    """「編輯問答」 (the county): a new version of an answer, published or kept as a draft,
    logged with who wrote it. A school reads the county's answers and cannot change them."""
    with store.write() as session:
        require_county(session, "編輯常見問答")
        who = actor(session)
        version = add_version(session, data, publish=publish, author=who)
        state = "發布" if publish else "存成草稿"
        session.add(
            OperationLog(
                kind="faq-edit",
                summary=f"常見問答「{data.title}」第 {version.version} 版{state}（{who}）",
            )
        )
        session.expunge(version)
    return version
