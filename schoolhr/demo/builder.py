"""Building and resetting the workshop demo profile.

The demo lives in its own data folder, marked as a demo (``schoolhr.demo.marker``), and is
filled through the same services the app uses: the clerks of the fictional 範例縣
(``schoolhr.demo.people``), reward-point claims and decisions, checklist runs (some overdue),
questions the FAQ could not answer, a signed content pack, and, for a school, a data pack sent
to the county. Two profiles can be built:

- ``school`` (default, a clerks' workshop): 範例縣松風國小, with the whole peer-group
  directory, its own clerks' points, its checklists and questions, the county's public key
  trusted and the county's content pack waiting in ``packs/`` to be imported;
- ``county`` (the 人事處's view): the 12 schools' records as if their data packs had been
  imported (each record's origin is its school), claims to approve, peer groups, schools that
  have not sent a pack this term, and the county's key pair to sign content packs with.

Every build from the same ``today`` is the same: random choices come from a seeded generator,
UUIDs from ``uuid5``, and every time stamp from ``today`` (timestamps written by the services are
pinned to 08:00 of ``today``, Taiwan time). Only the packs themselves differ between builds,
because each pack gets a fresh pack id and creation time as every pack must.

The demo never touches the real profile: the folder must not be, contain or lie inside the
real data folder; an existing folder is reused only when it carries the demo marker and its
database has a demo site UUID; and a reset deletes only such a folder's contents (keeping the
log and the display settings, so a trainer's large-text setting survives a reset).

The demo county's signing key is derived from a fixed, published seed so that its fingerprint
is the same in every workshop handout. Its private half is therefore public knowledge: the key
is trusted only inside demo profiles and must never be trusted in a real one. The private key
file of the county demo is protected with the passphrase ``DEMO_PASSPHRASE``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from schoolhr.checklists import service as checklists
from schoolhr.checklists.models import ChecklistRun
from schoolhr.checklists.schema import ChecklistItem
from schoolhr.contacts import service as contacts
from schoolhr.contacts.models import Contact, PeerGroup
from schoolhr.contacts.peer_groups import service as groups
from schoolhr.contacts.records import ContactRecord
from schoolhr.demo import people
from schoolhr.demo.marker import (
    COUNTY_SITE_UUID,
    DEMO_SITE_UUIDS,
    MARKER_NAME,
    STATE_BUILDING,
    STATE_READY,
    demo_uuid,
    marker_values,
    school_site_uuid,
    write_marker,
)
from schoolhr.errors import DataDirError, UserError
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.faq.unanswered import mark_answered, record_unanswered
from schoolhr.files import atomic_path
from schoolhr.paths import (
    DATABASE_NAME,
    ENV_DATA_DIR,
    DataPaths,
    default_data_dir,
    prepare_data_dir,
)
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import APPROVED, CLAIMED, RewardEntry
from schoolhr.site import SiteRole
from schoolhr.startup import open_profile
from schoolhr.store.base import Base, UTCDateTime
from schoolhr.store.database import Store, update_site
from schoolhr.store.models import Site
from schoolhr.store.sqlite_files import open_readonly
from schoolhr.support.county import term_of
from schoolhr.sync import service as sync
from schoolhr.sync.models import Announcement, Exchange
from schoolhr.text import roc_year

log = logging.getLogger(__name__)

TAIPEI = timezone(timedelta(hours=8))
ROLES = ("school", "county")
DEMO_PASSPHRASE = "fanli-demo-2024"  # for keys/county-private.pem of the county demo
KEY_SEED = "schoolhr 範例縣 demo county key: public on purpose, never trust it in a real profile"
KEEP_ON_RESET = frozenset({"logs", "schoolhr.lock", "settings.ini"})
CONTENT_PACK = "範例縣內容包.zip"
ANNOUNCEMENT_TITLE = "【示範】範例縣兼任人事研習報名"
ANNOUNCEMENT_BODY = (
    "這是示範用的最新消息：匯入內容包後，首頁會顯示一次。範例縣是虛構的縣市，本則消息僅供練習。"
)
OWN_SCHOOL = 1  # the school demo is 範例縣松風國小

# Time stamps the builder sets itself; every other time stamp is pinned to the demo clock.
EXPLICIT_TIMES = frozenset(
    {
        ("faq_unanswered", "first_asked_at"),
        ("faq_unanswered", "last_asked_at"),
        ("faq_unanswered", "answered_at"),
        ("faq_unanswered", "updated_at"),
        ("reward_entry", "created_at"),
        ("reward_entry", "updated_at"),
        ("checklist_run", "created_at"),
        ("checklist_run", "updated_at"),
        ("checklist_run", "completed_at"),
        ("sync_exchange", "at"),
        ("sync_exchange", "pack_created_at"),
    }
)


@dataclass(frozen=True)
class DemoResult:
    root: Path
    role: str
    site_name: str
    today: date
    replaced: bool  # an earlier demo in the folder was reset
    schools: int
    contacts: int
    entries: int
    claims: int  # entries waiting for the county's decision
    runs: int
    overdue: int  # open checklist runs past their due date
    questions: int  # unanswered
    content_pack: Path
    data_pack: Path | None
    public_key: Path
    private_key: Path | None  # the county demo's signing key (passphrase DEMO_PASSPHRASE)

    def summary(self) -> str:
        role = SiteRole(self.role).label
        return (
            f"已{'重設' if self.replaced else '建立'}示範資料（{self.site_name}，{role}）："
            f"{self.schools} 所學校、{self.contacts} 位聯絡人、{self.entries} 筆積點"
            f"（{self.claims} 筆待核定）、{self.runs} 份檢核表（{self.overdue} 份逾期）、"
            f"{self.questions} 則未解答問題。"
        )


def build_demo(
    paths: DataPaths,
    *,
    reset: bool,
    today: date | None = None,
    role: str | None = None,
    protect: Iterable[Path] = (),
) -> DemoResult:
    """Create the demo profile in ``paths.root`` (or, with ``reset``, replace the demo already
    there). ``role`` is "school" or "county"; None keeps the role of the demo being reset
    ("school" for a new one). ``protect`` names real profiles the demo must keep away from,
    besides the platform's default data folder and ``SCHOOLHR_DATA_DIR`` (unless that is a
    demo itself). Raises ``DataDirError`` (nothing deleted) for a folder that is not a demo,
    and when a demo exists and ``reset`` is false."""
    real_today = date.today()
    today = today or real_today
    if today > real_today:
        raise UserError(f"示範資料的日期 {today.isoformat()} 晚於今天；請用今天或更早的日期。")
    root = Path(paths.root).expanduser().resolve()
    existing = check_demo_folder(root, protect)
    if role is None:
        role = (existing or {}).get("role", "school")
    if role not in ROLES:
        raise UserError("示範資料的角色只能是 school（學校）或 county（縣市人事處）。")
    replaced = False
    if existing is not None:
        if existing.get("state") == STATE_READY and not reset:
            raise DataDirError(
                f"「{root}」已有示範資料；要重設為初始狀態，請加上 --reset 再執行一次。"
            )
        clear_demo_folder(root)
        replaced = True
    demo_paths = prepare_data_dir(root)
    values = {"state": STATE_BUILDING, "role": role, "today": today.isoformat()}
    write_marker(root, values)
    result = _Builder(demo_paths, role, today, replaced).run()
    values["state"] = STATE_READY
    if result.private_key is not None:
        values["passphrase"] = DEMO_PASSPHRASE
    write_marker(root, values)
    log.info("demo profile built in %s (%s, %s)", root, role, today.isoformat())
    return result


# -- the folder ----------------------------------------------------------------------------


def _protected(extra: Iterable[Path]) -> list[Path]:
    """Real profiles: the platform's default folder always; the others unless marked demo."""
    found = [default_data_dir().expanduser().resolve()]
    candidates = list(extra)
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        candidates.append(Path(env))
    for folder in candidates:
        resolved = folder.expanduser().resolve()
        if not (resolved / MARKER_NAME).is_file():
            found.append(resolved)
    return found


