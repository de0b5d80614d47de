"""Round trips, with the text that breaks naive code (CJK beyond the BMP, line breaks of every
kind, leading zeros, formula-looking text, quotes, OOXML escape look-alikes): what goes out
comes back exactly, a second import changes nothing, and packs merge the same in any order.

- contacts: saved, exported by the service (xlsx, CSV, vCard), read back: the same people;
  imported again: no new person and no difference to merge.
- data packs, every record type (contacts, ledger entries, adjustments, unanswered questions,
  checklist runs with answers), the way authority lets them travel (each school signs its own
  pack with its site key; the county signs its pack back with a county key the school
  trusts): a school's records reach the county exactly (import(export(x)) == x); three
  schools' packs imported in two orders give the county the same records; the county's
  decisions and adjustments reach each school exactly; the school's next pack, carrying them
  back, changes nothing; re-import is refused and changes nothing.
- content packs (FAQ entries, announcements): the school publishes exactly what the county
  sent; the next version with the same content changes nothing.

tests/contacts/test_formats.py and tests/sync/test_properties.py keep their own narrower round
trips; these add the hostile text, the service path and three-site merges.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import select

from schoolhr.checklists import service as checklists
from schoolhr.checklists.schema import ChecklistTemplate
from schoolhr.contacts import service as contacts
from schoolhr.contacts.formats import FormatName
from schoolhr.contacts.models import Contact
from schoolhr.contacts.records import FIELD_LABELS, ROLES, ContactError, ContactRecord, validate
from schoolhr.errors import UserError
from schoolhr.faq import service as faq
from schoolhr.paths import prepare_data_dir
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import RewardEntry
from schoolhr.store.database import Store, open_store, update_site
from schoolhr.store.models import Site
from schoolhr.sync import data
from schoolhr.sync import service as sync
from schoolhr.sync.models import Announcement
from tests.data.hostile.make_hostile import contact_record, write_pack
from tests.reliability.support import (
    SEED,
    Figures,
    content_digest,
    examples,
    make_county,
    new_site_identity,
)

SETTINGS = settings(
    deadline=None,
    database=None,
    # Each example opens several databases: shrinking a failure would take minutes, so it is
    # reported as found (the seed reproduces it).
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HARD = [
    "王",
    "小",
    "𡒊",
    "堃",
    "喆",
    "臺",
    "台",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "\t",
    ",",
    ";",
    ":",
    '"',
    "'",
    "\\",
    "=",
    "+",
    "-",
    "@",
    "_x0041_",
    "0",
    "007",
    " ",
    "\u3000",
    "a",
    "Z",
    "<b>",
    "&amp;",
]
HARD_TEXT = st.lists(st.sampled_from(HARD), max_size=8).map("".join)
ONE_LINE = HARD_TEXT.map(lambda text: " ".join(text.split()))
PACK_TEXT = HARD_TEXT
PACK_LINE = PACK_TEXT.map(lambda text: " ".join(text.split()))
# FAQ text keeps to the Markdown allow-list (no HTML): a tag is written full-width
FAQ_TEXT = PACK_TEXT.map(lambda text: text.replace("<", "＜"))
FAQ_LINE = PACK_LINE.map(lambda text: text.replace("<", "＜"))
FORMULA = st.sampled_from(["=1+1", "+886912345678", "-3", "@SUM(A1)", "'=x", "=cmd|' /C calc'!A0"])

CHECKLIST = ChecklistTemplate.model_validate(
    {
        "id": "round-trip",
        "title": "來回測試表",
        "purpose": "測試資料包來回。",
        "audience": ["兼任人事"],
        "sources": [{"name": "測試用"}],
        "reviewed": "2026-01-05",
        "period": "次",
        "sections": [
            {
                "id": "main",
                "title": "項目",
                "items": [
                    {"id": "done", "label": "完成"},
                    {"id": "remark", "label": "說明", "type": "text"},
                ],
            }
        ],
    }
)


@pytest.fixture(scope="module")
def base(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template database with the checklist that runs in data packs refer to."""
    root = tmp_path_factory.mktemp("round-trip") / "data"
    paths = prepare_data_dir(root)
    shutil.copyfile(template_db, paths.database)
    store = open_store(paths, daily_backup=False)
    try:
        with store.write() as session:
            checklists.install_templates(session, [CHECKLIST], "bundled")
    finally:
        store.close()
    return paths.database


