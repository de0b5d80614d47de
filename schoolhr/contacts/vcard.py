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
from schoolhr.reports.csvio import atomic_output, is_big5_user_defined, read_limited

MAX_VCF_BYTES = 20 * 1024 * 1024
MAX_CARDS = 5000  # a county's whole peer-group list is about 2,000 people
# Lines of one card once its pictures are left out; a 5,000-character note folds into about
# 200. vobject re-reads a property's text at every folded line (time grows with the square of
# their number), so a card folded a million times would hang the import.
MAX_CARD_LINES = 2000
MAX_PARAMETER_CHARS = 1000  # a property's name and parameters (TYPE=…); real ones are short
FOLD_OCTETS = 75
X_PREFIX = "X-SCHOOLHR-"
# Google Contacts puts its own system groups into CATEGORIES; they are not duties.
_SYSTEM_CATEGORIES = frozenset({"mycontacts", "starred", "imported", "其他聯絡人"})
_COMPOUND_SURNAMES = frozenset(
    "歐陽 司馬 諸葛 上官 東方 皇甫 尉遲 公孫 令狐 長孫 慕容 司徒 夏侯 范姜 張簡 張廖".split()  # noqa: SIM905
)
# The properties ``record_from_card`` reads (besides X-SCHOOLHR-*), and what vobject needs.
_READ = frozenset(
    {"BEGIN", "END", "VERSION", "FN", "N", "ORG", "TITLE", "ROLE", "TEL", "EMAIL", "NOTE"}
    | {"CATEGORIES", "IMPP", "X-LINE", "X-LINE-ID"}
)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


# ---------------------------------------------------------------------------------------------
# reading


def read(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> ReadResult:
    """Every card of a .vcf file; ``mapping`` is accepted for a uniform API and not used.

    ``ImportRow.row`` / ``Rejected.row`` is the card's position in the file (the first is 1).
    Raises ``UserFileError`` for a missing or unreadable file, one over 20 MB, one that is not
    UTF-8 or Big5 (cp950) text, one without any card or with more than ``MAX_CARDS``. A card
    of more than ``MAX_CARD_LINES`` lines, or with a property whose parameters run over
    ``MAX_PARAMETER_CHARS``, is rejected without being parsed.
    """
    source = Path(path)
    data = read_limited(source, MAX_VCF_BYTES, kind="vCard")
    text = _decode(source.name, data)
    result = ReadResult(headers=[], rows=[], rejected=[], mapping={})
    cards = list(split_cards(text))
    if len(cards) > MAX_CARDS:
        raise UserFileError(
            f"檔案「{source.name}」有 {len(cards):,} 張名片，超過一次匯入的上限 {MAX_CARDS:,} 張。"
            "請分成幾個檔案再匯入。"
        )
    found = False
    for number, (card_text, problem) in enumerate(cards, start=1):
        found = True
        if problem is not None:
            result.rejected.append(Rejected(number, "vCard", problem))
            continue
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp950")
    except UnicodeDecodeError as exc:
        if is_big5_user_defined(data[exc.start : exc.start + 2]):
            line = data.count(b"\n", 0, exc.start) + 1
            raise UserFileError(
                f"檔案「{name}」第 {line:,} 行有自行造字的字元（Big5 造字區），無法讀取。"
                "請把它換成一般字，或重新以 UTF-8 的 vCard 格式匯出後再匯入。"
            ) from exc
    raise UserFileError(
        f"檔案「{name}」的文字編碼無法辨識（不是 UTF-8 或 Big5）。請重新以 vCard 格式匯出後再匯入。"
    )


def split_cards(text: str) -> Iterator[tuple[str, str | None]]:
    """(text, problem) of each BEGIN:VCARD … END:VCARD block. ``problem`` is why the card
    cannot be read without parsing it (None when it can be parsed).

    The text keeps only the properties this app reads (``_READ`` and X-SCHOOLHR-*, with their
    folded and quoted-printable continuation lines) and lines without a colon (damage vobject
    must see to reject the card). Pictures, sounds, keys and the rest are left out before
    parsing: they are large, never used, and vobject's cost for them (for parameters above
    all) would let one crafted file keep the import busy for minutes."""
    lines: list[str] = []
    problem: str | None = None
    inside = False
    keeping = False  # the current property is kept (its continuation lines follow it)
    quoted = False  # the current property is quoted-printable
    soft_break = False  # ... and its last line ended with "=": the next line continues it
    # Only CR and LF end a vCard line: str.splitlines() would also split at U+2028, U+0085 and
    # other separators that may sit inside a value (a note pasted from a web page).
    for line in _LINE_BREAK.split(text):
        if not inside:
            if line.strip().upper() == "BEGIN:VCARD":
                inside, lines, problem = True, [line.strip()], None
                keeping, quoted, soft_break = True, False, False
            continue
        ends = line.strip().upper() == "END:VCARD"  # even after a dangling "=" (damage)
        if not ends and (soft_break or line[:1] in (" ", "\t")):
            if keeping:
                lines.append(line)
            soft_break = quoted and line.endswith("=")
            continue
        if not line.strip():
            continue  # blank lines, as after a vCard 2.1 base64 picture
        head = line.split(":", 1)[0] if ":" in line else None
        name = head.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper() if head else ""
        keeping = head is None or name in _READ or name.startswith(X_PREFIX)
        quoted = head is not None and "QUOTED-PRINTABLE" in head.upper()
        soft_break = quoted and line.endswith("=")
        if keeping:
            lines.append(line)
            if head is not None and len(head) > MAX_PARAMETER_CHARS:
                problem = (
                    f"這張名片的「{name[:20]}」參數超過 {MAX_PARAMETER_CHARS:,} 字，"
                    "內容異常，無法讀取"
                )
        if ends:
            inside = False
            if len(lines) > MAX_CARD_LINES:
                problem = f"這張名片超過 {MAX_CARD_LINES:,} 行，內容異常，無法讀取"
            yield "\r\n".join(lines) + "\r\n", problem


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
