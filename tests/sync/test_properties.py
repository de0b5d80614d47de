"""Properties: export -> import round-trips every record exactly; merging is idempotent and does
not depend on the order packs are imported in."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from schoolhr.contacts.models import Contact
from schoolhr.faq.models import UnansweredQuestion
from schoolhr.paths import prepare_data_dir
from schoolhr.rewards.models import ProposalAdjustment, RewardEntry
from schoolhr.store.database import Store, open_store
from schoolhr.store.models import Site
from schoolhr.sync import data, service

BASE = datetime(2025, 1, 1, tzinfo=UTC)
SUPPRESS = [HealthCheck.function_scoped_fixture]
# Each example opens up to four databases (about a second); shrinking a failure would take
# minutes, so a failure is reported as found (its seed is printed to reproduce it).
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
texts = st.text(alphabet="陳林王大明小華國小教師 ab1-", max_size=12)
stamps = st.integers(min_value=0, max_value=10_000_000).map(lambda s: BASE + timedelta(seconds=s))


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    store = open_store(prepare_data_dir(root), daily_backup=False)
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
                    "points": st.integers(-10, 10),
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
                        kind="training",
                        points=e["points"],
                        rule_version=1,
                        reason=e["reason"],
                        status=e["status"],
                        created_at=BASE,
                        updated_at=e["updated_at"],
                    )
                )
            session.add(
                ProposalAdjustment(
                    contact_id=contact.id,
                    year=2025,
                    proposal="嘉獎一次",
                    reason="調整",
                    created_at=p["updated_at"],
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


def records(store: Store) -> dict[str, list[dict[str, object]]]:
    with store.read() as session:
        return data.export_records(session)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(person, max_size=5, unique_by=lambda p: p["uuid"]), question=texts)
def test_round_trip_is_exact(
    template_db: Path, people: list[dict[str, object]], question: str
) -> None:
    with fresh_store(template_db) as a, fresh_store(template_db) as b:
        fill(a, people, question.strip() or None)
        pack = a.paths.root / "out.zip"
        service.export_pack(a, "data", pack)
        service.import_pack(b, pack)
        assert records(b) == records(a)
        assert service.plan_import(b, pack).items == []


def _variant(p: dict[str, object], name: str, stamp: datetime) -> dict[str, object]:
    return {**p, "name": name, "updated_at": stamp}


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
    # site B holds the same people (same uuids) with other names, times and decisions
    other = []
    k = 0
    for i, p in enumerate(people):
        entries = []
        for e in p["entries"]:  # type: ignore[attr-defined]
            entries.append({**e, "status": statuses[k % 12], "updated_at": stamps_b[k % 4]})
            k += 1
        other.append({**_variant(p, names[i], stamps_b[i]), "entries": entries})
    with (
        fresh_store(template_db) as a,
        fresh_store(template_db) as b,
        fresh_store(template_db) as c,
        fresh_store(template_db) as d,
    ):
        fill(a, people)
        fill(b, other)
        pack_a, pack_b = a.paths.root / "a.zip", b.paths.root / "b.zip"
        service.export_pack(a, "data", pack_a)
        service.export_pack(b, "data", pack_b)
        service.import_pack(c, pack_a)
        service.import_pack(c, pack_b)
        service.import_pack(d, pack_b)
        service.import_pack(d, pack_a)
        assert records(c) == records(d)
        before = records(c)
        for pack in (pack_a, pack_b):
            assert service.plan_import(c, pack).items == []
            service.import_pack(c, pack)
        assert records(c) == before
