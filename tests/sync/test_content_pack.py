"""Content packs: signed by the county, verified and installed by a school."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from schoolhr.errors import UserError
from schoolhr.faq import service as faq
from schoolhr.faq.models import FaqEntry
from schoolhr.guides import service as guides
from schoolhr.store.database import Store
from schoolhr.sync import service, signing
from tests.helpers import TEST_CONTENT
from tests.sync.conftest import database_digest, export_content


def test_content_pack_installs_faq_guides_and_pictures(
    county: Store, county_key: Ed25519PrivateKey, trusted_school: Store, tmp_path: Path
) -> None:
    service.add_announcement(county, "新版差勤規定", "請於月底前更新。")
    pack = export_content(county, county_key, tmp_path / "content.zip")
    plan = service.plan_import(trusted_school, pack)
    assert plan.kind == "content" and plan.content_version == 1
    assert plan.summary().startswith("將新增 ")
    assert plan.adds >= 5 + 2 + 1
    result = service.apply_import(trusted_school, plan)
    assert result.backup.exists()
    with trusted_school.read() as session:
        entries = faq.published_entries(session)
        assert len(entries) == 5
        origins = {e.origin for e in session.execute(select(FaqEntry)).scalars()}
        assert origins == {"pack"}
        guide_list = guides.guides(session)
    assert len(guide_list) == 2
    picture = next(s.picture for g in guide_list for s in g.steps if s.picture)
    found = guides.picture_path(Path("/nonexistent"), picture, trusted_school.paths.root)
    assert found.is_file()
    assert found.read_bytes() == (TEST_CONTENT / "guides" / picture).read_bytes()
    news = service.unseen_announcements(trusted_school)
    assert [n.title for n in news] == ["新版差勤規定"]
    service.mark_announcements_seen(trusted_school, [n.id for n in news])
    assert service.unseen_announcements(trusted_school) == []
    history = service.history(trusted_school)
    assert history[0].direction == "import" and history[0].content_version == 1


def test_replaying_same_or_older_version_is_refused(
    county: Store, county_key: Ed25519PrivateKey, trusted_school: Store, tmp_path: Path
) -> None:
    old = export_content(county, county_key, tmp_path / "v1.zip", version=1)
    new = export_content(county, county_key, tmp_path / "v2.zip", version=2)
    service.import_pack(trusted_school, new)
    before = database_digest(trusted_school)
    for pack in (new, old):
        with pytest.raises(UserError, match="不能以相同或較舊的版本覆蓋"):
            service.plan_import(trusted_school, pack)
    assert database_digest(trusted_school) == before


def test_pack_signed_by_untrusted_key_is_refused(
    county: Store, trusted_school: Store, tmp_path: Path
) -> None:
    pack = export_content(county, Ed25519PrivateKey.generate(), tmp_path / "other.zip")
    before = database_digest(trusted_school)
    with pytest.raises(UserError, match="不在信任清單中"):
        service.plan_import(trusted_school, pack)
    assert database_digest(trusted_school) == before


def test_bundled_demo_key_is_trusted(store: Store) -> None:
    keys = service.trusted_keys(store)
    assert any(k.bundled and k.name == "demo-county" for k in keys)


def test_keygen_protects_private_key_with_passphrase(tmp_path: Path) -> None:
    private, public, value = service.keygen(tmp_path / "keys", "長長的密碼1234")
    key = signing.load_private_key(private, "長長的密碼1234")
    assert signing.fingerprint(key.public_key()) == value
    assert service.key_info(public).fingerprint == value
    with pytest.raises(UserError, match="密碼不正確"):
        signing.load_private_key(private, "wrong-passphrase")
    with pytest.raises(UserError, match="已存在"):
        service.keygen(tmp_path / "keys", "長長的密碼1234")
    with pytest.raises(UserError, match="至少"):
        signing.generate_keypair("short")
    assert b"ENCRYPTED" in private.read_bytes()


def _county_groups(county: Store) -> None:
    """Two groups at the county: 第 1 組 with a consenting and a non-consenting member."""
    from datetime import date

    from schoolhr.contacts.models import Contact, PeerGroup, PeerGroupMember

    with county.write() as session:
        people = [
            Contact(
                name="林堃芬",
                school="卑南國小",
                office_phone="089-301058",
                email="a@x.tw",
                mobile="0912000111",
                consent_date=date(2026, 9, 1),
            ),
            Contact(name="陳小明", school="初鹿國小", office_phone="089-571234", email="b@x.tw"),
            Contact(name="王大同", school="賓朗國小", consent_date=date(2026, 9, 1)),
        ]
        session.add_all(people)
        first, second = PeerGroup(name="第 1 組"), PeerGroup(name="第 2 組")
        session.add_all([first, second])
        session.flush()
        session.add_all(
            [
                PeerGroupMember(group_id=first.id, contact_id=people[0].id),
                PeerGroupMember(group_id=first.id, contact_id=people[1].id),
                PeerGroupMember(group_id=second.id, contact_id=people[2].id),
            ]
        )


def test_peer_groups_travel_with_only_the_consented_fields(
    county: Store, county_key: Ed25519PrivateKey, trusted_school: Store, tmp_path: Path
) -> None:
    from schoolhr.contacts.models import Contact, ExportAudit, PeerGroup
    from schoolhr.contacts.peer_groups import service as groups

    # GIVEN the county's groups, one member of which gave no consent
    _county_groups(county)
    pack = export_content(county, county_key, tmp_path / "v1.zip", version=1)
    with county.read() as session:
        audit = session.execute(select(ExportAudit)).scalars().one()
    assert (audit.count, audit.without_consent, audit.file_format) == (3, 1, "pack")

    # WHEN the school reads and imports the pack
    plan = service.plan_import(trusted_school, pack)
    assert {i.label for i in plan.items if i.record_type == "peer_groups"} == {
        "安心培力小群組：第 1 組",
        "安心培力小群組：第 2 組",
    }
    service.apply_import(trusted_school, plan)

    # THEN it has the groups; phone and e-mail only of who consented, never a mobile number
    with trusted_school.read() as session:
        views = groups.list_groups(session)
        by_name = {c.name: c for c in session.execute(select(Contact)).scalars()}
    assert [(g.name, sorted(m.name for m in g.members)) for g in views] == [
        ("第 1 組", ["林堃芬", "陳小明"]),
        ("第 2 組", ["王大同"]),
    ]
    assert by_name["林堃芬"].office_phone == "089-301058" and by_name["林堃芬"].mobile == ""
    assert by_name["陳小明"].office_phone == "" and by_name["陳小明"].email == ""

    # AND a later pack without 第 2 組 removes it, keeping a group the school built itself
    with trusted_school.write() as session:
        session.add(PeerGroup(name="本校讀書會"))
    with county.write() as session:
        second = session.execute(select(PeerGroup).where(PeerGroup.name == "第 2 組")).scalar_one()
        groups.delete_group(session, second.id)
    service.import_pack(
        trusted_school, export_content(county, county_key, tmp_path / "v2.zip", version=2)
    )
    with trusted_school.read() as session:
        names = sorted(g.name for g in groups.list_groups(session))
    assert names == ["本校讀書會", "第 1 組"]


def test_a_pack_never_changes_the_schools_own_contact(
    county: Store, county_key: Ed25519PrivateKey, trusted_school: Store, tmp_path: Path
) -> None:
    from schoolhr.contacts.models import Contact, PeerGroup, PeerGroupMember

    # GIVEN the school's own clerk, who reached the county in a data pack and was grouped there
    with trusted_school.write() as session:
        session.add(Contact(name="本校幹事", school="桃源國小", office_phone="089-111111"))
    service.import_pack(
        county, service.export_pack(trusted_school, "data", tmp_path / "d.zip").path
    )
    with county.write() as session:
        clerk = session.execute(select(Contact).where(Contact.name == "本校幹事")).scalar_one()
        clerk.office_phone = "089-999999"  # the county's copy changed later
        group = PeerGroup(name="第 1 組")
        session.add(group)
        session.flush()
        session.add(PeerGroupMember(group_id=group.id, contact_id=clerk.id))
    service.import_pack(
        trusted_school, export_content(county, county_key, tmp_path / "c.zip", version=1)
    )
    with trusted_school.read() as session:
        mine = session.execute(select(Contact).where(Contact.name == "本校幹事")).scalar_one()
        assert mine.office_phone == "089-111111"
        member = session.execute(select(PeerGroupMember)).scalar_one()
    assert member.contact_id == mine.id
