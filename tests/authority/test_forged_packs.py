"""The authority corpus (tests/data/authority): every forged pack is refused with a zh-TW
message naming what is wrong, and the database it was offered to is unchanged. The honest
exchange they were made from works: school claims, county decides, school sees the decision."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from schoolhr.contacts import service as contacts_service
from schoolhr.errors import UserError
from schoolhr.rewards import service as rewards
from schoolhr.store.database import Store
from schoolhr.sync import service as sync
from schoolhr.sync import signing
from tests.data.authority.forge import CASES, Case, Pack, World, build, honest_world


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, dict[str, Path]]]:
    world, packs = build(tmp_path_factory.mktemp("authority"))
    yield world, packs
    world.close()


def dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table."""
    connection = sqlite3.connect(f"file:{store.paths.database}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(map(tuple, connection.execute(f'SELECT * FROM "{t}"')), key=repr)
            for t in tables
        }
    finally:
        connection.close()


def test_the_corpus_has_at_least_20_forgeries() -> None:
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)
    readme = (Path(__file__).parents[1] / "data" / "authority" / "README.md").read_text("utf-8")
    for case in CASES:
        assert f"`{case.name}`" in readme, f"README.md does not list {case.name}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_forged_pack_is_refused_and_nothing_changes(
    corpus: tuple[World, dict[str, Path]], case: Case
) -> None:
    world, packs = corpus
    store = world.county if case.target == "county" else world.pine
    before = dump(store)
    backups = sorted(store.paths.backups.iterdir())
    with pytest.raises(UserError) as caught:
        sync.apply_import(store, sync.plan_import(store, packs[case.name]))
    message = caught.value.message
    assert re.search(case.refusal, message), message
    assert "已拒絕匯入" in message or "資料未變更" in message, message
    assert dump(store) == before
    assert sorted(store.paths.backups.iterdir()) == backups  # refused before any backup


def test_the_issue_scenario_leaves_no_points_nobody_approved(
    corpus: tuple[World, dict[str, Path]],
) -> None:
    """After every forgery was offered, the county's summary holds only what it approved."""
    world, _packs = corpus
    with world.county.read() as session:
        approved = rewards.list_entries(session, status="approved")
    assert [(e.points, e.decided_by) for e in approved] == [(10, "範例縣人事處（縣市人事處）")]


def test_the_honest_round_trip_brings_the_decision_to_the_school(
    corpus: tuple[World, dict[str, Path]],
) -> None:
    world, _packs = corpus
    with world.pine.read() as session:
        entries = {e.uuid: e for e in rewards.list_entries(session)}
    first, second = world.ids["pine_claims"]
    assert entries[first].status == "approved"
    assert entries[first].decision_reason == "符合規定"
    assert entries[second].status == "claimed"
    # the honest next pack from the school still goes in
    plan = sync.plan_import(world.county, world.packs["pine-2"])
    assert plan.site_name == "松風國小"


def test_a_plan_made_earlier_is_checked_again_when_applied(tmp_path: Path) -> None:
    """A dry run waits for the clerk: an older pack, or a second key, planned before another
    import went in, is refused when applied."""
    world = honest_world(tmp_path / "world")
    try:
        pine, county = world.pine, world.county
        older = tmp_path / "older.zip"
        sync.export_pack(pine, "data", older)
        newer = tmp_path / "newer.zip"
        sync.export_pack(pine, "data", newer)
        older_plan = sync.plan_import(county, older)
        sync.apply_import(county, sync.plan_import(county, newer))
        before = dump(county)
        with pytest.raises(UserError, match="還舊"):
            sync.apply_import(county, older_plan)
        assert dump(county) == before

        key_file = pine.paths.root / "keys" / signing.SITE_KEY_FILE
        later = tmp_path / "later.zip"
        sync.export_pack(pine, "data", later)
        later_plan = sync.plan_import(county, later)
        key_file.rename(key_file.with_name("old.pem"))
        other_key = tmp_path / "other-key.zip"
        sync.export_pack(pine, "data", other_key)
        with pytest.raises(UserError, match="簽章金鑰與該校先前使用的不同"):
            sync.plan_import(county, other_key)
        sync.apply_import(county, later_plan)  # the bound key: accepted
        bound = [k for k in sync.signing_keys(county) if k.name == "松風國小"]
        assert len(bound) == 1
    finally:
        world.close()