@contextmanager
def fresh(
    template: Path, *, county: bool = False, site: tuple[str, str] | None = None
) -> Iterator[Store]:
    """A new profile holding a copy of ``template`` with its own site identity (the UUID and
    name ``site``, else a new UUID): a school trusting the run's county key, or with
    ``county`` the county HR office (role and reward rules)."""
    folder = Path(tempfile.mkdtemp(prefix="schoolhr-rt-"))
    try:
        paths = prepare_data_dir(folder)
        shutil.copyfile(template, paths.database)
        store = open_store(paths, daily_backup=False)
        try:
            if site is None:
                new_site_identity(store)
            else:
                new_site_identity(store, site[0])
                update_site(store, name=site[1])
            if county:
                make_county(store)
            yield store
        finally:
            store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def describe(examples_run: dict[str, int]) -> str | None:
    if not examples_run:
        return None
    return (
        "round trips: "
        + "; ".join(f"{what} {n} examples" for what, n in examples_run.items())
        + ": import(export(x)) == x (a school's data to the county and the county's decisions "
        "back), re-import changes nothing (a data pack again is refused), merge order does not "
        "matter"
    )


@pytest.fixture(scope="session")
def examples_run(figures: Figures) -> dict[str, int]:
    """Examples that went through, per round trip: one line of the figures."""
    return figures.tally("round trips", dict[str, int], describe)


def count(examples_run: dict[str, int], name: str) -> None:
    examples_run[name] = examples_run.get(name, 0) + 1


# ------------------------------------------------------------------------------------ contacts


@st.composite
def contact_records(draw: st.DrawFn) -> ContactRecord:
    record = ContactRecord(
        name=draw(st.one_of(ONE_LINE, FORMULA)),
        school=draw(st.one_of(ONE_LINE, FORMULA)),
        region=draw(ONE_LINE),
        role=draw(st.sampled_from(["", *ROLES])),
        duties=draw(st.lists(ONE_LINE, max_size=3)),
        years=draw(st.none() | st.integers(0, 60)),
        office_phone=draw(st.sampled_from(["", "02-2397-9108#12", "(049)2345678轉12"])),
        mobile=draw(st.sampled_from(["", "0912-345-678", "+886 966 000 111"])),
        email=draw(st.sampled_from(["", "a.b@school.tw", "x+y@mail.tyc.edu.tw"])),
        line_id=draw(st.one_of(ONE_LINE, st.text("0123456789", min_size=1, max_size=6))),
        notes=draw(st.one_of(HARD_TEXT, FORMULA)),
        consent_date=draw(st.none() | st.dates(date(2015, 1, 1), date(2026, 1, 1))),
        consent_scope=draw(st.one_of(ONE_LINE, st.sampled_from(["0012", "007"]))),
    )
    try:
        return validate(record)
    except ContactError:
        assume(False)
        raise


def _identity(record: ContactRecord) -> tuple[str, ...]:
    return (record.email, record.mobile, record.office_phone, record.name, record.school)


@pytest.mark.parametrize("fmt", contacts.FORMATS)
@seed(SEED)
@settings(SETTINGS, max_examples=examples(5))
@given(people=st.lists(contact_records(), min_size=1, max_size=4))
def test_contacts_exported_and_imported_again_are_the_same_people(
    base: Path,
    examples_run: dict[str, int],
    fmt: FormatName,
    people: list[ContactRecord],
) -> None:
    # Two people the import would take for one (same e-mail, phone, or name and school) are
    # one person to it by design; the property is about distinct people.
    for key in range(3):
        values = [_identity(p)[key] for p in people if _identity(p)[key]]
        assume(len(values) == len(set(values)))
    assume(len({(p.name, p.school) for p in people}) == len(people))
    with fresh(base) as store:
        with store.write() as session:
            for person in people:
                contacts.save_contact(session, person)
            stored = [view.record for view in contacts.list_contacts(session)]
        target = store.paths.root / f"out.{fmt}"
        contacts.export_contacts(store, None, list(FIELD_LABELS), "來回測試", fmt, target, True)
        read = contacts.read_import_file(target)
        assert read.rejected == []
        assert [row.record for row in read.rows] == stored
        with store.read() as session:
            plan = contacts.plan_import(session, read.rows, read.rejected)
        assert plan.adds == [] and all(d.differences == [] for d in plan.duplicates)
        contacts.apply_import(store, plan, merge_duplicates=True)
        with store.read() as session:
            assert [view.record for view in contacts.list_contacts(session)] == stored
            assert session.scalars(select(Contact.id)).all().__len__() == len(people)
    count(examples_run, f"contacts via {fmt}")