def check_demo_folder(root: Path, protect: Iterable[Path] = ()) -> dict[str, str] | None:
    """The marker of the demo in ``root`` (None when ``root`` is missing or holds no data, so
    a demo can be built there); raises ``DataDirError`` when ``root`` is or touches a real profile
    or holds anything that is not a demo."""
    for real in _protected(protect):
        if root == real:
            where = "是正式資料夾（真實資料）"
        elif real in root.parents:
            where = f"位於正式資料夾「{real}」裡面"
        elif root in real.parents:
            where = f"裡面有正式資料夾「{real}」"
        else:
            continue
        raise DataDirError(f"「{root}」{where}；示範資料必須放在另一個資料夾，以免影響真實資料。")
    if not root.exists():
        return None
    if not root.is_dir():
        raise DataDirError(f"「{root}」是一個檔案，不是資料夾；請改用其他路徑。")
    if not (root / MARKER_NAME).is_file():
        if not _only_skeleton(root):
            raise DataDirError(
                f"「{root}」不是示範資料夾（沒有示範標記），裡面已有其他檔案；為避免刪除真實資料，"
                "已停止。請改用空的或新的資料夾。"
            )
        return None
    values = marker_values(root)
    site_uuid = _site_uuid(root / DATABASE_NAME)
    # A build that stopped before the site got its demo UUID is still marked "building".
    foreign = site_uuid is not None and site_uuid not in DEMO_SITE_UUIDS
    if foreign and values.get("state") != STATE_BUILDING:
        raise DataDirError(
            f"「{root}」有示範標記，但其中的資料庫不是示範資料；為避免刪除真實資料，已停止。"
        )
    return values


