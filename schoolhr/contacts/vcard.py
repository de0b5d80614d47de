"""Contacts as vCard (.vcf): read 2.1/3.0/4.0 as Outlook, Google Contacts and phones write
them, write 3.0 (what Outlook and Google both import).

Parsing is done card by card with ``vobject``, so one damaged card is a ``Rejected`` row and
the others still import. Mapping: FN (or N) -> name, ORG -> school, TEL by number and TYPE
(a mobile number or TYPE=CELL -> mobile, otherwise the WORK/VOICE number -> office phone),
EMAIL, NOTE, TITLE/ROLE -> role when it is one of ``ROLES``, X-LINE or IMPP (line:…) -> LINE
ID, CATEGORIES -> duties. What has no standard property travels as X-SCHOOLHR-* so that a
file written here and read back keeps every field. PHOTO and other properties are skipped.

Written files are UTF-8 without a byte-order mark, CRLF line ends, lines folded at 75 octets
without splitting a character.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import vobject  # type: ignore[import-untyped]

from schoolhr.contacts.records import ROLES, ContactError, ContactRecord, digits, validate
from schoolhr.contacts.tabular import (
    ImportRow,
    ReadResult,
    Rejected,
    parse_date,
    parse_years,
    rejected_for,
)
from schoolhr.errors import UserFileError
from schoolhr.reports.csvio import atomic_output, read_limited

MAX_VCF_BYTES = 20 * 1024 * 1024
FOLD_OCTETS = 75
X_PREFIX = "X-SCHOOLHR-"
# Google Contacts puts its own system groups into CATEGORIES; they are not duties.
_SYSTEM_CATEGORIES = frozenset({"mycontacts", "starred", "imported", "其他聯絡人"})
_COMPOUND_SURNAMES = frozenset(
    "歐陽 司馬 諸葛 上官 東方 皇甫 尉遲 公孫 令狐 長孫 慕容 司徒 夏侯 范姜 張簡 張廖".split()  # noqa: SIM905
)
_SKIPPED = re.compile(r"^(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


# ---------------------------------------------------------------------------------------------
# reading


def read(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> ReadResult:
    """Every card of a .vcf file; ``mapping`` is accepted for a uniform API and not used.

    ``ImportRow.row`` / ``Rejected.row`` is the card's position in the file (the first is 1).
    Raises ``UserFileError`` for a missing or unreadable file, one over 20 MB, one that is not
    UTF-8 or Big5 (cp950) text, or one without any card.
    """
    source = Path(path)
    data = read_limited(source, MAX_VCF_BYTES, kind="vCard")
    text = _decode(source.name, data)
    result = ReadResult(headers=[], rows=[], rejected=[], mapping={})
    found = False
    for number, card_text in enumerate(split_cards(text), start=1):
        found = True
        try:
            card = vobject.readOne(card_text, allowQP=True)
        except Exception:  # untrusted input: any parse failure is the card's fault
            result.rejected.append(Rejected(number, "vCard", "這張名片的格式有誤，無法讀取"))
            continue
        try:
            result.rows.append(ImportRow(number, validate(record_from_card(card))))
        except ContactError as exc:
            result.rejected.append(rejected_for(number, exc))
    if not found:
        raise UserFileError(
            f"檔案「{source.name}」裡沒有聯絡人名片（vCard）。請確認匯出時選擇的是 vCard 格式。"
        )
    return result


def _decode(name: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp950"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserFileError(
        f"檔案「{name}」的文字編碼無法辨識（不是 UTF-8 或 Big5）。請重新以 vCard 格式匯出後再匯入。"
    )


def split_cards(text: str) -> Iterator[str]:
    """The text of each BEGIN:VCARD … END:VCARD block, without PHOTO/LOGO/SOUND/KEY properties
    (large and never used here) and blank lines."""
    lines: list[str] = []
    inside = False
    skipping = False
    for line in text.splitlines():
        upper = line.strip().upper()
        if not inside:
            if upper == "BEGIN:VCARD":
                inside, lines, skipping = True, [line.strip()], False
            continue
        if skipping and (line[:1] in (" ", "\t") or not line.strip()):
            continue  # a folded continuation (or the blank line ending 2.1 base64) of a skipped one
        skipping = False
        if _SKIPPED.match(line):
            skipping = True
            continue
        if not line.strip():
            continue
        lines.append(line)
        if upper == "END:VCARD":
            inside = False
            yield "\r\n".join(lines) + "\r\n"


def _all(card: Any, name: str) -> list[Any]:
    return list(card.contents.get(name.lower(), []))


def _first_text(card: Any, *names: str) -> str:
    for name in names:
        for line in _all(card, name):
            value = _text(line.value)
            if value.strip():
                return value.strip()
    return ""


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value if _text(item))
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n")


def _types(line: Any) -> set[str]:
    found: set[str] = set()
    for key, values in line.params.items():
        if key.upper() == "TYPE":
            for value in values:
                found.update(part.strip().upper() for part in str(value).split(","))
        elif not values:  # vCard 2.1: TEL;WORK;VOICE:…
            found.add(key.upper())
    return found


def _name(card: Any) -> str:
    name = _first_text(card, "fn")
    if name:
        return name
    for line in _all(card, "n"):
        value = line.value
        family = _text(getattr(value, "family", ""))
        given = _text(getattr(value, "given", ""))
        if _CJK.search(family + given):
            return f"{family}{given}"
        return f"{given} {family}".strip()
    return ""


def _phone_text(value: str) -> str:
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    return re.sub(r";\s*ext=", "#", text, flags=re.IGNORECASE)


def _is_mobile(text: str) -> bool:
    number = digits(text.split("#")[0])
    return bool(re.fullmatch(r"(?:0|886)9\d{8}", number))


def _phones(card: Any) -> tuple[str, str]:
    """(office phone, mobile): the first mobile-looking or CELL number is the mobile, the first
    WORK number (else the first other number) the office phone; FAX and PAGER are skipped."""
    office: list[tuple[bool, str]] = []
    mobiles: list[tuple[bool, str]] = []
    for line in _all(card, "tel"):
        types = _types(line)
        if types & {"FAX", "PAGER"}:
            continue
        number = _phone_text(_text(line.value))
        if not number:
            continue
        if _is_mobile(number):
            mobiles.append(("CELL" in types, number))
        else:
            office.append(("WORK" in types, number))
    office.sort(key=lambda item: not item[0])  # stable: typed WORK first, then file order
    mobiles.sort(key=lambda item: not item[0])
    return (office[0][1] if office else "", mobiles[0][1] if mobiles else "")


def _line_id(card: Any) -> str:
    found = _first_text(card, "x-line", "x-line-id", f"{X_PREFIX}line-id")
    if found:
        return found
    for line in _all(card, "impp"):
        value = _text(line.value).strip()
        service = " ".join(
            str(v) for k, vs in line.params.items() if k.upper() == "X-SERVICE-TYPE" for v in vs
        )
        if value.lower().startswith("line:"):
            return value[5:]
        if service.strip().lower() == "line":
            return value.split(":", 1)[-1]
    return ""


def _categories(card: Any) -> list[str]:
    duties: list[str] = []
    for line in _all(card, "categories"):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        for value in values:
            text = str(value).strip()
            if text and text.casefold() not in _SYSTEM_CATEGORIES:
                duties.append(text)
    return duties


def record_from_card(card: Any) -> ContactRecord:
    """A record (not yet validated) from a parsed ``vobject`` vCard."""
    school = ""
    for line in _all(card, "org"):
        parts = line.value if isinstance(line.value, list) else [line.value]
        school = next((_text(part).strip() for part in parts if _text(part).strip()), "")
        if school:
            break
    role = _first_text(card, f"{X_PREFIX}role")
    if not role:
        role = next(
            (
                _text(line.value).strip()
                for name in ("title", "role")
                for line in _all(card, name)
                if _text(line.value).strip() in ROLES
            ),
            "",
        )
    office_phone, mobile = _phones(card)
    record = ContactRecord(
        name=_name(card),
        school=school,
        region=_first_text(card, f"{X_PREFIX}region"),
        role=role,
        duties=_categories(card),
        office_phone=office_phone,
        mobile=mobile,
        email=_first_text(card, "email"),
        line_id=_line_id(card),
        notes=_first_text(card, "note"),
        consent_scope=_first_text(card, f"{X_PREFIX}consent-scope"),
    )
    years = _first_text(card, f"{X_PREFIX}years")
    if years:
        record.years = parse_years(years)
    consent = _first_text(card, f"{X_PREFIX}consent-date")
    if consent:
        record.consent_date = parse_date(consent)
    return record


# ---------------------------------------------------------------------------------------------
# writing


def write(
    path: str | os.PathLike[str], records: Sequence[ContactRecord], fields: Sequence[str]
) -> None:
    """vCard 3.0 with only ``fields`` (the name always), replacing ``path`` atomically."""
    text = "".join(card_text(record, fields) for record in records)
    with atomic_output(Path(path)) as handle:
        handle.write(text.encode("utf-8"))


def card_text(record: ContactRecord, fields: Sequence[str]) -> str:
    picked = set(fields)
    card = vobject.vCard()
    family, given = split_name(record.name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("fn").value = record.name

    def add(name: str, value: str, types: Sequence[str] = ()) -> None:
        line = card.add(name)
        line.value = value
        if types:
            line.type_param = list(types)

    if "school" in picked and record.school:
        card.add("org").value = [record.school]
    if "role" in picked and record.role:
        add("title", record.role)
        add(f"{X_PREFIX}role", record.role)
    if "office_phone" in picked and record.office_phone:
        add("tel", record.office_phone, ("WORK", "VOICE"))
    if "mobile" in picked and record.mobile:
        add("tel", record.mobile, ("CELL",))
    if "email" in picked and record.email:
        add("email", record.email, ("INTERNET",))
    if "notes" in picked and record.notes:
        add("note", record.notes.replace("\r\n", "\n"))
    if "duties" in picked and record.duties:
        card.add("categories").value = list(record.duties)
    if "line_id" in picked and record.line_id:
        add("x-line", record.line_id)
    if "region" in picked and record.region:
        add(f"{X_PREFIX}region", record.region)
    if "years" in picked and record.years is not None:
        add(f"{X_PREFIX}years", str(record.years))
    if "consent_date" in picked and record.consent_date is not None:
        add(f"{X_PREFIX}consent-date", record.consent_date.isoformat())
    if "consent_scope" in picked and record.consent_scope:
        add(f"{X_PREFIX}consent-scope", record.consent_scope)
    return refold(card.serialize())


def split_name(name: str) -> tuple[str, str]:
    """(family, given): 「歐陽志明」 -> (歐陽, 志明), 「王小明」 -> (王, 小明),
    「Ann Lee」 -> (Lee, Ann)."""
    if _CJK.match(name) and " " not in name:
        size = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:size], name[size:]
    family, _, given = name.rpartition(" ")
    return (given, family) if family else (name, "")


def refold(text: str) -> str:
    """Unfold what ``vobject`` wrote and fold again at 75 octets, never inside a character."""
    lines = text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        piece: list[str] = []
        size = 0
        limit = FOLD_OCTETS
        for char in line:
            width = len(char.encode("utf-8"))
            if size + width > limit:
                out.append("".join(piece))
                piece, size, limit = [" "], 1, FOLD_OCTETS
            piece.append(char)
            size += width
        out.append("".join(piece))
    return "\r\n".join(out) + "\r\n"