# ------------------------------------------------------------------------------------ data packs

BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
STAMPS = st.integers(0, 1_000_000).map(lambda s: (BASE_TIME + timedelta(seconds=s)).isoformat())
DECIDED_ON = date(2026, 2, 15)
DECIDED_AT = BASE_TIME + timedelta(seconds=2_000_000)  # after every school's own change
SCHOOLS = [
    (str(uuid.uuid5(uuid.NAMESPACE_URL, f"schoolhr-round-trip/{name}")), name)
    for name in ("甲校", "乙校", "丙校")
]
DECISIONS = st.sampled_from(["claimed", "approved", "rejected"])


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class School:
    """One school's own records (as a data pack carries them), and what the county will do
    with them: decide each claim (``decisions``: entry uuid -> status and reason; "claimed"
    is left undecided) and adjust proposals (``adjustments``: contact uuid -> reason)."""

    site: tuple[str, str]
    records: dict[str, list[dict[str, Any]]]
    decisions: dict[str, tuple[str, str]]
    adjustments: dict[str, str]


@st.composite
def school_records(draw: st.DrawFn, site: tuple[str, str]) -> School:
    """A school's people (uuids of its own), their claims (plain claims: the county decides),
    a question asked and checklist runs, all created there (``origin``: the school)."""
    origin, name = site
    rng = random.Random(f"{origin}-{draw(st.integers(0, 2**32))}")
    contacts_out: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    decisions: dict[str, tuple[str, str]] = {}
    adjustments: dict[str, str] = {}
    for _ in range(draw(st.integers(1, 3))):
        uid = _uuid(rng)
        deleted = draw(st.booleans())
        contacts_out.append(
            {
                "uuid": uid,
                "name": draw(st.one_of(PACK_LINE, FORMULA)).strip()[:50] or "無名",
                "school": draw(PACK_LINE)[:200],
                "region": "",
                "role": "兼任人事",
                "duties": draw(st.lists(PACK_LINE, max_size=2)),
                "years": draw(st.none() | st.integers(0, 40)),
                "office_phone": "",
                "mobile": draw(st.sampled_from(["", "0912-345678"])),
                "email": "",
                "line_id": draw(st.text("0123456789", max_size=5)),
                "notes": draw(PACK_TEXT),
                "consent_date": None,
                "consent_scope": "",
                "origin": origin,
                "deleted": deleted,
                "updated_at": draw(STAMPS),
            }
        )
        for _ in range(draw(st.integers(0, 2))):
            entry: dict[str, Any] = {
                "uuid": _uuid(rng),
                "contact_uuid": uid,
                "date": "2026-02-01",
                "kind": "peer-help",
                "points": draw(st.integers(1, 9)),
                "rule_version": 1,
                "reason": draw(PACK_TEXT),
                "evidence": "",
                "recorded_by": name,
                "status": "claimed",
                "decision_reason": "",
                "decision_date": None,
                "decided_by": "",
                "reverses": None,
                "origin": origin,
                "created_at": BASE_TIME.isoformat(),
                "updated_at": draw(STAMPS),
            }
            entries.append(entry)
            decisions[entry["uuid"]] = (draw(DECISIONS), draw(PACK_LINE).strip() or "依規定")
        if not deleted and draw(st.booleans()):
            adjustments[uid] = draw(PACK_LINE).strip() or "調整"
    for _ in range(draw(st.integers(0, 2))):
        stamp = draw(STAMPS)
        runs.append(
            {
                "uuid": _uuid(rng),
                "template_id": CHECKLIST.id,
                "template_data": CHECKLIST.model_dump(mode="json"),
                "title": CHECKLIST.title,
                "period": draw(PACK_LINE)[:100],
                "person": draw(PACK_LINE)[:100],
                "due_date": None,
                "completed_at": None,
                "origin": origin,
                "created_at": BASE_TIME.isoformat(),
                "updated_at": stamp,
                "answers": [
                    {"item_id": "done", "value": "1", "note": draw(PACK_TEXT), "updated_at": stamp},
                    {
                        "item_id": "remark",
                        "value": draw(PACK_TEXT),
                        "note": "",
                        "updated_at": stamp,
                    },
                ],
            }
        )
    question = f"{name}問" + draw(PACK_LINE)[:20]
    unanswered = [
        {
            "uuid": _uuid(rng),
            "normalized_query": question,
            "query": question,
            "count": draw(st.integers(1, 5)),
            "note": draw(PACK_TEXT),
            "first_asked_at": BASE_TIME.isoformat(),
            "last_asked_at": BASE_TIME.isoformat(),
            "answered_entry_id": None,
            "answered_at": None,
            "origin": origin,
            "updated_at": draw(STAMPS),
        }
    ]
    records: dict[str, list[dict[str, Any]]] = {
        "contacts": contacts_out,
        "reward_entries": entries,
        "reward_adjustments": [],
        "unanswered": unanswered,
        "checklist_runs": runs,
    }
    return School(site, records, decisions, adjustments)


