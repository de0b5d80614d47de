"""What the clerk's home page lists besides the quick status: claims waiting for a decision and
what has arrived from the county (packs imported, its announcements), newest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schoolhr.store.database import Store
    from schoolhr.sync.service import ExchangeView

HOME_LIST_LIMIT = 3  # lines per list; the pages show them all


@dataclass(frozen=True)
class News:
    published: date
    title: str


@dataclass
class HomeSummary:
    claims_waiting: int = 0  # claims not yet decided by the county
    imports: list[ExchangeView] = field(default_factory=list)  # packs imported, newest first
    news: list[News] = field(default_factory=list)  # the county's announcements, newest first


def home_summary(store: Store, limit: int = HOME_LIST_LIMIT) -> HomeSummary:
    from sqlalchemy import select

    from schoolhr.rewards import service as rewards
    from schoolhr.sync import service as sync
    from schoolhr.sync.models import Announcement

    with store.read() as session:
        claims = len(rewards.list_entries(session, status="claimed"))
        rows = session.execute(
            select(Announcement.published, Announcement.title)
            .where(Announcement.origin != "local")
            .order_by(Announcement.published.desc(), Announcement.id.desc())
            .limit(limit)
        ).all()
    imports = [e for e in sync.history(store, limit=50) if e.direction == "import"][:limit]
    news = [News(date.fromisoformat(published), title) for published, title in rows]
    return HomeSummary(claims, imports, news)
