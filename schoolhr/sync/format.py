"""The pack file: one zip format for content packs and data packs.

A pack is a zip (deflate) holding::

    manifest.json          what the pack is and what it holds (below)
    signature.ed25519      the Ed25519 signature of manifest.json's bytes
    records/<type>.jsonl   one JSON object a line, one member per record type
    pictures/<name>.png    content packs only: guide pictures (guides' ``pictures/...``)

``manifest.json``::

    {"format": "schoolhr-pack", "format_version": 1, "pack_id": "<uuid4>",
     "kind": "content" | "data", "origin": {"site_uuid": ..., "name": ..., "role": ...},
     "created_at": "<ISO 8601 UTC>", "schema_version": "0008_sync",
     "content_version": 3,                  # content packs: must grow at every release
     "signer": "<sha256 hex of the public key>",   # the key that signed manifest.json
     "signer_key": "<base64 raw public key>",     # a school's data pack: its own site key
     "recipient": {"site_uuid": ..., "name": ...}, # a county's data pack: the one school it is for
     "members": [{"name": "records/faq.jsonl", "sha256": "...", "size": 1234, "records": 10}]}

Reading a pack checks, before anything else is read: the zip's directory (member count,
declared sizes, compression ratios, names that stay inside the pack: no absolute paths, no
``..``, no backslashes or drive letters, no duplicates), then the manifest (format version not
newer than this program's, every member listed and every listed member present). The caller
verifies the signature of the manifest bytes (``schoolhr.sync.authority``) before
``read_member`` is called;
each member is then read with a size cap and compared against its SHA-256 and size. Because
the manifest carries every member's hash, the signature covers the whole pack.

All JSON a pack carries (the manifest, every record line) is read with ``schoolhr.safejson``:
nesting, numbers and strings within limits, refused naming the file, the member and the line.
The manifest's own fields are checked for type and range (sizes, counts, ``content_version``
within 1..``MAX_CONTENT_VERSION``, ``created_at`` an ISO 8601 time with its zone).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from schoolhr import safejson
from schoolhr.errors import UserFileError
from schoolhr.files import atomic_path
from schoolhr.isotime import parse_stamp

FORMAT = "schoolhr-pack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature.ed25519"
KINDS = ("content", "data")

MAX_PACK_BYTES = 256 * 1024 * 1024  # the zip file itself
MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one member, uncompressed
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all members, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_RECORD_CHARS = safejson.MAX_TEXT_CHARS  # one record line
MAX_CONTENT_VERSION = 999_999_999_999
"""The largest content version: room for versions numbered by date and time (YYYYMMDDhhmm),
far below SQLite's 64-bit integers (a larger one would fail when the import is recorded)."""


_NAME = re.compile(r"^(records/[a-z_]+\.jsonl|pictures/[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*\.png)$")


class PackError(UserFileError):
    """A pack that is refused; nothing was changed."""


