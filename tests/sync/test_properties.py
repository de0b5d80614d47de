"""Properties: export -> import round-trips every record exactly (a school's records to the
county, the county's decisions and adjustments back to the school); merging is idempotent (a
pack imported again is refused and changes nothing; a new pack of the same records changes
nothing) and does not depend on the order packs are imported in (a school's older pack that
arrives after its newer one is refused as a replay)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from schoolhr.contacts.models import Contact
from schoolhr.errors import UserError
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.paths import prepare_data_dir
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import RewardEntry
from schoolhr.store.database import Store, open_store, update_site
from schoolhr.store.models import Site
from schoolhr.sync import data, service
from tests.sync.conftest import database_digest, install_reward_rules, trust_county

BASE = datetime(2025, 1, 1, tzinfo=UTC)
SUPPRESS = [HealthCheck.function_scoped_fixture]
# Each example opens up to four databases (about a second); shrinking a failure would take
# minutes, so a failure is reported as found (its seed is printed to reproduce it).
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
texts = st.text(alphabet="陳林王大明小華國小教師 ab1-", max_size=12)
stamps = st.integers(min_value=0, max_value=10_000_000).map(lambda s: BASE + timedelta(seconds=s))
# the county's key (trusted by every school here) and when it decides
COUNTY_KEY = Ed25519PrivateKey.generate()
DECIDED_AT = BASE + timedelta(seconds=20_000_000)
# kinds of the bundled rules (version 1) that allow a claim of 1 to 3 points
KINDS = ("peer-help", "outstanding-case", "training-attended")


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    store = open_store(prepare_data_dir(root), daily_backup=False)
    install_reward_rules(store)  # the county checks claims against the rules they name
    store.close()
    return root / store.paths.database.name


@contextmanager
def fresh_store(template: Path) -> Iterator[Store]:
    folder = Path(tempfile.mkdtemp())
    try:
        paths = prepare_data_dir(folder)
        shutil.copyfile(template, paths.database)
        store = open_store(paths, daily_backup=False)
        with store.write() as session:
            site = session.get(Site, 1)
            assert site is not None
            site.site_uuid = str(uuid.uuid4())
        try:
            yield store
        finally:
            store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


person = st.fixed_dictionaries(
    {
        "uuid": st.uuids(version=4).map(str),
        "name": texts.filter(lambda t: t.strip() != ""),
        "school": texts,
        "notes": texts,
        "years": st.none() | st.integers(0, 40),
        "duties": st.lists(texts, max_size=3),
        "consent_date": st.none() | st.dates(date(2020, 1, 1), date(2026, 1, 1)),
        "deleted": st.booleans(),
        "updated_at": stamps,
        "entries": st.lists(
            st.fixed_dictionaries(
                {
                    "uuid": st.uuids(version=4).map(str),
                    "kind": st.sampled_from(KINDS),
                    "points": st.integers(1, 3),
                    # the county's decision on the claim ("claimed": not decided yet)
                    "status": st.sampled_from(["claimed", "approved", "rejected"]),
                    "reason": texts,
                    "updated_at": stamps,
                }
            ),
            max_size=3,
        ),
    }
)


def fill(store: Store, people: list[dict[str, object]], question: str | None = None) -> None:
    """A school's own records: its people, their claims (not decided), a question asked."""
    with store.write() as session:
        for p in people:
            contact = Contact(
                uuid=p["uuid"],
                name=p["name"],
                school=p["school"],
                notes=p["notes"],
                years=p["years"],
                duties=p["duties"],
                consent_date=p["consent_date"],
                deleted=p["deleted"],
                updated_at=p["updated_at"],
            )
            session.add(contact)
            session.flush()
            for e in p["entries"]:  # type: ignore[attr-defined]
                session.add(
                    RewardEntry(
                        uuid=e["uuid"],
                        contact_id=contact.id,
                        date=date(2025, 5, 1),
                        kind=e["kind"],
                        points=e["points"],
                        rule_version=1,
                        reason=e["reason"],
                        created_at=BASE,
                        updated_at=e["updated_at"],
                    )
                )
        if question:
            session.add(
                UnansweredQuestion(
                    normalized_query=question,
                    query=question,
                    count=2,
                    first_asked_at=BASE,
                    last_asked_at=BASE,
                    updated_at=BASE,
                )
            )


def decide(county: Store, people: list[dict[str, object]], adjust: bool = False) -> None:
    """The county's decisions on the claims (each entry's ``status``), all at ``DECIDED_AT``;
    with ``adjust``, a proposal adjustment for every person not deleted too."""
    with county.write() as session:
        for p in people:
            for e in p["entries"]:  # type: ignore[attr-defined]
                if e["status"] == "claimed":
                    continue
                entry = session.execute(
                    select(RewardEntry).where(RewardEntry.uuid == e["uuid"])
                ).scalar_one()
                decision = rewards.approve if e["status"] == "approved" else rewards.reject
                decision(session, [entry.id], "依規定", "示範縣", today=date(2025, 6, 1))
                entry.updated_at = DECIDED_AT
            if adjust and not p["deleted"]:
                contact = session.execute(
                    select(Contact).where(Contact.uuid == p["uuid"])
                ).scalar_one()
                rewards.adjust_proposal(
                    session, 2025, contact.id, "嘉獎一次", "調整", "示範縣", county.site().site_uuid
                )