def _only_skeleton(root: Path) -> bool:
    """Whether ``root`` holds nothing but what ``prepare_data_dir`` makes: ``logs/`` (never
    deleted by the demo) and an empty ``backups/``; there is no data to lose there."""
    for entry in root.iterdir():
        if entry.name == "logs" and entry.is_dir():
            continue
        if entry.name == "backups" and entry.is_dir() and not any(entry.iterdir()):
            continue
        return False
    return True


def _site_uuid(database: Path) -> str | None:
    """The site UUID of a database (None when there is none or it cannot be read)."""
    if not database.is_file():
        return None
    # Without a write-ahead log the file holds everything; reading it as immutable then leaves
    # no -wal/-shm files behind in a folder that may turn out not to be ours.
    settled = not database.with_name(database.name + "-wal").exists()
    try:
        with open_readonly(database, immutable=settled) as connection:
            row = connection.execute("SELECT site_uuid FROM site WHERE id = 1").fetchone()
    except (sqlite3.DatabaseError, UserError):
        return None
    return str(row[0]) if row else None


def clear_demo_folder(root: Path) -> None:
    """Delete a checked demo folder's contents except the log and the display settings. The
    database goes first: if it is open (the app is running on the demo), nothing is removed."""
    _refuse_if_running(root)
    database = root / DATABASE_NAME
    try:
        for suffix in ("", "-wal", "-shm", "-journal"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"無法刪除示範資料庫（{exc.strerror or exc}）；請先關閉開著示範資料的程式視窗再重設。"
        ) from exc
    for entry in sorted(root.iterdir()):
        if entry.name in KEEP_ON_RESET:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _refuse_if_running(root: Path) -> None:
    """The app's lock file names the process holding the profile (Qt's QLockFile: its first
    line is the process id). A live process other than this one means the demo is open."""
    try:
        first = (root / "schoolhr.lock").read_text(encoding="utf-8", errors="replace")
        pid = int(first.split()[0])
    except (OSError, ValueError, IndexError):
        return
    if pid != os.getpid() and _process_alive(pid):
        raise DataDirError("示範資料正在使用中（程式視窗開著）；請先關閉該視窗再重設。")


def _process_alive(pid: int) -> bool:
    if os.name == "nt":
        # os.kill would end the process on Windows. There, deleting an open database fails,
        # and clear_demo_folder deletes the database first, so nothing is lost either way.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the county's key ---------------------------------------------------------------------


def demo_site_key(role: str) -> Ed25519PrivateKey:
    """The demo school's own site key (it signs its data pack), the same in every build."""
    seed = hashlib.sha256(f"{KEY_SEED}:site:{role}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def demo_county_key() -> Ed25519PrivateKey:
    """The demo county's signing key, the same in every build (see the module docstring)."""
    seed = hashlib.sha256(KEY_SEED.encode("utf-8")).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def _keep_site_key(paths: DataPaths, role: str) -> None:
    from schoolhr.sync import signing

    signing.write_site_key(paths, demo_site_key(role))


def _write_keys(folder: Path, with_private: bool) -> tuple[Path, Path | None]:
    from schoolhr.sync import signing

    folder.mkdir(parents=True, exist_ok=True)
    key = demo_county_key()
    public = folder / "county.pub.pem"
    public.write_bytes(signing.public_pem(key.public_key()))
    if not with_private:
        return public, None
    private = folder / "county-private.pem"
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(DEMO_PASSPHRASE.encode("utf-8")),
    )
    with atomic_path(private, private=True) as partial:
        partial.write_bytes(pem)
    return public, private


