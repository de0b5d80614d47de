"""Fixtures for sync: a county with content and a key, a school with data, pack surgery.

Every data pack is signed (``schoolhr.sync.authority``): a school's with its own site key, the
county's with a county key the school trusts. A school's pack goes to a county-role store; a
county's pack names the one school it is for.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schoolhr.contacts.models import Contact
from schoolhr.content.files import Problem, read_reward_rules
from schoolhr.content.install import install_bundled_content
from schoolhr.paths import prepare_data_dir, resources_dir
from schoolhr.rewards import service as rewards
from schoolhr.rewards.models import RewardEntry
from schoolhr.store.database import Store, open_store, update_site
from schoolhr.sync import service, signing
from schoolhr.sync.format import MANIFEST, SIGNATURE
from tests.helpers import TEST_CONTENT

# The bundled reward rules (version 1): the county checks every claim against the rule version
# it names. ``CLAIM_KIND`` is one of its kinds; a claim of ``CLAIM_POINTS`` is within its cap.
REWARD_RULES = resources_dir() / "content" / "rewards" / "rules.yaml"
CLAIM_KIND = "peer-help"
CLAIM_POINTS = 2


def install_reward_rules(store: Store) -> None:
    """The bundled reward rules, version 1 (the test content has none)."""
    problems: list[Problem] = []
    rules = read_reward_rules(REWARD_RULES, problems)
    assert rules is not None, problems
    with store.write() as session:
        rewards.install_rules(session, rules)


def make_county(store: Store, name: str | None = None) -> Store:
    """Turn ``store`` into a county HR office that can check schools' claims."""
    update_site(store, name=name, role="county")
    install_reward_rules(store)
    return store


def trust_county(store: Store, key: Ed25519PrivateKey, name: str = "示範縣") -> Store:
    """A school that trusts the county key ``key`` (its fingerprint confirmed)."""
    with store.write() as session:
        signing.trust(session, key.public_key(), name)
    return store


def school_key(store: Store) -> Ed25519PrivateKey:
    """The site key a school signs its data packs with (made on first use)."""
    return signing.site_key(store.paths)


def sign_data_manifest(manifest: dict[str, object], key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    """Put the signer (``key``'s fingerprint and public key) into a school's data-pack
    ``manifest``; return the manifest's bytes and their Ed25519 signature."""
    public = key.public_key()
    manifest["signer"] = signing.fingerprint(public)
    manifest["signer_key"] = signing.public_text(public)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode(
        "utf-8"
    )
    return manifest_bytes, key.sign(manifest_bytes)


@pytest.fixture
def county_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Store]:
    """A county with the test content (its content packs), without reward rules."""
    store = open_store(prepare_data_dir(tmp_path / "county"))
    update_site(store, name="示範縣政府教育處", role="county")
    assert install_bundled_content(store, TEST_CONTENT) is not None
    yield store
    store.close()


@pytest.fixture
def county_store(county: Store) -> Store:
    """The county, with the reward rules its schools' claims are checked against."""
    install_reward_rules(county)
    return county


@pytest.fixture
def trusted_school(store: Store, county_key: Ed25519PrivateKey, tmp_path: Path) -> Store:
    public = tmp_path / "county.pub.pem"
    public.write_bytes(signing.public_pem(county_key.public_key()))
    service.trust_key(store, public, "示範縣")
    update_site(store, name="桃源國小")
    return store


def export_content(
    county: Store, key: Ed25519PrivateKey, target: Path, version: int | None = None
) -> Path:
    service.export_pack(
        county,
        "content",
        target,
        private_key=key,
        content_version=version,
        content_dir=TEST_CONTENT,
    )
    return target


def add_people(store: Store, count: int = 3, school: str = "桃源國小") -> list[str]:
    now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    uuids = []
    with store.write() as session:
        for i in range(count):
            contact = Contact(
                name=f"測試{i}", school=school, role="教師", duties=["導師"], updated_at=now
            )
            session.add(contact)
            session.flush()
            session.add(
                RewardEntry(
                    contact_id=contact.id,
                    date=date(2026, 2, 1),
                    kind=CLAIM_KIND,
                    points=CLAIM_POINTS,
                    rule_version=1,
                    reason="研習",
                    created_at=now,
                    updated_at=now,
                )
            )
            uuids.append(contact.uuid)
    return uuids


def database_digest(store: Store) -> str:
    """The database file and its write-ahead log, byte for byte."""
    digest = hashlib.sha256()
    for path in (store.paths.database, Path(f"{store.paths.database}-wal")):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


Mutator = Callable[[dict[str, bytes], dict[str, object]], None]


def rebuild(
    source: Path,
    target: Path,
    mutate: Mutator,
    *,
    key: Ed25519PrivateKey | None = None,
    fix_manifest: bool = True,
) -> Path:
    """Rewrite a pack: ``mutate(members, manifest)`` in place, manifest hashes recomputed (unless
    ``fix_manifest`` is false) and re-signed with ``key`` when given."""
    with zipfile.ZipFile(source) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    original = members.pop(MANIFEST)
    manifest = json.loads(original)
    signature = members.pop(SIGNATURE, None)
    mutate(members, manifest)
    if fix_manifest:
        listed = {m["name"]: m for m in manifest["members"]}  # type: ignore[index]
        for name, entry in listed.items():
            if name in members:
                entry["sha256"] = hashlib.sha256(members[name]).hexdigest()
                entry["size"] = len(members[name])
    manifest_bytes = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    if key is None and manifest == json.loads(original):
        manifest_bytes = original  # untouched: its signature still holds
    if key is not None:
        signature = key.sign(manifest_bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        if signature is not None:
            archive.writestr(SIGNATURE, signature)
        for name, data in members.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def new_uuid() -> str:
    return str(uuid.uuid4())