@st.composite
def three_schools(draw: st.DrawFn) -> list[School]:
    return [draw(school_records(site)) for site in SCHOOLS]


def records(store: Store, school: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every data record of ``store`` (with ``school``: those the county sends that school)."""
    with store.read() as session:
        return data.export_records(session, school)


def created_there(store: Store, school: School) -> None:
    """The school's own records, written at the school as if made there (through the code an
    import ends in)."""
    with store.write() as session:
        data.apply(session, data.plan(session, school.records, data.Baseline(None, None)))


def decide(county: Store, school: School) -> None:
    """The county's decisions on the school's claims and its proposal adjustments."""
    with county.write() as session:
        ids = dict(session.execute(select(RewardEntry.uuid, RewardEntry.id)).all())
        for entry_uuid, (status, reason) in school.decisions.items():
            if status == "claimed":
                continue
            decision = rewards.approve if status == "approved" else rewards.reject
            decision(session, [ids[entry_uuid]], reason, "示範縣", today=DECIDED_ON)
            entry = session.get(RewardEntry, ids[entry_uuid])
            assert entry is not None
            entry.updated_at = DECIDED_AT
        people = dict(session.execute(select(Contact.uuid, Contact.id)).all())
        here = session.execute(select(Site.site_uuid).where(Site.id == 1)).scalar_one()
        for contact_uuid, reason in school.adjustments.items():
            rewards.adjust_proposal(
                session, 2026, people[contact_uuid], "嘉獎一次", reason, "示範縣", here
            )


def refused_again(store: Store, pack: Path) -> None:
    """A pack imported before is refused, saying so, and nothing at all changes."""
    before = content_digest(store.paths.database)
    with pytest.raises(UserError, match="匯入過"):
        sync.import_pack(store, pack)
    assert content_digest(store.paths.database) == before


@seed(SEED)
@settings(SETTINGS, max_examples=examples(5))
@given(schools=three_schools())
def test_data_packs_round_trip_every_record_type_and_merge_the_same_in_any_order(
    base: Path,
    county_key: Ed25519PrivateKey,
    examples_run: dict[str, int],
    schools: list[School],
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="schoolhr-packs-"))
    try:
        with ExitStack() as stack:
            sites = [stack.enter_context(fresh(base, site=school.site)) for school in schools]
            forward = stack.enter_context(fresh(base, county=True))
            backward = stack.enter_context(fresh(base, county=True))
            packs = []
            for number, (site, school) in enumerate(zip(sites, schools, strict=True)):
                created_there(site, school)
                packs.append(sync.export_pack(site, "data", folder / f"school{number}.zip").path)
            # a school's records reach the county exactly: import(export(x)) == x
            sync.import_pack(forward, packs[0])
            assert records(forward) == records(sites[0])
            # three schools' packs in two orders: the same records
            for pack in packs[1:]:
                sync.import_pack(forward, pack)
            for pack in reversed(packs):
                sync.import_pack(backward, pack)
            assert records(forward) == records(backward)
            # re-import is refused and changes nothing
            for pack in packs:
                refused_again(forward, pack)
            # the county's decisions and adjustments reach each school exactly, signed with
            # the county key the school trusts; the school's next pack changes nothing
            for number, (site, school) in enumerate(zip(sites, schools, strict=True)):
                decide(forward, school)
                back = folder / f"back{number}.zip"
                uid = school.site[0]
                sync.export_pack(forward, "data", back, private_key=county_key, for_school=uid)
                sync.import_pack(site, back)
                assert records(site) == records(forward, uid)
                refused_again(site, back)
                again = sync.export_pack(site, "data", folder / f"again{number}.zip").path
                before = records(forward)
                assert sync.plan_import(forward, again).items == []
                sync.import_pack(forward, again)
                assert records(forward) == before
                refused_again(forward, again)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    count(examples_run, "data packs (5 record types, 3 schools and the county, 2 orders)")


def test_a_note_with_a_line_separator_travels_in_a_data_pack(base: Path, tmp_path: Path) -> None:
    """A school's pack, at the county."""
    person = "5c1f0000-0000-4000-8000-00000000cccc"
    note = "第一段\u2028第二段"  # as pasted from a web page
    pack = write_pack(
        tmp_path / "note.zip",
        "data",
        {"contacts": [contact_record(person, "王小明", notes=note)]},
    )
    with fresh(base, county=True) as store:
        sync.import_pack(store, pack)
        with store.read() as session:
            assert session.scalars(select(Contact.notes)).all() == [note]


