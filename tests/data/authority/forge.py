"""The authority corpus: forged packs, each made from an honest one the way a forger would.

``build(folder)`` sets up three honest profiles (the county 範例縣人事處 with its signing key,
and two schools, 松風國小 and 竹林國小, that trust it), runs one honest exchange (each school
sends its people and claims; the county approves one of 松風國小's claims and sends it back)
and then writes every forged pack of ``CASES`` into ``folder/packs``. README.md beside this file
lists the cases. A forger who is a school holds its own site key (``keys/site-signing.pem``)
and can re-sign what it edits; it does not hold the county's key, nor another school's.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord
from schoolhr.paths import DataPaths, prepare_data_dir
from schoolhr.rewards import service as rewards
from schoolhr.startup import open_profile
from schoolhr.store.database import Store, update_site
from schoolhr.sync import service as sync
from schoolhr.sync import signing
from schoolhr.sync.format import MANIFEST, SIGNATURE

PASSPHRASE = "authority-corpus"
Members = dict[str, list[dict[str, Any]]]


@dataclass
class Pack:
    """A pack opened for surgery: the manifest, the records by type, the signature."""

    manifest: dict[str, Any]
    records: Members
    signature: bytes | None

    @classmethod
    def read(cls, path: Path) -> Pack:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            manifest = json.loads(archive.read(MANIFEST))
            signature = archive.read(SIGNATURE) if SIGNATURE in names else None
            records: Members = {}
            for name in names:
                if name.startswith("records/"):
                    kind = name.removeprefix("records/").removesuffix(".jsonl")
                    text = archive.read(name).decode("utf-8")
                    records[kind] = [json.loads(line) for line in text.splitlines() if line]
        return cls(manifest, records, signature)

    def write(
        self,
        target: Path,
        *,
        key: Ed25519PrivateKey | None = None,
        as_site_key: bool = False,
        keep_signature: bool = False,
    ) -> Path:
        """Members and manifest checksums rebuilt (as a careful forger does); signed with
        ``key`` (a school's site key carries its public key: ``as_site_key``), or left with
        the old signature (``keep_signature``), or unsigned."""
        members = {
            f"records/{kind}.jsonl": (
                "\n".join(
                    json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                    for r in rows
                )
                + ("\n" if rows else "")
            ).encode("utf-8")
            for kind, rows in self.records.items()
        }
        self.manifest["members"] = [
            {
                "name": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "records": len(self.records[name[8:-6]]),
            }
            for name, data in sorted(members.items())
        ]
        if key is not None:
            public = key.public_key()
            self.manifest["signer"] = signing.fingerprint(public)
            if as_site_key:
                self.manifest["signer_key"] = signing.public_text(public)
            else:
                self.manifest.pop("signer_key", None)
        manifest_bytes = json.dumps(self.manifest, ensure_ascii=False, indent=1).encode("utf-8")
        signature = key.sign(manifest_bytes) if key is not None else None
        if keep_signature:
            signature = self.signature
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, manifest_bytes)
            if signature is not None:
                archive.writestr(SIGNATURE, signature)
            for name, data in sorted(members.items()):
                archive.writestr(name, data)
        target.write_bytes(buffer.getvalue())
        return target

    def fresh(self, minutes: int = 5) -> Pack:
        """A new exchange: new pack id, a later time (a forger avoiding the replay check)."""
        created = datetime.fromisoformat(self.manifest["created_at"]) + timedelta(minutes=minutes)
        self.manifest["pack_id"] = str(uuid.uuid4())
        self.manifest["created_at"] = created.astimezone(UTC).isoformat()
        return self


def site_key(paths: DataPaths) -> Ed25519PrivateKey:
    """What a forging school holds: its own site key."""
    data = (paths.root / "keys" / signing.SITE_KEY_FILE).read_bytes()
    key = serialization.load_pem_private_key(data, None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


@dataclass
class World:
    """The honest profiles and packs the forgeries start from."""

    root: Path
    county: Store
    pine: Store  # 松風國小
    bamboo: Store  # 竹林國小
    county_key: Ed25519PrivateKey
    packs: dict[str, Path] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        for store in (self.county, self.pine, self.bamboo):
            store.close()

    def uuid_of(self, store: Store) -> str:
        return store.site().site_uuid


def _school(root: Path, name: str, public: Path) -> Store:
    store = open_profile(prepare_data_dir(root / name))
    update_site(store, name=name, role="school")
    sync.trust_key(store, public, "範例縣人事處")
    return store


def _person(store: Store, name: str, school: str) -> int:
    with store.write() as session:
        return contacts.save_contact(
            session, ContactRecord(name=name, school=school, role="兼任人事", years=3)
        )


def honest_world(root: Path) -> World:
    root.mkdir(parents=True, exist_ok=True)
    county = open_profile(prepare_data_dir(root / "county"))
    update_site(county, name="範例縣人事處", role="county")
    private_pem, public_pem = signing.generate_keypair(PASSPHRASE)
    (root / "county.pub.pem").write_bytes(public_pem)
    key = serialization.load_pem_private_key(private_pem, PASSPHRASE.encode())
    assert isinstance(key, Ed25519PrivateKey)
    pine = _school(root, "松風國小", root / "county.pub.pem")
    bamboo = _school(root, "竹林國小", root / "county.pub.pem")
    world = World(root, county, pine, bamboo, key)

    with pine.read() as session:
        kind = rewards.current_rules(session).kinds[0]
    world.ids["kind"] = kind.id
    today = date.today()
    lin = _person(pine, "林小松", "松風國小")
    world.ids["pine_claims"] = [
        rewards.claim(pine, lin, kind.id, today - timedelta(days=d), "協助鄰校").uuid
        for d in (20, 10)
    ]
    chen = _person(bamboo, "陳小竹", "竹林國小")
    rewards.claim(bamboo, chen, kind.id, today - timedelta(days=5), "支援研習")

    for name, store in (("pine-1", pine), ("bamboo-1", bamboo)):
        world.packs[name] = root / f"{name}.zip"
        sync.export_pack(store, "data", world.packs[name])
        sync.import_pack(county, world.packs[name])
    with county.read() as session:
        first = rewards.list_entries(session, status="claimed")
    approve = [e.id for e in first if e.uuid == world.ids["pine_claims"][0]]
    rewards.decide_claims(county, approve, True, "符合規定")
    world.packs["county-to-pine-1"] = root / "county-to-pine-1.zip"
    sync.export_pack(
        county, "data", world.packs["county-to-pine-1"], private_key=key, for_school="松風國小"
    )
    world.packs["county-to-bamboo-1"] = root / "county-to-bamboo-1.zip"
    sync.export_pack(
        county, "data", world.packs["county-to-bamboo-1"], private_key=key, for_school="竹林國小"
    )
    sync.import_pack(pine, world.packs["county-to-pine-1"])
    # 松風國小's next honest pack, not yet sent: the raw material of its forgeries
    world.packs["pine-2"] = root / "pine-2.zip"
    sync.export_pack(pine, "data", world.packs["pine-2"])
    return world


# -- the cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    target: str  # "county" or "pine": where the forged pack is imported
    refusal: str  # a regular expression the zh-TW message matches
    what: str  # README's words
    make: Callable[[World, Path], Path]


def _entry(pack: Pack, claim_uuid: str) -> dict[str, Any]:
    return next(r for r in pack.records["reward_entries"] if r["uuid"] == claim_uuid)


def _new_claim(world: World, pack: Pack, **changes: Any) -> dict[str, Any]:
    template = dict(_entry(pack, world.ids["pine_claims"][1]))
    template.update({"uuid": str(uuid.uuid4()), **changes})
    pack.records["reward_entries"].append(template)
    return template


def _pine_forgery(change: Callable[[World, Pack], None]) -> Callable[[World, Path], Path]:
    """松風國小 edits its next pack and re-signs it with its own site key."""

    def make(world: World, target: Path) -> Path:
        pack = Pack.read(world.packs["pine-2"]).fresh()
        change(world, pack)
        return pack.write(target, key=site_key(world.pine.paths), as_site_key=True)

    return make


def _approve_own(world: World, pack: Pack) -> None:
    entry = _entry(pack, world.ids["pine_claims"][1])
    entry.update(
        status="approved",
        points=50,
        decision_reason="已核定",
        decision_date=date.today().isoformat(),
        decided_by="範例縣人事處",
    )


def _approve_own_same_points(world: World, pack: Pack) -> None:
    entry = _entry(pack, world.ids["pine_claims"][1])
    entry.update(
        status="approved",
        decision_reason="已核定",
        decision_date=date.today().isoformat(),
        decided_by="範例縣人事處",
    )


def _raise_points(world: World, pack: Pack) -> None:
    _entry(pack, world.ids["pine_claims"][1])["points"] = 50


def _raise_approved(world: World, pack: Pack) -> None:
    _entry(pack, world.ids["pine_claims"][0])["points"] = 50


def _new_approved(world: World, pack: Pack) -> None:
    _new_claim(
        world,
        pack,
        status="approved",
        decision_reason="已核定",
        decision_date=date.today().isoformat(),
        decided_by="範例縣人事處",
    )


def _points_over_rule(world: World, pack: Pack) -> None:
    _new_claim(world, pack, points=50)


def _unknown_kind(world: World, pack: Pack) -> None:
    _new_claim(world, pack, kind="secret-bonus")


def _unknown_rules(world: World, pack: Pack) -> None:
    _new_claim(world, pack, rule_version=99)


def _school_reversal(world: World, pack: Pack) -> None:
    _new_claim(world, pack, points=-10, reverses=world.ids["pine_claims"][0])


def _adjustment(world: World, pack: Pack) -> None:
    person = pack.records["contacts"][0]
    pack.records["reward_adjustments"] = [
        {
            "uuid": str(uuid.uuid4()),
            "year": date.today().year,
            "contact_uuid": person["uuid"],
            "proposal": "記大功一次",
            "reason": "表現優異",
            "adjusted_by": "範例縣人事處",
            "origin": world.uuid_of(world.pine),
            "created_at": datetime.now(UTC).isoformat(),
        }
    ]


def _bamboo_contact(world: World) -> dict[str, Any]:
    return dict(Pack.read(world.packs["bamboo-1"]).records["contacts"][0])


def _edit_other_school(world: World, pack: Pack) -> None:
    person = _bamboo_contact(world)
    person.update(name="陳小竹（已改）", updated_at=datetime.now(UTC).isoformat())
    pack.records["contacts"].append(person)


def _forged_origin(world: World, pack: Pack) -> None:
    person = dict(pack.records["contacts"][0])
    person.update(uuid=str(uuid.uuid4()), name="王冒名", origin=world.uuid_of(world.bamboo))
    pack.records["contacts"].append(person)


def _claim_for_other_school(world: World, pack: Pack) -> None:
    _new_claim(world, pack, contact_uuid=_bamboo_contact(world)["uuid"])


def _other_school_claim(world: World, pack: Pack) -> None:
    claim = dict(Pack.read(world.packs["bamboo-1"]).records["reward_entries"][0])
    claim.update(points=claim["points"] + 1, updated_at=datetime.now(UTC).isoformat())
    pack.records["reward_entries"].append(claim)


def _pose_as_bamboo(world: World, pack: Pack) -> None:
    pack.manifest["origin"] = {
        "site_uuid": world.uuid_of(world.bamboo),
        "name": "竹林國小",
        "role": "school",
    }


def _pose_as_county(world: World, pack: Pack) -> None:
    pack.manifest["origin"] = {
        "site_uuid": world.uuid_of(world.pine),
        "name": "範例縣人事處",
        "role": "county",
    }


def _tampered_not_resigned(world: World, target: Path) -> Path:
    """The issue's scenario: approved with 50 points, checksums recomputed, old signature."""
    pack = Pack.read(world.packs["pine-2"])
    _approve_own(world, pack)
    return pack.write(target, keep_signature=True)


def _unsigned(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["pine-2"]).fresh()
    _approve_own(world, pack)
    pack.manifest.pop("signer", None)
    return pack.write(target)


def _replayed(world: World, target: Path) -> Path:
    target.write_bytes(world.packs["pine-1"].read_bytes())
    return target


def _older(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["pine-2"]).fresh(minutes=-24 * 60)
    return pack.write(target, key=site_key(world.pine.paths), as_site_key=True)


def _another_key(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["pine-2"]).fresh()
    return pack.write(target, key=Ed25519PrivateKey.generate(), as_site_key=True)


def _county_unsigned(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    return pack.write(target)


def _county_wrong_key(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    return pack.write(target, key=Ed25519PrivateKey.generate())


def _school_as_county(world: World, target: Path) -> Path:
    """竹林國小 writes 'decisions' for 松風國小 and signs them with its own key."""
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    for entry in pack.records["reward_entries"]:
        entry.update(status="approved", decision_reason="核定", decided_by="範例縣人事處")
    return pack.write(target, key=site_key(world.bamboo.paths))


def _county_pack_edited(world: World, target: Path) -> Path:
    """Someone on the way raises the points in the county's signed pack and keeps its
    signature."""
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    pack.records["reward_entries"][0]["points"] = 50
    return pack.write(target, keep_signature=True)


def _county_pack_replayed(world: World, target: Path) -> Path:
    target.write_bytes(world.packs["county-to-pine-1"].read_bytes())
    return target


def _county_pack_for_bamboo(world: World, target: Path) -> Path:
    target.write_bytes(world.packs["county-to-bamboo-1"].read_bytes())
    return target


def county_renames_a_person(world: World, target: Path) -> Path:
    """The county (with its real key) renames one of the school's people and decides the other
    claim: the decision goes in, the school's own record stays as the school has it."""
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    person = pack.records["contacts"][0]
    person.update(name="林小松（縣市改）", updated_at=datetime.now(UTC).isoformat())
    entry = _entry(pack, world.ids["pine_claims"][1])
    entry.update(
        status="rejected",
        decision_reason="佐證不足",
        decision_date=date.today().isoformat(),
        decided_by="範例縣人事處（縣市人事處）",
        updated_at=datetime.now(UTC).isoformat(),
    )
    return pack.write(target, key=world.county_key)


def _county_changes_claim_facts(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    _entry(pack, world.ids["pine_claims"][0])["points"] = 50
    return pack.write(target, key=world.county_key)


def _county_pack_other_school(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    claim = dict(Pack.read(world.packs["bamboo-1"]).records["reward_entries"][0])
    pack.records["reward_entries"].append(claim)
    pack.records["contacts"].append(_bamboo_contact(world))
    return pack.write(target, key=world.county_key)


def _county_pack_without_recipient(world: World, target: Path) -> Path:
    pack = Pack.read(world.packs["county-to-pine-1"]).fresh()
    pack.manifest.pop("recipient", None)
    return pack.write(target, key=world.county_key)


def _signer_key_swapped(world: World, target: Path) -> Path:
    """The public key in the manifest swapped for another: the signature no longer matches."""
    pack = Pack.read(world.packs["pine-2"]).fresh()
    path = pack.write(target, key=site_key(world.pine.paths), as_site_key=True)
    other = Ed25519PrivateKey.generate().public_key()
    pack.manifest["signer_key"] = base64.b64encode(signing.raw_public(other)).decode()
    pack.signature = Pack.read(path).signature
    return pack.write(target, keep_signature=True)


SIGNATURE_FAILED = "簽章驗證失敗|簽章金鑰與清單不符"
CASES: list[Case] = [
    Case("school-approves-own-claim-50", "county", "自行核定|改動了已申報積點",
         "松風國小 marks its pending claim approved with 50 points and re-signs",
         _pine_forgery(_approve_own)),
    Case("school-approves-own-claim", "county", "自行核定",
         "the same, points unchanged", _pine_forgery(_approve_own_same_points)),
    Case("school-raises-pending-points", "county", "改動了已申報積點的內容（points）",
         "a pending claim's points raised", _pine_forgery(_raise_points)),
    Case("school-raises-approved-points", "county", "改動了已申報積點的內容（points）",
         "an approved claim's points raised", _pine_forgery(_raise_approved)),
    Case("school-new-claim-already-approved", "county", "學校只能申報",
         "a new claim that arrives approved", _pine_forgery(_new_approved)),
    Case("points-over-the-rule", "county", "不合規則第 1 版",
         "a new claim of 50 points", _pine_forgery(_points_over_rule)),
    Case("kind-not-in-the-rules", "county", "不在規則第 1 版中",
         "a new claim of a kind the rules do not have", _pine_forgery(_unknown_kind)),
    Case("rule-version-unknown", "county", "規則第 99 版本機沒有",
         "a new claim naming rule version 99", _pine_forgery(_unknown_rules)),
    Case("school-reverses-an-entry", "county", "沖銷",
         "a school-made reversal", _pine_forgery(_school_reversal)),
    Case("school-sets-an-adjustment", "county", "只有縣市人事處可以設定敘獎調整",
         "a proposal adjustment from a school", _pine_forgery(_adjustment)),
    Case("school-edits-another-schools-person", "county", "不是「松風國小」建立的紀錄",
         "竹林國小's person renamed in 松風國小's pack", _pine_forgery(_edit_other_school)),
    Case("forged-origin-on-a-record", "county", "不是「松風國小」建立的紀錄",
         "a new person stamped as 竹林國小's", _pine_forgery(_forged_origin)),
    Case("claim-for-another-schools-person", "county", "申報的人員不是該校的聯絡人",
         "a claim about 竹林國小's person", _pine_forgery(_claim_for_other_school)),
    Case("another-schools-claim-raised", "county", "不是「松風國小」建立的紀錄",
         "竹林國小's claim, points raised, in 松風國小's pack", _pine_forgery(_other_school_claim)),
    Case("school-poses-as-another-school", "county", "簽章金鑰屬於「松風國小」",
         "松風國小's pack names 竹林國小 as sender", _pine_forgery(_pose_as_bamboo)),
    Case("school-pack-poses-as-county", "county", "自稱來自縣市人事處",
         "a school's pack naming the county as sender", _pine_forgery(_pose_as_county)),
    Case("edited-not-resigned", "county", SIGNATURE_FAILED,
         "approved with 50 points, checksums recomputed, old signature kept",
         _tampered_not_resigned),
    Case("unsigned-school-pack", "county", "沒有簽章", "the signature removed", _unsigned),
    Case("school-pack-replayed", "county", "匯入過", "松風國小's first pack sent again",
         _replayed),
    Case("school-pack-older", "county", "還舊", "a pack dated a day before the last one",
         _older),
    Case("school-pack-new-key", "county", "簽章金鑰與該校先前使用的不同",
         "松風國小's pack signed with a key the county has not seen for it", _another_key),
    Case("signer-key-swapped", "county", SIGNATURE_FAILED,
         "the manifest's public key swapped", _signer_key_swapped),
    Case("county-decisions-unsigned", "pine", "沒有簽章",
         "the county's decisions with the signature removed", _county_unsigned),
    Case("county-decisions-other-key", "pine", "不在信任清單中",
         "the county's decisions signed with an unknown key", _county_wrong_key),
    Case("school-poses-as-county", "pine", "不在信任清單中",
         "竹林國小 'approves' 松風國小's claims with its own key", _school_as_county),
    Case("county-pack-edited-in-transit", "pine", "簽章驗證失敗",
         "points raised in the county's pack, its signature kept", _county_pack_edited),
    Case("county-pack-replayed", "pine", "匯入過", "the county's last pack sent again",
         _county_pack_replayed),
    Case("county-pack-for-another-school", "pine", "不是給本單位的",
         "竹林國小's pack from the county", _county_pack_for_bamboo),
    Case("county-changes-a-claims-facts", "pine", "改動了本校申報積點的內容（points）",
         "the county (its real key) raises the points of 松風國小's claim",
         _county_changes_claim_facts),
    Case("county-pack-with-another-schools-claim", "pine", "不是本校建立的紀錄|其他學校人員",
         "the county's pack carries 竹林國小's claim and person", _county_pack_other_school),
    Case("county-pack-without-recipient", "pine", "沒有指定收件學校",
         "a county pack that names no school", _county_pack_without_recipient),
]  # fmt: skip


def build(folder: Path) -> tuple[World, dict[str, Path]]:
    """The honest world in ``folder`` and every forged pack, by case name."""
    world = honest_world(folder / "world")
    packs = folder / "packs"
    packs.mkdir(parents=True, exist_ok=True)
    return world, {case.name: case.make(world, packs / f"{case.name}.zip") for case in CASES}