def test_the_county_cannot_rename_a_schools_person_but_its_decision_goes_in(
    tmp_path: Path,
) -> None:
    from tests.data.authority.forge import county_renames_a_person

    world = honest_world(tmp_path / "world")
    try:
        pack = county_renames_a_person(world, tmp_path / "rename.zip")
        sync.apply_import(world.pine, sync.plan_import(world.pine, pack))
        with world.pine.read() as session:
            names = [v.record.name for v in contacts_service.list_contacts(session)]
            entries = {e.uuid: e for e in rewards.list_entries(session)}
        assert names == ["林小松"]
        assert entries[world.ids["pine_claims"][1]].status == "rejected"
    finally:
        world.close()


def test_a_school_that_installed_the_peer_groups_still_sends_only_its_own_records(
    tmp_path: Path,
) -> None:
    """The county's content pack brings the peer groups' members (other schools' people) to
    the school; the school's next data pack carries its own people only, and goes in."""
    from schoolhr.contacts.peer_groups import service as groups

    world = honest_world(tmp_path / "world")
    try:
        county, pine = world.county, world.pine
        with county.write() as session:
            for view in contacts_service.list_contacts(session):
                record = view.record
                record.consent_date = record.consent_date or date.today()
                contacts_service.save_contact(session, record, view.id)
        groups.regroup(county, 2, 9)
        content = tmp_path / "content.zip"
        sync.export_pack(county, "content", content, private_key=world.county_key)
        sync.apply_import(pine, sync.plan_import(pine, content))
        with pine.read() as session:
            everyone = {v.record.name for v in contacts_service.list_contacts(session)}
        assert "陳小竹" in everyone  # a member of the group, from the other school
        pack = tmp_path / "pine-after-groups.zip"
        sync.export_pack(pine, "data", pack)
        sent = Pack.read(pack).records["contacts"]
        assert [c["name"] for c in sent] == ["林小松"]
        sync.apply_import(county, sync.plan_import(county, pack))
    finally:
        world.close()


def test_a_preview_that_no_longer_holds_is_refused_when_applied(tmp_path: Path) -> None:
    """The county previews a school's pack that updates a person; someone at the county edits
    that person meanwhile: the import stops (exit 7) instead of writing what nobody saw."""
    world = honest_world(tmp_path / "world")
    try:
        pine, county = world.pine, world.county
        with pine.write() as session:
            view = contacts_service.list_contacts(session)[0]
            record = view.record
            record.mobile = "0912345678"
            contacts_service.save_contact(session, record, view.id)
        pack = tmp_path / "next.zip"
        sync.export_pack(pine, "data", pack)
        preview = sync.plan_import(county, pack)
        assert [(i.record_type, i.action) for i in preview.items if i.action != "add"] == [
            ("contacts", "update")
        ]
        with county.write() as session:  # meanwhile, at the county
            view = contacts_service.list_contacts(session, "林小松")[0]
            record = view.record
            record.notes = "縣市人事處補充"
            contacts_service.save_contact(session, record, view.id)
        before = dump(county)
        with pytest.raises(sync.PlanChangedError, match="預覽之後") as caught:
            sync.apply_import(county, preview)
        assert caught.value.exit_code == 7
        assert dump(county) == before
        fresh = sync.plan_import(county, pack)  # the new preview shows the conflict
        assert fresh.conflicts == 1
    finally:
        world.close()
