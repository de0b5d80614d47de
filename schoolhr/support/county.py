"""The county 人事處's own work in one place: questions the schools could not find answered,
reward claims waiting for a decision, and schools that have not sent a data pack this term.

"This term" is the school semester the day falls in: 8/1–1/31 (the first semester of a school
year) or 2/1–7/31 (the second). A school has sent a pack this term when a data pack it created
within the term has been imported here (the pack's own creation time counts, not the day it was
imported).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolhr.contacts.models import Contact
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import CLAIMED
from schoolhr.store.database import Store
from schoolhr.store.models import Site
from schoolhr.sync.models import Exchange
from schoolhr.text import normalize, roc_date, roc_year

COUNTY_ROLE = "縣市人事處"  # contacts with this role work at the county, not at a school
UNKNOWN_SCHOOL = "（來源不明）"


@dataclass(frozen=True)
class Term:
    """A school semester: ``start`` and ``end`` inclusive."""

    start: date
    end: date

    @property
    def label(self) -> str:
        school_year = roc_year(self.start.year if self.start.month == 8 else self.start.year - 1)
        half = 1 if self.start.month == 8 else 2
        span = f"{roc_date(self.start)}至{roc_date(self.end)}"
        return f"{school_year} 學年度第 {half} 學期（{span}）"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def term_of(day: date) -> Term:
    """The semester ``day`` falls in: 8/1–1/31 or 2/1–7/31."""
    if 2 <= day.month <= 7:
        return Term(date(day.year, 2, 1), date(day.year, 7, 31))
    first = day.year if day.month >= 8 else day.year - 1
    return Term(date(first, 8, 1), date(first + 1, 1, 31))


@dataclass(frozen=True)
class SchoolQuestion:
    id: int
    query: str
    count: int
    school: str
    last_asked_at: datetime


@dataclass(frozen=True)
class SchoolPackStatus:
    """A school known here and the newest data pack it has sent (None: never)."""

    name: str
    site_uuid: str | None
    last_pack_at: datetime | None


@dataclass
class CountyWork:
    today: date
    term: Term
    questions: list[SchoolQuestion]  # unanswered, most asked first
    claims: list[rewards.EntryView]  # waiting for approval, oldest first
    missing_packs: list[SchoolPackStatus]  # no data pack created this term, by name

    def summary(self) -> str:
        return (
            f"未解答問題 {len(self.questions)} 則；待核定積點 {len(self.claims)} 筆；"
            f"本學期尚未送資料包的學校 {len(self.missing_packs)} 所"
        )


def county_work(store: Store, today: date | None = None) -> CountyWork:
    """Gather the county's open work as it stands ``today`` (reads only)."""
    today = today or date.today()
    term = term_of(today)
    with store.read() as session:
        site = session.get(Site, 1)
        own_uuid = site.site_uuid if site else ""
        own_name = site.name if site and site.name else COUNTY_ROLE
        senders = _sender_names(session)
        questions = _questions(session, senders, own_uuid, own_name)
        claims = rewards.list_entries(session, status=CLAIMED)
        missing = [
            school
            for school in _schools(session, own_name)
            if school.last_pack_at is None or _local_day(school.last_pack_at) not in term
        ]
    return CountyWork(today, term, questions, claims, missing)


def _local_day(value: datetime) -> date:
    return value.astimezone().date()


def _sender_names(session: Session) -> dict[str, str]:
    """site uuid -> the name its newest pack gave."""
    rows = session.execute(
        select(Exchange.site_uuid, Exchange.site_name)
        .where(Exchange.direction == "import")
        .order_by(Exchange.at, Exchange.id)
    )
    return {uuid: name for uuid, name in rows if uuid}


def _questions(
    session: Session, senders: dict[str, str], own_uuid: str, own_name: str
) -> list[SchoolQuestion]:
    rows = session.execute(
        select(UnansweredQuestion)
        .where(UnansweredQuestion.answered_entry_id.is_(None))
        .order_by(
            UnansweredQuestion.count.desc(),
            UnansweredQuestion.last_asked_at.desc(),
            UnansweredQuestion.id,
        )
    ).scalars()
    found = []
    for row in rows:
        if row.origin in ("", own_uuid):
            school = own_name
        else:
            school = senders.get(row.origin, UNKNOWN_SCHOOL)
        found.append(SchoolQuestion(row.id, row.query, row.count, school, row.last_asked_at))
    return found


def _schools(session: Session, own_name: str) -> list[SchoolPackStatus]:
    """Every school known here (from the contacts and from the packs received), with the
    creation time of its newest data pack. Names are matched in their normalised form, so
    「範例縣松風國小」 and 「範例縣 松風國小」 are one school."""
    names: dict[str, str] = {}
    for (school,) in session.execute(
        select(Contact.school).where(
            Contact.deleted.is_(False), Contact.school != "", Contact.role != COUNTY_ROLE
        )
    ):
        names.setdefault(normalize(school), school)
    latest: dict[str, tuple[str, datetime]] = {}
    for uuid, name, created in session.execute(
        select(Exchange.site_uuid, Exchange.site_name, Exchange.pack_created_at)
        .where(Exchange.direction == "import", Exchange.kind == "data")
        .order_by(Exchange.pack_created_at, Exchange.id)
    ):
        key = normalize(name) or uuid
        names[key] = name or uuid  # the name the school itself gave wins
        latest[key] = (uuid, created.replace(tzinfo=created.tzinfo or UTC))
    names.pop(normalize(own_name), None)
    statuses = []
    for key, name in names.items():
        sent = latest.get(key)
        statuses.append(
            SchoolPackStatus(name, sent[0] if sent else None, sent[1] if sent else None)
        )
    return sorted(statuses, key=lambda s: (s.name, s.site_uuid or ""))
