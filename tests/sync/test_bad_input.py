"""Every bad pack is refused before any write, with a zh-TW message; the database is unchanged.

Bad data packs are a school's, sent to the county (``county``) and signed with the school's key
(re-signed after the surgery), so that each is refused for what is wrong with it, not for a
missing or broken signature."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schoolhr.errors import UserError
from schoolhr.store.database import Store
from schoolhr.sync import format as pack_format
from schoolhr.sync import service
from tests.sync.conftest import (
    add_people,
    database_digest,
    export_content,
    rebuild,
    school_key,
    sign_data_manifest,
)


@pytest.fixture
def content_pack(county: Store, county_key: Ed25519PrivateKey, tmp_path: Path) -> Path:
    return export_content(county, county_key, tmp_path / "content.zip")


@pytest.fixture
def data_pack(tmp_path: Path, store: Store) -> Path:
    add_people(store, 5)  # a school's data pack
    target = tmp_path / "data.zip"
    service.export_pack(store, "data", target)
    return target


def refused(store: Store, pack: Path, message: str) -> None:
    before = database_digest(store)
    with pytest.raises(UserError, match=message) as caught:
        service.plan_import(store, pack)
    assert database_digest(store) == before
    assert not (store.paths.root / "sync" / "staging").exists()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


def test_one_byte_changed_in_a_member(
    trusted_school: Store, content_pack: Path, tmp_path: Path
) -> None:
    def change(members: dict[str, bytes], _manifest: object) -> None:
        data = bytearray(members["records/faq.jsonl"])
        data[40] ^= 0x01
        members["records/faq.jsonl"] = bytes(data)

    bad = rebuild(content_pack, tmp_path / "bad.zip", change, fix_manifest=False)
    refused(trusted_school, bad, "檢查碼不符|有誤")


def test_one_byte_changed_in_the_manifest(
    trusted_school: Store, content_pack: Path, tmp_path: Path
) -> None:
    def change(_members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest["title"] = "被改過"

    bad = rebuild(content_pack, tmp_path / "bad.zip", change, fix_manifest=False)
    refused(trusted_school, bad, "簽章驗證失敗")


def test_one_byte_flipped_in_the_file(trusted_school: Store, content_pack: Path) -> None:
    data = bytearray(content_pack.read_bytes())
    data[len(data) // 2] ^= 0xFF
    content_pack.write_bytes(bytes(data))
    refused(trusted_school, content_pack, "拒絕匯入|不是完整")


def test_member_changed_and_manifest_fixed_but_not_resigned(
    trusted_school: Store, content_pack: Path, tmp_path: Path
) -> None:
    def change(members: dict[str, bytes], _manifest: object) -> None:
        members["records/faq.jsonl"] = members["records/faq.jsonl"].replace("補休".encode(), b"XX")

    bad = rebuild(content_pack, tmp_path / "bad.zip", change)
    refused(trusted_school, bad, "簽章驗證失敗")


def test_truncated(trusted_school: Store, content_pack: Path) -> None:
    data = content_pack.read_bytes()
    content_pack.write_bytes(data[: len(data) * 2 // 3])
    refused(trusted_school, content_pack, "不是完整的交換檔")


def test_signed_by_another_key(trusted_school: Store, content_pack: Path, tmp_path: Path) -> None:
    bad = rebuild(
        content_pack, tmp_path / "bad.zip", lambda m, f: None, key=Ed25519PrivateKey.generate()
    )
    refused(trusted_school, bad, "簽章驗證失敗")


def _zip(target: Path, members: dict[str, bytes], manifest: dict[str, object]) -> Path:
    """A hand-built school data pack, signed with a school's key like every data pack."""
    manifest_bytes, signature = sign_data_manifest(manifest, Ed25519PrivateKey.generate())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(pack_format.MANIFEST, manifest_bytes)
        archive.writestr(pack_format.SIGNATURE, signature)
        for name, data in members.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def _manifest(members: dict[str, bytes], **extra: object) -> dict[str, object]:
    import hashlib

    return {
        "format": "schoolhr-pack",
        "format_version": 1,
        "pack_id": "00000000-0000-4000-8000-000000000000",
        "kind": "data",
        "origin": {"site_uuid": "s", "name": "某校", "role": "school"},
        "created_at": "2026-11-01T00:00:00+00:00",
        "schema_version": "0008_sync",
        "members": [
            {"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
            for n, d in members.items()
        ],
        **extra,
    }


def test_zip_slip(county: Store, tmp_path: Path) -> None:
    members = {"../../evil.png": b"\x89PNG"}
    refused(county, _zip(tmp_path / "slip.zip", members, _manifest(members)), "不安全")
    members = {"pictures/../../evil.png": b"\x89PNG"}
    refused(county, _zip(tmp_path / "slip2.zip", members, _manifest(members)), "不安全")
    members = {"/etc/evil.png": b"\x89PNG"}
    refused(county, _zip(tmp_path / "slip3.zip", members, _manifest(members)), "不安全")


def test_staging_path_check(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="不安全"):
        pack_format.check_member_name("pictures/..\\..\\x.png", tmp_path)


def test_zip_bomb_by_ratio(county: Store, tmp_path: Path) -> None:
    members = {"records/contacts.jsonl": b" " * (4 * 1024 * 1024)}
    refused(county, _zip(tmp_path / "bomb.zip", members, _manifest(members)), "壓縮炸彈")


def test_zip_bomb_by_size(county: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_format, "MAX_MEMBER_BYTES", 1024 * 1024)
    members = {"records/contacts.jsonl": b"\n" * (2 * 1024 * 1024)}
    refused(county, _zip(tmp_path / "bomb.zip", members, _manifest(members)), "壓縮炸彈")


def test_too_many_members(county: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_format, "MAX_MEMBERS", 3)
    members = {f"pictures/p{i}.png": b"x" for i in range(5)}
    refused(county, _zip(tmp_path / "many.zip", members, _manifest(members)), "超過上限")


def test_member_not_in_manifest(
    store: Store, county: Store, data_pack: Path, tmp_path: Path
) -> None:
    def add(members: dict[str, bytes], _manifest: object) -> None:
        members["records/notes.jsonl"] = b"{}\n"

    bad = rebuild(data_pack, tmp_path / "bad.zip", add, key=school_key(store))
    refused(county, bad, "不在清單")


def test_member_missing_from_zip(
    store: Store, county: Store, data_pack: Path, tmp_path: Path
) -> None:
    def drop(members: dict[str, bytes], _manifest: object) -> None:
        del members["records/contacts.jsonl"]

    bad = rebuild(data_pack, tmp_path / "bad.zip", drop, key=school_key(store))
    refused(county, bad, "不在檔案中")


def test_unknown_record_type(county: Store, tmp_path: Path) -> None:
    members = {"records/salaries.jsonl": b'{"uuid": "x"}\n'}
    refused(county, _zip(tmp_path / "t.zip", members, _manifest(members)), "不認得")


def _edit_first(member: str, edit: Callable[[dict[str, object]], None]) -> Callable[..., None]:
    def mutate(members: dict[str, bytes], _manifest: object) -> None:
        lines = members[member].decode().splitlines()
        record = json.loads(lines[0])
        edit(record)
        lines[0] = json.dumps(record, ensure_ascii=False)
        members[member] = ("\n".join(lines) + "\n").encode()

    return mutate


def test_field_of_wrong_type(store: Store, county: Store, data_pack: Path, tmp_path: Path) -> None:
    mutate = _edit_first("records/reward_entries.jsonl", lambda r: r.update(points="兩點"))
    bad = rebuild(data_pack, tmp_path / "bad.zip", mutate, key=school_key(store))
    refused(county, bad, "第 1 筆的欄位「points」")


def test_unknown_field(store: Store, county: Store, data_pack: Path, tmp_path: Path) -> None:
    mutate = _edit_first("records/contacts.jsonl", lambda r: r.update(salary=1))
    bad = rebuild(data_pack, tmp_path / "bad.zip", mutate, key=school_key(store))
    refused(county, bad, "salary")


def test_content_record_of_wrong_type(
    trusted_school: Store, content_pack: Path, county_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    mutate = _edit_first("records/faq.jsonl", lambda r: r.update(keywords="不是清單"))
    bad = rebuild(content_pack, tmp_path / "bad.zip", mutate, key=county_key)
    refused(trusted_school, bad, "records/faq.jsonl」第 1 筆")


def test_newer_manifest_format(
    store: Store, county: Store, data_pack: Path, tmp_path: Path
) -> None:
    def newer(_members: dict[str, bytes], manifest: dict[str, object]) -> None:
        manifest["format_version"] = 99

    bad = rebuild(data_pack, tmp_path / "bad.zip", newer, key=school_key(store))
    refused(county, bad, "較新版本")


def test_not_a_zip(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_text("hello")
    refused(store, bad, "不是完整的交換檔")


def test_entry_pointing_to_unknown_person(
    store: Store, county: Store, data_pack: Path, tmp_path: Path
) -> None:
    def drop(members: dict[str, bytes], _manifest: object) -> None:
        members["records/contacts.jsonl"] = b""

    bad = rebuild(data_pack, tmp_path / "bad.zip", drop, key=school_key(store))
    # the authority check names it first: the person is not one of the sending school's
    refused(county, bad, "reward_entries.jsonl」第 1 筆.*申報的人員不是該校的聯絡人")


def test_member_with_an_unsupported_compression_method(
    county: Store, data_pack: Path, tmp_path: Path
) -> None:
    target = tmp_path / "bzip2.zip"
    with zipfile.ZipFile(data_pack) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            kind = zipfile.ZIP_BZIP2 if info.filename.startswith("records/") else info.compress_type
            out.writestr(info.filename, source.read(info), compress_type=kind)
    refused(county, target, "不支援的壓縮方式")
