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