# ------------------------------------------------------------------------------------ content


@st.composite
def faq_entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    entries = []
    for number in range(draw(st.integers(1, 3))):
        title = "問題" + draw(FAQ_LINE)[:60] + "？"
        entries.append(
            {
                "id": f"round-trip-{number}",
                "title": title,
                "category": "請假",
                "audience": ["職員"],
                "keywords": [w for w in draw(st.lists(FAQ_LINE, max_size=3)) if w.strip()]
                or ["休假"],
                "sources": [{"name": "公務人員請假規則"}],
                "reviewed": "2026-01-05",
                "body": "答案：" + draw(FAQ_TEXT) + "\n\n" + draw(st.one_of(FAQ_TEXT, FORMULA)) * 2,
            }
        )
    return entries


@seed(SEED)
@settings(SETTINGS, max_examples=examples(4))
@given(entries=faq_entries(), news=st.lists(st.tuples(PACK_LINE, PACK_TEXT), max_size=2))
def test_content_packs_publish_exactly_what_the_county_sent_and_the_same_again_changes_nothing(
    base: Path,
    county_key: Ed25519PrivateKey,
    examples_run: dict[str, int],
    entries: list[dict[str, Any]],
    news: list[tuple[str, str]],
) -> None:
    from schoolhr.faq.schema import FaqEntryData

    parsed = []
    for entry in entries:
        try:
            parsed.append(FaqEntryData.model_validate(entry))
        except ValueError:
            assume(False)
    folder = Path(tempfile.mkdtemp(prefix="schoolhr-content-"))
    try:
        with fresh(base, county=True) as county, fresh(base) as school:
            with county.write() as session:
                for item in parsed:
                    faq.add_version(session, item, publish=True)
            for title, body in news:
                assume(title.strip())
                sync.add_announcement(county, title, body, published="2026-01-05")
            first = folder / "v1.zip"
            sync.export_pack(county, "content", first, private_key=county_key, content_version=1)
            sync.import_pack(school, first)
            with county.read() as c_session, school.read() as s_session:
                sent = [v.as_data() for v in faq.published_entries(c_session)]
                got = [v.as_data() for v in faq.published_entries(s_session)]
                assert got == sent
                kept = s_session.scalars(select(Announcement.body).order_by(Announcement.id))
                assert list(kept) == [body.strip() for _title, body in news]
            second = folder / "v2.zip"
            sync.export_pack(county, "content", second, private_key=county_key, content_version=2)
            assert sync.plan_import(school, second).items == []
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    count(examples_run, "content packs")