def _whole(value: object, lowest: int, highest: int, what: str) -> int:
    """``value`` if it is a whole number (not a bool) in ``lowest..highest``; ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what}「{str(value)[:40]}」不是整數")
    if not lowest <= value <= highest:
        raise ValueError(f"{what} {value} 超出範圍（{lowest:,} 至 {highest:,}）")
    return value


@dataclass(frozen=True)
class Member:
    name: str
    sha256: str
    size: int
    records: int = 0


ZIP_MAX_VERSION = 63  # the newest "version needed to extract" Python's zipfile reads (6.3)


@dataclass
class Manifest:
    pack_id: str
    kind: str
    origin: dict[str, str]
    created_at: str
    schema_version: str
    members: list[Member]
    content_version: int | None = None
    signer: str = ""
    title: str = ""
    format_version: int = FORMAT_VERSION
    # A county's data pack is for one school: {"site_uuid": ..., "name": ...}; empty otherwise.
    recipient: dict[str, str] = field(default_factory=dict)
    # A school's data pack carries the public key of the school's own site key (base64 of the
    # 32 raw bytes): the county binds it to the school the first time (sync_known_signer).
    signer_key: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "format_version": self.format_version,
            "pack_id": self.pack_id,
            "kind": self.kind,
            "origin": self.origin,
            "created_at": self.created_at,
            "schema_version": self.schema_version,
            "title": self.title,
            "members": [m.__dict__ for m in self.members],
        }
        if self.content_version is not None:
            data["content_version"] = self.content_version
        if self.signer:
            data["signer"] = self.signer
        if self.recipient:
            data["recipient"] = self.recipient
        if self.signer_key:
            data["signer_key"] = self.signer_key
        return data


def check_member_name(name: str, staging: Path | None = None) -> str:
    """``name`` if it is a safe member name (and, given ``staging``, stays inside it)."""
    path = PurePosixPath(name)
    if (
        "\\" in name
        or ":" in name
        or name.startswith("/")
        or ".." in path.parts
        or not _NAME.match(name)
    ):
        raise PackError(f"檔案中有不安全或不認得的成員路徑「{name}」，已拒絕匯入，資料未變更。")
    if staging is not None:
        root = staging.resolve()
        target = (root / name).resolve()
        if root not in target.parents:
            raise PackError(f"成員「{name}」的路徑會寫到暫存資料夾以外，已拒絕匯入，資料未變更。")
    return name


# The manifest's header fields, which a writer holds under the same names.
_HEADER_FIELDS = (
    "pack_id",
    "kind",
    "origin",
    "created_at",
    "schema_version",
    "content_version",
    "title",
)


@dataclass
class PackWriter:
    """Build a pack in memory: add record lines and pictures, then ``write``."""

    kind: str
    origin: dict[str, str]
    created_at: str
    schema_version: str
    pack_id: str
    content_version: int | None = None
    title: str = ""
    recipient: dict[str, str] = field(default_factory=dict)
    _members: dict[str, bytes] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    def add_records(self, record_type: str, records: list[dict[str, Any]]) -> None:
        name = check_member_name(f"records/{record_type}.jsonl")
        lines = [
            json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            for r in records
        ]
        self._members[name] = ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
        self._counts[name] = len(records)

    def add_file(self, name: str, data: bytes) -> None:
        self._members[check_member_name(name)] = data

    def manifest(self, signer: str = "", signer_key: str = "") -> Manifest:
        members = [
            Member(name, hashlib.sha256(data).hexdigest(), len(data), self._counts.get(name, 0))
            for name, data in sorted(self._members.items())
        ]
        header = {name: getattr(self, name) for name in _HEADER_FIELDS}
        return Manifest(
            **header,
            recipient=dict(self.recipient),
            signer=signer,
            signer_key=signer_key,
            members=members,
        )

    def write(self, target: Path, manifest_bytes: bytes, signature: bytes | None) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr(MANIFEST, manifest_bytes)
            if signature is not None:
                archive.writestr(SIGNATURE, signature)
            for name, data in sorted(self._members.items()):
                kind = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
                archive.writestr(name, data, compress_type=kind)
        with atomic_path(target, private=True) as partial:  # a pack carries people's data
            partial.write_bytes(buffer.getvalue())


def _recipient(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= 200 for k, v in value.items()
    ):
        raise TypeError("recipient")
    return dict(value)


def encode_manifest(manifest: Manifest) -> bytes:
    return json.dumps(manifest.as_json(), ensure_ascii=False, indent=1, sort_keys=True).encode(
        "utf-8"
    )


class PackReader:
    """An opened pack whose directory and manifest passed the checks above."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file_name = path.name
        if not path.is_file():
            raise UserFileError(f"找不到檔案「{path}」；請確認路徑是否正確。")
        if path.stat().st_size > MAX_PACK_BYTES:
            raise PackError(f"「{path.name}」超過 {MAX_PACK_BYTES // 2**20} MB，不是合理的交換檔。")
        try:
            self._data = path.read_bytes()
            self._zip = zipfile.ZipFile(io.BytesIO(self._data))
            infos = self._zip.infolist()
        except NotImplementedError as exc:  # zipfile: "zip file version 9.9" and the like
            raise PackError(
                f"「{path.name}」使用不支援的壓縮方式，不是本程式寫出的交換檔，已拒絕匯入，資料未變更。"
            ) from exc
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise PackError(
                f"「{path.name}」不是完整的交換檔（可能下載或複製不完整），已拒絕匯入，資料未變更。"
            ) from exc
        self._infos = self._check_directory(infos)
        self.manifest_bytes = self._read_raw(MANIFEST, MAX_MANIFEST_BYTES)
        self.signature = self._read_raw(SIGNATURE, 1024) if SIGNATURE in self._infos else None
        self.manifest = self._parse_manifest(self.manifest_bytes)
        listed = {m.name for m in self.manifest.members}
        present = set(self._infos) - {MANIFEST, SIGNATURE}
        for name in sorted(present - listed):
            raise PackError(f"成員「{name}」不在清單（manifest.json）中，已拒絕匯入，資料未變更。")
        for name in sorted(listed - present):
            raise PackError(
                f"清單中的成員「{name}」不在檔案中（檔案不完整），已拒絕匯入，資料未變更。"
            )
        for member in self.manifest.members:
            if self._infos[member.name].file_size != member.size:
                raise PackError(f"成員「{member.name}」的大小與清單不符，檔案已被更動或損毀。")

    def _check_directory(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > MAX_MEMBERS:
            raise PackError(f"「{self.file_name}」有 {len(infos)} 個成員，超過上限 {MAX_MEMBERS}。")
        seen: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            if name not in (MANIFEST, SIGNATURE):
                check_member_name(name)
            if name in seen:
                raise PackError(f"成員「{name}」重複出現，已拒絕匯入，資料未變更。")
            if info.flag_bits & 0x1:
                raise PackError(f"成員「{name}」經過加密，不是學校人事小幫手的交換檔。")
            if info.file_size > MAX_MEMBER_BYTES:
                raise PackError(
                    f"成員「{name}」解壓縮後有 {info.file_size:,} 位元組，超過每個成員的上限"
                    f" {MAX_MEMBER_BYTES // 2**20} MB（可能是壓縮炸彈），已拒絕匯入。"
                )
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise PackError(
                    f"成員「{name}」的壓縮比異常（可能是壓縮炸彈），已拒絕匯入，資料未變更。"
                )
            total += info.file_size
            seen[name] = info
        if total > MAX_TOTAL_BYTES:
            raise PackError(
                f"「{self.file_name}」解壓縮後超過 {MAX_TOTAL_BYTES // 2**20} MB，已拒絕匯入。"
            )
        if MANIFEST not in seen:
            raise PackError(
                f"「{self.file_name}」沒有清單（manifest.json），不是學校人事小幫手的交換檔。"
            )
        return seen

    def _read_raw(self, name: str, limit: int) -> bytes:
        info = self._infos[name]
        # zipfile refuses both with NotImplementedError; they are the sender's problem, said so
        if (
            info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or info.extract_version > ZIP_MAX_VERSION
        ):
            raise PackError(f"成員「{name}」使用不支援的壓縮方式，已拒絕匯入，資料未變更。")
        try:
            with self._zip.open(info) as stream:
                data = stream.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise PackError(f"成員「{name}」已損毀（{exc}），已拒絕匯入，資料未變更。") from exc
        if len(data) > limit or len(data) != info.file_size:
            raise PackError(f"成員「{name}」的大小與宣告不符（可能是壓縮炸彈），已拒絕匯入。")
        return data

    def _parse_manifest(self, raw: bytes) -> Manifest:
        def bad(what: str) -> PackError:
            return PackError(
                f"「{self.file_name}」的清單（manifest.json）{what}，不是有效的交換檔，"
                "已拒絕匯入，資料未變更。"
            )

        try:
            data = safejson.loads(raw.decode("utf-8"), max_text_chars=MAX_MANIFEST_BYTES)
        except UnicodeDecodeError as exc:
            raise bad("無法解讀") from exc
        except safejson.JsonRefused as exc:
            if exc.syntax:
                raise bad("無法解讀") from exc
            where = f"第 {exc.line} 行" if exc.line is not None else ""
            raise bad(f"{where}{exc.reason}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise bad("格式不對")
        version = data.get("format_version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise bad("沒有格式版本")
        if version > FORMAT_VERSION:
            raise PackError(
                f"「{self.file_name}」是較新版本的學校人事小幫手建立的（格式第 {version} 版），"
                "此版本無法讀取，資料未變更。請先更新學校人事小幫手。"
            )
        try:
            members = [
                Member(
                    str(m["name"]),
                    str(m["sha256"]),
                    _whole(m["size"], 0, MAX_MEMBER_BYTES, f"成員「{str(m['name'])[:80]}」的大小"),
                    _whole(m.get("records", 0), 0, MAX_MEMBER_BYTES, "筆數"),
                )
                for m in data["members"]
            ]
            origin = {str(k): str(v) for k, v in dict(data["origin"]).items()}
            content_version = None
            if "content_version" in data:
                content_version = _whole(
                    data["content_version"], 1, MAX_CONTENT_VERSION, "內容版本"
                )
            manifest = Manifest(
                pack_id=str(data["pack_id"]),
                kind=str(data["kind"]),
                origin=origin,
                created_at=str(data["created_at"]),
                schema_version=str(data["schema_version"]),
                members=members,
                content_version=content_version,
                signer=str(data.get("signer", "")),
                title=str(data.get("title", "")),
                format_version=version,
                recipient=_recipient(data.get("recipient", {})),
                signer_key=str(data.get("signer_key", ""))[:100],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise bad(f"缺少或有錯誤的欄位（{exc}）") from exc
        try:
            parse_stamp(data["created_at"])
        except ValueError as exc:
            raise bad(f"的建立時間（created_at）有誤：{exc}") from exc
        if manifest.kind not in KINDS:
            raise bad(f"的種類「{manifest.kind}」不認得")
        if len({m.name for m in members}) != len(members):
            raise bad("有重複的成員")
        for member in members:
            check_member_name(member.name)
        return manifest

    def read_member(self, name: str) -> bytes:
        """A member's bytes, after checking its size and SHA-256 against the manifest."""
        member = next(m for m in self.manifest.members if m.name == name)
        data = self._read_raw(name, MAX_MEMBER_BYTES)
        if len(data) != member.size or hashlib.sha256(data).hexdigest() != member.sha256:
            raise PackError(
                f"成員「{name}」的內容與清單的檢查碼不符，檔案已被更動或損毀，資料未變更。"
            )
        return data

    def records(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        """(line number, object) of a JSON Lines member, each line read within the limits of
        ``schoolhr.safejson``."""
        return list(self.iter_records(name))

    def iter_records(self, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """``records`` one line at a time, so that a big member is never held as objects all
        at once (the member's checked bytes are)."""
        raw = self.read_member(name)
        # Lines end at "\n" only: JSON keeps U+2028, U+0085 … raw inside strings, and
        # str.splitlines would cut a record there. UTF-8 never has "\n" inside a character,
        # so each line decodes on its own.
        for number, chunk in enumerate(io.BytesIO(raw), start=1):
            try:
                line = chunk.removesuffix(b"\n").decode("utf-8")
            except UnicodeDecodeError as exc:
                raise PackError(f"成員「{name}」不是 UTF-8 文字，已拒絕匯入。") from exc
            if not line.strip():
                continue
            try:
                value = safejson.loads(line, max_text_chars=MAX_RECORD_CHARS)
            except safejson.JsonRefused as exc:
                raise PackError(
                    f"「{self.file_name}」的成員「{name}」第 {number} 筆{exc.reason}，"
                    "已拒絕匯入，資料未變更。"
                ) from exc
            if not isinstance(value, dict):
                raise PackError(f"成員「{name}」第 {number} 筆不是一筆紀錄，已拒絕匯入。")
            yield number, value

    def extract(self, name: str, staging: Path) -> Path:
        """Write a checked member below ``staging`` (its path checked to stay inside)."""
        check_member_name(name, staging)
        data = self.read_member(name)
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target