# -- the build ----------------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour``:``minute`` Taiwan time, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), TAIPEI).astimezone(UTC)


class _Builder:
    """One build. Each part draws from its own seeded generator, so changing one part (say,
    more questions) leaves the others as they were."""

    def __init__(self, paths: DataPaths, role: str, today: date, replaced: bool) -> None:
        self.paths = paths
        self.role = role
        self.today = today
        self.replaced = replaced
        self.clock = _at(today, 8)  # every time stamp the services wrote becomes this
        self.schools = people.schools()
        self.clerks = people.clerks()
        self.county = role == "county"
        self.site_uuid = COUNTY_SITE_UUID if self.county else school_site_uuid(OWN_SCHOOL)
        self.site_name = people.COUNTY_OFFICE if self.county else self.schools[0].name
        self.contact_ids: dict[int, int] = {}  # clerk number -> contact id
        self.reward_count = 0

    def run(self) -> DemoResult:
        packs = self.paths.root / "packs"
        public, private = _write_keys(self.paths.root / "keys", with_private=self.county)
        store = open_profile(self.paths)
        try:
            self._identify(store)
            self._contacts(store)
            self._rewards(store)
            self._checklists(store)
            self._questions(store)
            if self.county:
                self._peer_groups(store)
                self._imports(store)
                self._announcement(store)
                content_pack = self._content_pack(store, packs)
                data_pack = None
            else:
                sync.trust_key(store, public, name=people.COUNTY_OFFICE)
                content_pack = self._county_content_pack(packs)
                _pin_timestamps(store, self.clock)  # first, so the data pack carries them
                data_pack = packs / f"{self.site_name}資料包.zip"
                _keep_site_key(self.paths, self.role)  # the same in every build
                sync.export_pack(store, "data", data_pack)
                self._exchange_time(store, "data", _at(self.today - timedelta(days=2), 16))
            _pin_timestamps(store, self.clock)
            return self._result(store, content_pack, data_pack, public, private)
        finally:
            store.close()

    # -- who this site is

    def _identify(self, store: Store) -> None:
        with store.write() as session:
            site = session.get(Site, 1)
            assert site is not None
            site.site_uuid = self.site_uuid
        role = SiteRole.COUNTY.value if self.county else SiteRole.SCHOOL.value
        update_site(store, name=self.site_name, role=role)

    # -- the peer-group directory

    def _contacts(self, store: Store) -> None:
        consent = people.consent_day(self.today)
        with store.write() as session:
            for clerk in self.clerks:
                record = ContactRecord(
                    name=clerk.name,
                    school=clerk.school.name,
                    region=clerk.school.region,
                    role=clerk.role,
                    duties=list(clerk.duties),
                    years=clerk.years,
                    office_phone=clerk.office_phone,
                    mobile=clerk.mobile,
                    email=clerk.email,
                    notes="示範用的虛構人物",
                    consent_date=consent if clerk.consent else None,
                    consent_scope="小群組聯絡、研習通知" if clerk.consent else "",
                )
                # The same people with the same UUIDs in both demos, so a school demo's data
                # pack imported into a county demo finds them unchanged.
                origin = school_site_uuid(clerk.school.number)
                contact_id = contacts.save_contact(session, record, origin=origin)
                row = session.get(Contact, contact_id)
                assert row is not None
                row.uuid = demo_uuid("contact", clerk.number)
                self.contact_ids[clerk.number] = contact_id

    # -- the points ledger

    def _rewards(self, store: Store) -> None:
        chosen = [c for c in self.clerks if self.county or c.school.number == OWN_SCHOOL]
        rng = random.Random(people.SEED + 2)
        with store.write() as session:
            kinds = rewards.current_rules(session).kinds
            approved: list[int] = []
            for clerk in chosen:
                origin = school_site_uuid(clerk.school.number) if self.county else self.site_uuid
                recorded_by = clerk.school.name
                for _ in range(rng.randint(1, 3) + (0 if self.county else 1)):
                    kind = rng.choice(kinds)
                    on = self.today - timedelta(days=rng.randint(3, 400))
                    entry = rewards.add_entry(
                        session,
                        self.contact_ids[clerk.number],
                        kind.id,
                        on,
                        f"{kind.label}（示範資料）",
                        recorded_by=recorded_by,
                        origin=origin,
                        today=self.today,
                    )
                    decided = self._decide(session, entry.id, on, rng)
                    if decided == APPROVED:
                        approved.append(entry.id)
            if self.county and approved:
                self._reverse(session, approved[0])

    def _decide(self, session: Session, entry_id: int, on: date, rng: random.Random) -> str:
        """Entries older than six weeks have been decided by the county (one in twelve
        rejected); newer ones still wait."""
        self.reward_count += 1
        row = session.get(RewardEntry, entry_id)
        assert row is not None
        row.uuid = demo_uuid("reward", f"{self.role}-{self.reward_count}")
        recorded = min(on + timedelta(days=rng.randint(0, 3)), self.today)
        status = CLAIMED
        decided_on = recorded
        if (self.today - on).days > 42:
            decided_on = min(recorded + timedelta(days=rng.randint(7, 30)), self.today)
            if rng.randrange(12) == 0:
                reason = "佐證不足，請補附資料後重新登錄（示範資料）"
                rewards.reject(session, [entry_id], reason, people.COUNTY_OFFICE, decided_on)
                status = "rejected"
            else:
                reason = "符合積點規則，准予核定（示範資料）"
                rewards.approve(session, [entry_id], reason, people.COUNTY_OFFICE, decided_on)
                status = APPROVED
        row.created_at = _at(recorded, 10, rng.randrange(60))
        row.updated_at = _at(decided_on, 15) if status != CLAIMED else row.created_at
        return status

    def _reverse(self, session: Session, entry_id: int) -> None:
        original = session.get(RewardEntry, entry_id)
        assert original is not None
        on = min((original.decision_date or self.today) + timedelta(days=5), self.today)
        entry = rewards.reverse(
            session,
            entry_id,
            "重複登錄，沖銷更正（示範資料）",
            people.COUNTY_OFFICE,
            approve_now=True,
            origin=self.site_uuid,
            today=on,
        )
        self.reward_count += 1
        row = session.get(RewardEntry, entry.id)
        assert row is not None
        row.uuid = demo_uuid("reward", f"{self.role}-{self.reward_count}")
        row.created_at = row.updated_at = _at(on, 11)

    # -- checklists

    def _checklists(self, store: Store) -> None:
        year = roc_year(self.today.year)
        school_year = roc_year(self.today.year if self.today.month >= 8 else self.today.year - 1)
        newcomers = people.newcomer_names()
        # (template, days from today to the deadline, period, person, items answered, done)
        plan: list[tuple[str, int, str, str, int, bool]] = [
            ("comp-leave-expiry-follow-up", -12, f"{year}年度", "", 2, False),
            ("onboarding-new-staff", -3, "到職", newcomers[0], 3, False),
            ("year-end-bonus-prep", 9, f"{year}年度", "", 1, False),
            ("evaluation-season", 24, f"{year}年度", "", 0, False),
            ("travel-card-school-year", 50, f"{school_year}學年度", "", 0, False),
            ("leaving-staff", -20, "離職", newcomers[1], 99, True),
        ]
        rng = random.Random(people.SEED + 3)
        with store.write() as session:
            available = {t.id for t in checklists.templates(session)}
            count = 0
            if self.county:
                plan = [p for p in plan if not p[3]][:3]
            for template_id, days, period, person, answered, done in plan:
                if template_id in available:
                    count += 1
                    self._run(session, count, template_id, days, period, person, answered, done)
            if self.county and "parttime-hr-annual-calendar" in available:
                for school in self.schools:
                    count += 1
                    origin = school_site_uuid(school.number)
                    self._run(
                        session,
                        count,
                        "parttime-hr-annual-calendar",
                        rng.randint(-20, 40),
                        f"{year}年度・{school.name}",
                        "",
                        rng.randint(0, 6),
                        False,
                        origin,
                    )

    def _run(
        self,
        session: Session,
        number: int,
        template_id: str,
        days: int,
        period: str,
        person: str,
        answered: int,
        done: bool,
        origin: str = "",
    ) -> None:
        due = self.today + timedelta(days=days)
        view = checklists.start_run(
            session,
            template_id,
            period=period,
            person=person,
            due_date=due,
            today=self.today,
            origin=origin or self.site_uuid,
        )
        for item in view.template.items()[:answered]:
            checklists.set_answer(session, view.id, item.id, _sample_answer(item, self.today))
        if done:
            checklists.complete_run(session, view.id)
        row = session.get(ChecklistRun, view.id)
        assert row is not None
        started = min(due - timedelta(days=30), self.today - timedelta(days=1))
        row.uuid = demo_uuid("run", f"{self.role}-{number}")
        row.created_at = _at(started, 9)
        finished = min(due - timedelta(days=2), self.today)
        row.completed_at = _at(finished, 16) if done else None
        row.updated_at = row.completed_at or _at(self.today - timedelta(days=1), 17)

    # -- questions the FAQ could not answer

    def _questions(self, store: Store) -> None:
        rng = random.Random(people.SEED + 4)
        chosen = people.QUESTIONS if self.county else people.QUESTIONS[:6]
        for index, query in enumerate(chosen):
            viewed = record_unanswered(store, query)
            assert viewed is not None
            school = self.schools[index % 10] if self.county else self.schools[0]
            first = self.today - timedelta(days=rng.randint(5, 80))
            last = first + timedelta(days=rng.randint(0, (self.today - first).days))
            with store.write() as session:
                row = session.get(UnansweredQuestion, viewed.id)
                assert row is not None
                row.uuid = demo_uuid("question", f"{self.role}-{index + 1}")
                row.origin = school_site_uuid(school.number)
                row.count = rng.randint(1, 6)
                row.first_asked_at = _at(first, 10, rng.randrange(60))
                row.last_asked_at = row.updated_at = _at(last, 14, rng.randrange(60))
        if self.county:
            self._answer_some(store, chosen[:2])

    def _answer_some(self, store: Store, queries: Sequence[str]) -> None:
        """The county has answered two questions with the FAQ entry the search finds best."""
        from schoolhr.search.engine import Searcher

        searcher = Searcher(store.engine)
        with store.read() as session:
            ids = dict(
                session.execute(
                    select(UnansweredQuestion.query, UnansweredQuestion.id).where(
                        UnansweredQuestion.query.in_(list(queries))
                    )
                ).all()
            )
        for query in queries:
            hits = searcher.search(query, limit=1, kinds=("faq",)).hits
            if not hits:
                continue
            mark_answered(store, ids[query], hits[0].ref)
            with store.write() as session:
                row = session.get(UnansweredQuestion, ids[query])
                assert row is not None
                row.answered_at = row.updated_at = _at(self.today - timedelta(days=1), 11)

    # -- the county's own work

    def _peer_groups(self, store: Store) -> None:
        with store.write() as session:
            groups.build_and_save(session, 7, 9, people.SEED)
            for number, group in enumerate(
                session.scalars(select(PeerGroup).order_by(PeerGroup.id))
            ):
                group.uuid = demo_uuid("group", number + 1)

    def _imports(self, store: Store) -> None:
        """Eight schools sent a data pack this term, two only last term, two never."""
        rng = random.Random(people.SEED + 5)
        term = term_of(self.today)
        previous = term_of(term.start - timedelta(days=1))
        with store.write() as session:
            for school in self.schools:
                if school.number > 10:
                    continue
                window = term if school.number <= 8 else previous
                last_day = min(window.end, self.today - timedelta(days=1))
                if last_day < window.start:  # the first day of a term: sent this morning
                    created = _at(self.today, 6, rng.randrange(60))
                else:
                    day = window.start + timedelta(
                        days=rng.randint(0, (last_day - window.start).days)
                    )
                    created = _at(day, 9 + rng.randrange(8), rng.randrange(60))
                imported = created + timedelta(hours=1)
                adds = rng.randint(3, 20)
                session.add(
                    Exchange(
                        at=imported,
                        direction="import",
                        kind="data",
                        pack_id=demo_uuid("pack", school.number),
                        site_uuid=school_site_uuid(school.number),
                        site_name=school.name,
                        pack_created_at=created,
                        file_name=f"{school.name}資料包.zip",
                        summary=f"已新增 {adds} 筆、更新 0 筆、衝突 0 筆",
                        counts={"adds": adds, "updates": 0, "conflicts": 0, "removes": 0},
                    )
                )

    def _announcement(self, store: Store) -> None:
        published = (self.today - timedelta(days=1)).isoformat()
        sync.add_announcement(store, ANNOUNCEMENT_TITLE, ANNOUNCEMENT_BODY, published)
        with store.write() as session:
            row = session.scalars(select(Announcement).order_by(Announcement.id.desc())).first()
            assert row is not None
            row.uuid = demo_uuid("announcement", 1)

    def _content_pack(self, store: Store, packs: Path) -> Path:
        target = packs / CONTENT_PACK
        sync.export_pack(
            store, "content", target, private_key=demo_county_key(), title="範例縣內容包（示範）"
        )
        self._exchange_time(store, "content", _at(self.today - timedelta(days=1), 16))
        return target

    def _county_content_pack(self, packs: Path) -> Path:
        """The school's county publishes a content pack: built in a short-lived county profile
        outside the demo folder, so the school's own history shows no export it did not do."""
        with tempfile.TemporaryDirectory(prefix="schoolhr-demo-county-") as scratch:
            county = _Builder(prepare_data_dir(Path(scratch)), "county", self.today, False)
            store = open_profile(county.paths)
            try:
                county._identify(store)
                county._announcement(store)
                _pin_timestamps(store, county.clock)
                return county._content_pack(store, packs)
            finally:
                store.close()

    def _exchange_time(self, store: Store, kind: str, at: datetime) -> None:
        with store.write() as session:
            row = session.scalars(
                select(Exchange)
                .where(Exchange.direction == "export", Exchange.kind == kind)
                .order_by(Exchange.id.desc())
            ).first()
            assert row is not None
            row.at = at

    # -- the outcome

    def _result(
        self,
        store: Store,
        content_pack: Path,
        data_pack: Path | None,
        public: Path,
        private: Path | None,
    ) -> DemoResult:
        with store.read() as session:
            contacts_count = session.scalar(select(func.count(Contact.id))) or 0
            entries = session.scalar(select(func.count(RewardEntry.id))) or 0
            claims = (
                session.scalar(
                    select(func.count(RewardEntry.id)).where(RewardEntry.status == CLAIMED)
                )
                or 0
            )
            runs = session.scalar(select(func.count(ChecklistRun.id))) or 0
            overdue = (
                session.scalar(
                    select(func.count(ChecklistRun.id)).where(
                        ChecklistRun.completed_at.is_(None), ChecklistRun.due_date < self.today
                    )
                )
                or 0
            )
            questions = (
                session.scalar(
                    select(func.count(UnansweredQuestion.id)).where(
                        UnansweredQuestion.answered_entry_id.is_(None)
                    )
                )
                or 0
            )
        return DemoResult(
            root=self.paths.root,
            role=self.role,
            site_name=self.site_name,
            today=self.today,
            replaced=self.replaced,
            schools=len(self.schools),
            contacts=contacts_count,
            entries=entries,
            claims=claims,
            runs=runs,
            overdue=overdue,
            questions=questions,
            content_pack=content_pack,
            data_pack=data_pack,
            public_key=public,
            private_key=private,
        )


def _sample_answer(item: ChecklistItem, today: date) -> str | bool | date:
    """A plausible answer of the item's type."""
    if item.type == "check":
        return True
    if item.type == "date":
        return today - timedelta(days=7)
    if item.type == "number":
        return "1"
    if item.type == "choice":
        return (item.choices or [""])[0]
    return "已完成（示範資料）"


def _pin_timestamps(store: Store, clock: datetime) -> None:
    """Set every time stamp the services wrote with the real clock to the demo clock, so that
    two builds from the same day are identical (see ``EXPLICIT_TIMES`` for the ones kept)."""
    import schoolhr.store.all_models  # noqa: F401  (every table in Base.metadata)

    with store.write() as session:
        for table in Base.metadata.sorted_tables:
            # Columns with onupdate are set to themselves, or the UPDATE would restamp them.
            untouched = {c.name: c for c in table.columns if c.onupdate is not None}
            for column in table.columns:
                if not isinstance(column.type, UTCDateTime):
                    continue
                if (table.name, column.name) in EXPLICIT_TIMES:
                    continue
                values: dict[str, object] = dict(untouched)
                values[column.name] = clock
                session.execute(update(table).where(column.is_not(None)).values(values))