def records(store: Store) -> dict[str, list[dict[str, object]]]:
    with store.read() as session:
        return data.export_records(session)


def refused_again(store: Store, pack: Path, message: str = "匯入過") -> None:
    """Importing ``pack`` (again, or after a newer one) is refused and changes nothing."""
    before = database_digest(store)
    with pytest.raises(UserError, match=message):
        service.import_pack(store, pack)
    assert database_digest(store) == before


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(person, max_size=5, unique_by=lambda p: p["uuid"]), question=texts)
def test_round_trip_is_exact(
    template_db: Path, people: list[dict[str, object]], question: str
) -> None:
    with fresh_store(template_db) as school, fresh_store(template_db) as county:
        update_site(county, role="county")
        trust_county(school, COUNTY_KEY)
        fill(school, people, question.strip() or None)
        # the school's records reach the county exactly
        pack = school.paths.root / "out.zip"
        service.export_pack(school, "data", pack)
        service.import_pack(county, pack)
        assert records(county) == records(school)
        refused_again(county, pack)
        # the county's decisions and adjustments reach the school exactly
        decide(county, people, adjust=True)
        back = county.paths.root / "back.zip"
        service.export_pack(
            county, "data", back, private_key=COUNTY_KEY, for_school=school.site().site_uuid
        )
        service.import_pack(school, back)
        assert records(school) == records(county)
        refused_again(school, back)


def _variant(p: dict[str, object], name: str, stamp: datetime) -> dict[str, object]:
    return {**p, "name": name, "updated_at": stamp}


def _other_uuid(value: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"school-b/{value}"))


def _edit(
    store: Store, people: list[dict[str, object]], names: list[str], later: list[timedelta]
) -> None:
    """The school edits its people: new names, each saved ``later[i]`` after the last time."""
    with store.write() as session:
        for i, p in enumerate(people):
            contact = session.execute(select(Contact).where(Contact.uuid == p["uuid"])).scalar_one()
            contact.name = names[i]
            saved: datetime = p["updated_at"]  # type: ignore[assignment]
            contact.updated_at = saved + later[i]


def _export(store: Store, name: str) -> Path:
    return service.export_pack(store, "data", store.paths.root / name).path


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.lists(person, min_size=1, max_size=4, unique_by=lambda p: p["uuid"]),
    names=st.lists(texts.filter(lambda t: t.strip() != ""), min_size=4, max_size=4),
    stamps_b=st.lists(stamps, min_size=4, max_size=4),
    statuses=st.lists(
        st.sampled_from(["claimed", "approved", "rejected"]), min_size=12, max_size=12
    ),
)
def test_merge_is_idempotent_and_order_independent(
    template_db: Path,
    people: list[dict[str, object]],
    names: list[str],
    stamps_b: list[datetime],
    statuses: list[str],
) -> None:
    # school B holds people like A's (its own uuids) with other names, times and decisions
    other = []
    k = 0
    for i, p in enumerate(people):
        entries = []
        for e in p["entries"]:  # type: ignore[attr-defined]
            entries.append(
                {
                    **e,
                    "uuid": _other_uuid(e["uuid"]),
                    "status": statuses[k % 12],
                    "updated_at": stamps_b[k % 4],
                }
            )
            k += 1
        variant = _variant(p, names[i], stamps_b[i])
        other.append({**variant, "uuid": _other_uuid(p["uuid"]), "entries": entries})
    with (
        fresh_store(template_db) as a,
        fresh_store(template_db) as b,
        fresh_store(template_db) as c,
        fresh_store(template_db) as d,
    ):
        for county in (c, d):
            update_site(county, role="county")
        fill(a, people)
        fill(b, other)
        pack_a, pack_b = _export(a, "a.zip"), _export(b, "b.zip")
        # A edits its people later and sends a newer pack
        _edit(a, people, names, [s - BASE + timedelta(seconds=1) for s in stamps_b])
        newer_a = _export(a, "a2.zip")
        # C gets the packs in the order they were made and decides the claims in between;
        # D gets B's first and A's newer one before its older one, which is refused
        service.import_pack(c, pack_a)
        service.import_pack(c, pack_b)
        decide(c, people + other)
        service.import_pack(c, newer_a)
        service.import_pack(d, pack_b)
        service.import_pack(d, newer_a)
        decide(d, people + other)
        refused_again(d, pack_a, "還舊")
        assert records(c) == records(d)
        # every pack again is refused and changes nothing
        before = records(c)
        for pack in (pack_a, pack_b, newer_a):
            refused_again(c, pack, "匯入過")
        # new packs of the same records (claims the county decided since) change nothing
        for school, name in ((a, "a3.zip"), (b, "b2.zip")):
            pack = _export(school, name)
            assert service.plan_import(c, pack).items == []
            service.import_pack(c, pack)
        assert records(c) == before
