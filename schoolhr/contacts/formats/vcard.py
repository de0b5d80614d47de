"""Contacts as vCard (.vcf): read 2.1/3.0/4.0 as Outlook, Google Contacts and phones write
them, write 3.0 (what Outlook and Google both import).

Parsing is done card by card with ``vobject``, so one damaged card is a ``Rejected`` row and
the others still import. Mapping: FN (or N) -> name, ORG -> school, TEL by number and TYPE
(a mobile number or TYPE=CELL -> mobile, otherwise the WORK/VOICE number -> office phone),
EMAIL, NOTE, TITLE/ROLE -> role when it is one of ``ROLES``, X-LINE or IMPP (line:…) -> LINE
ID, CATEGORIES -> duties. What has no standard property travels as X-SCHOOLHR-* so that a
file written here and read back keeps every field. PHOTO and other properties are skipped.

Values the card encodes (vCard 2.1 ``ENCODING=QUOTED-PRINTABLE`` or ``BASE64``, 3.0
``ENCODING=b``) are decoded here, before ``vobject`` sees them, with their ``CHARSET`` (UTF-8,
Big5 …; UTF-8 when none is given, or for 2.1 the Big5 a zh-TW phone wrote): ``vobject`` would
hand a base64 value over as bytes and leave a structured one (N, ORG) encoded. A value that
cannot be decoded rejects its card, naming the field. Commas in single-valued text (FN, NOTE,
ORG …) are kept: vCard 2.1 never escapes them and ``vobject`` would cut the value at the first.

Written files are UTF-8 without a byte-order mark, CRLF line ends, lines folded at 75 octets
without splitting a character.
"""

from __future__ import annotations

import binascii
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vobject  # type: ignore[import-untyped]

from schoolhr.budget import Deadline
from schoolhr.contacts.formats.tabular import (
    ImportRow,
    ReadResult,
    Rejected,
    parse_date,
    parse_years,
    rejected_for,
)
from schoolhr.contacts.records import (
    FIELD_LABELS,
    ROLES,
    ContactError,
    ContactRecord,
    digits,
    validate,
)
from schoolhr.errors import UserFileError
from schoolhr.files import write_atomically
from schoolhr.reports.csvio import (
    encoding_verdict_text,
    is_big5_user_defined,
    legacy_chinese,
    read_limited,
    rows_text,
)

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
# Properties whose value is one text: a comma in it is part of the text (vobject would take
# it for a list separator and keep only the first part). N and CATEGORIES are lists; so, in
# effect, is EMAIL (of 「a@x.tw, b@y.tw」 the first address is taken).
_SINGLE_TEXT = frozenset(
    {"FN", "ORG", "TITLE", "ROLE", "TEL", "NOTE", "IMPP", "X-LINE", "X-LINE-ID"}
)
_UNESCAPED_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")
_QP_ESCAPE = re.compile(r"=([0-9A-Fa-f]{2})")
_PLAIN_ENCODINGS = frozenset({"7BIT", "8BIT"})
_BASE64 = frozenset({"B", "BASE64"})
_QUOTED_PRINTABLE = "QUOTED-PRINTABLE"
# CHARSET names phones and Outlook write -> Python codec. Big5 is read as cp950, the Windows
# Big5 Excel and Outlook use (a superset); a declared GBK value is decoded as declared.
_CHARSETS = {
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
    "US-ASCII": "ascii",
    "ASCII": "ascii",
    "BIG5": "cp950",
    "BIG-5": "cp950",
    "X-BIG5": "cp950",
    "CP950": "cp950",
    "MS950": "cp950",
    "WINDOWS-950": "cp950",
    "BIG5-HKSCS": "big5hkscs",
    "GB2312": "gbk",
    "GBK": "gbk",
    "CP936": "gbk",
    "GB18030": "gb18030",
    "ISO-8859-1": "latin-1",
    "WINDOWS-1252": "cp1252",
}
# What each property read here is, for a rejected card's field.
_PROPERTY_LABELS = {
    "FN": FIELD_LABELS["name"],
    "N": FIELD_LABELS["name"],
    "ORG": FIELD_LABELS["school"],
    "TITLE": FIELD_LABELS["role"],
    "ROLE": FIELD_LABELS["role"],
    "TEL": "電話",
    "EMAIL": FIELD_LABELS["email"],
    "NOTE": FIELD_LABELS["notes"],
    "CATEGORIES": FIELD_LABELS["duties"],
    "IMPP": FIELD_LABELS["line_id"],
    "X-LINE": FIELD_LABELS["line_id"],
    "X-LINE-ID": FIELD_LABELS["line_id"],
}


@dataclass(frozen=True)
class CardProblem:
    """Why a card is rejected without being parsed: ``field`` is the zh-TW label of the field
    (「姓名」) or "vCard" for the card as a whole."""

    field: str
    reason: str


# ---------------------------------------------------------------------------------------------
# reading


def read(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> ReadResult:
    """Every card of a .vcf file; ``mapping`` is accepted for a uniform API and not used.

    ``ImportRow.row`` / ``Rejected.row`` is the card's position in the file (the first is 1).
    Raises ``UserFileError`` for a missing or unreadable file, one over 20 MB, one that is not
    UTF-8 or Big5 (cp950) text (also one that decodes as Big5 into unlikely text: GBK), one
    without any card or with more than ``MAX_CARDS``. A card of more than ``MAX_CARD_LINES``
    lines, with a property whose parameters run over ``MAX_PARAMETER_CHARS``, or with an
    encoded value that cannot be decoded, is rejected without being parsed.
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
    deadline = Deadline(source.name)
    for number, (card_text, problem) in enumerate(cards, start=1):
        deadline.check(f"第 {number:,} 張名片")
        found = True
        if problem is not None:
            result.rejected.append(Rejected(number, problem.field, problem.reason))
            continue
        try:
            # quoted-printable is decoded already (split_cards): vobject's own handling would
            # join the next line to a decoded value that ends with "=" and names the encoding
            card = vobject.readOne(card_text, allowQP=False)
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
    verdict = legacy_chinese(data)
    if verdict == "cp950":
        return data.decode("cp950")
    if verdict is not None:
        cards = _cards_with_text(data)
        where = f"{rows_text(cards, '張名片')}的文字" if cards else "檔案裡的文字"
        raise UserFileError(
            f"檔案「{name}」{encoding_verdict_text(verdict, where)}"
            "請重新以 UTF-8 的 vCard 格式匯出後再匯入。"
        )
    try:
        data.decode("cp950")
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


def _cards_with_text(data: bytes) -> list[int]:
    """The numbers of the cards (the first is 1) with bytes that are not ASCII."""
    numbers: list[int] = []
    number = 0
    for line in _LINE_BREAK.split(data.decode("latin-1")):
        if line.strip().upper() == "BEGIN:VCARD":
            number += 1
        elif number and not line.isascii() and (not numbers or numbers[-1] != number):
            numbers.append(number)
    return numbers


def split_cards(text: str) -> Iterator[tuple[str, CardProblem | None]]:
    """(text, problem) of each BEGIN:VCARD … END:VCARD block. ``problem`` is why the card
    cannot be read without parsing it (None when it can be parsed).

    The text keeps only the properties this app reads (``_READ`` and X-SCHOOLHR-*, with their
    folded and quoted-printable continuation lines) and lines without a colon (damage vobject
    must see to reject the card). Pictures, sounds, keys and the rest are left out before
    parsing: they are large, never used, and vobject's cost for them (for parameters above
    all) would let one crafted file keep the import busy for minutes. The properties kept are
    unfolded, their encoded values decoded and commas in single texts escaped
    (``_property_line``)."""
    properties: list[list[str]] = []  # the kept properties of the card, each its lines
    line_count = 0
    problem: CardProblem | None = None
    inside = False
    keeping = False  # the current property is kept (its continuation lines follow it)
    quoted = False  # the current property is quoted-printable
    soft_break = False  # ... and its last line ended with "=": the next line continues it
    # Only CR and LF end a vCard line: str.splitlines() would also split at U+2028, U+0085 and
    # other separators that may sit inside a value (a note pasted from a web page).
    for line in _LINE_BREAK.split(text):
        if not inside:
            if line.strip().upper() == "BEGIN:VCARD":
                inside, properties, line_count, problem = True, [[line.strip()]], 1, None
                keeping, quoted, soft_break = True, False, False
            continue
        ends = line.strip().upper() == "END:VCARD"  # even after a dangling "=" (damage)
        if not ends and (soft_break or line[:1] in (" ", "\t")):
            if keeping:
                properties[-1].append(line)
                line_count += 1
            soft_break = quoted and line.endswith("=")
            continue
        if not line.strip():
            continue  # blank lines, as after a vCard 2.1 base64 picture
        head = line.split(":", 1)[0] if ":" in line else None
        name = head.split(";", 1)[0].rsplit(".", 1)[-1].strip().upper() if head else ""
        keeping = head is None or name in _READ or name.startswith(X_PREFIX)
        quoted = head is not None and _QUOTED_PRINTABLE in head.upper()
        soft_break = quoted and line.endswith("=")
        if keeping:
            properties.append([line])
            line_count += 1
            if head is not None and len(head) > MAX_PARAMETER_CHARS:
                problem = CardProblem(
                    _PROPERTY_LABELS.get(name, "vCard"),
                    f"這張名片的「{name[:20]}」參數超過 {MAX_PARAMETER_CHARS:,} 字，"
                    "內容異常，無法讀取",
                )
        if ends:
            inside = False
            if line_count > MAX_CARD_LINES:
                problem = CardProblem(
                    "vCard", f"這張名片超過 {MAX_CARD_LINES:,} 行，內容異常，無法讀取"
                )
            if problem is not None:  # not parsed: its lines as they are
                yield "\r\n".join(part for lines in properties for part in lines), problem
                continue
            yield _card_text(properties)


def _card_text(properties: list[list[str]]) -> tuple[str, CardProblem | None]:
    version = "3.0"
    for lines in properties:
        head, _, value = lines[0].partition(":")
        if head.strip().upper() == "VERSION":
            version = value.strip()
    out: list[str] = []
    for lines in properties:
        line, problem = _property_line(lines, version)
        if problem is not None:
            return "\r\n".join(part for lines in properties for part in lines), problem
        out.append(line)
    return "\r\n".join(out) + "\r\n", None


def _split_parameters(head: str) -> list[str]:
    """「FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE」 -> its parts, at semicolons outside
    double quotes."""
    parts: list[str] = []
    start = 0
    quoted = False
    for index, char in enumerate(head):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append(head[start:index])
            start = index + 1
    parts.append(head[start:])
    return parts


class _Undecodable(ValueError):
    """An encoded value that cannot be read; the message is the zh-TW reason's end."""


def _property_line(lines: list[str], version: str) -> tuple[str, CardProblem | None]:
    """One property as one line for vobject: unfolded, its ENCODING (quoted-printable, base64)
    decoded with its CHARSET, and commas in a single text escaped."""
    if ":" not in lines[0]:
        return "\r\n".join(lines), None  # damage: vobject rejects the card
    head, _, value = lines[0].partition(":")
    if len(lines) == 1 and "," not in value and ";" not in head:  # no parameters, no comma
        return lines[0], None
    parts = _split_parameters(head)
    name = parts[0].rsplit(".", 1)[-1].strip().upper()
    kept: list[str] = [parts[0]]
    encoding = charset = ""
    for part in parts[1:]:
        key, equals, setting = part.partition("=")
        key = key.strip().upper()
        if equals and key == "ENCODING":
            encoding = setting.strip().strip('"').upper()
        elif equals and key == "CHARSET":
            charset = setting.strip().strip('"').upper()
        elif not equals and key in (_QUOTED_PRINTABLE, *_BASE64, *_PLAIN_ENCODINGS):
            encoding = key  # vCard 2.1: TEL;QUOTED-PRINTABLE:…
        else:
            kept.append(part)
    pieces = [value]
    for line in lines[1:]:
        if encoding == _QUOTED_PRINTABLE and pieces[-1].endswith("="):
            pieces[-1] = pieces[-1][:-1]  # a soft line break
            pieces.append(line)
        else:
            pieces.append(line[1:])  # folded: the first space or tab is not part of it
    value = "".join(pieces)
    label = _PROPERTY_LABELS.get(name) or _schoolhr_label(name)
    if encoding and encoding not in _PLAIN_ENCODINGS:
        try:
            value = _decoded_value(value, encoding, charset, version)
        except _Undecodable as exc:
            where = f"「{label}」（{name[:30]}）" if label else f"「{name[:30]}」"
            return "", CardProblem(label or "vCard", f"這張名片的{where}{exc}")
        value = value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    if name in _SINGLE_TEXT or name.startswith(X_PREFIX):
        value = _UNESCAPED_COMMA.sub(r"\1\\,", value)
    return f"{';'.join(kept)}:{value}", None


def _schoolhr_label(name: str) -> str:
    if not name.startswith(X_PREFIX):
        return ""
    return FIELD_LABELS.get(name[len(X_PREFIX) :].lower().replace("-", "_"), "")


_REEXPORT = "請重新以 UTF-8 的 vCard 格式匯出這張名片後再匯入"


def _decoded_value(value: str, encoding: str, charset: str, version: str) -> str:
    """The text of an encoded value; ``_Undecodable`` says why there is none."""
    codec = _CHARSETS.get(charset) if charset else "utf-8"
    if codec is None:
        raise _Undecodable(
            f"的字元集「{charset[:30]}」無法辨識（可以是 UTF-8 或 Big5），無法讀取。{_REEXPORT}"
        )
    if encoding == _QUOTED_PRINTABLE:
        raw = _quoted_printable_bytes(value, codec)
    elif encoding in _BASE64:
        raw = _base64_bytes(value)
    else:
        raise _Undecodable(f"的編碼方式「{encoding[:30]}」無法辨識，無法讀取。{_REEXPORT}")
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "cp950" and is_big5_user_defined(raw[exc.start : exc.start + 2]):
            raise _Undecodable(
                f"有自行造字的字元（Big5 造字區），無法讀取。請把它換成一般字，或{_REEXPORT[1:]}"
            ) from exc
        if not charset and version.startswith("2") and legacy_chinese(raw) == "cp950":
            return raw.decode("cp950")  # a zh-TW phone's vCard 2.1: Big5 without saying so
        if charset:
            problem = f"的內容不是註明的 {charset[:30]} 文字（可能是註明的字元集不對），無法讀取。"
        else:
            problem = "的內容不是 UTF-8 文字，也沒有註明字元集（CHARSET），無法讀取。"
        raise _Undecodable(problem + _REEXPORT) from exc


def _quoted_printable_bytes(value: str, codec: str) -> bytes:
    out = bytearray()
    for index, piece in enumerate(_QP_ESCAPE.split(value)):
        if index % 2:  # the two hex digits after a "="
            out.append(int(piece, 16))
            continue
        if "=" in piece:
            raise _Undecodable(
                "的 quoted-printable 編碼格式有誤（「=」後面應是兩位十六進位數字），無法讀取。"
                f"{_REEXPORT}"
            )
        try:
            out += piece.encode(codec)
        except UnicodeEncodeError as exc:
            raise _Undecodable(
                "的 quoted-printable 編碼格式有誤（夾有註明的字元集無法表示的文字），無法讀取。"
                f"{_REEXPORT}"
            ) from exc
    return bytes(out)


def _base64_bytes(value: str) -> bytes:
    text = "".join(value.split())
    text += "=" * (-len(text) % 4)  # some phones leave the padding out
    try:
        return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise _Undecodable(f"的 BASE64 編碼格式有誤，無法解碼。{_REEXPORT}") from exc


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
    if isinstance(value, bytes | bytearray):  # never str(): that is "b'\\xe9…'"
        raise ContactError("vCard", "這張名片有無法解讀的編碼內容，請重新以 UTF-8 的 vCard 匯出")
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
    text = re.sub(r";\s*ext=", "#", text, flags=re.IGNORECASE)
    return re.sub(r"\s*,+\s*(?=\d)", "#", text)  # a dialling pause before the extension


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
        values = line.value if isinstance(line.value, list) else _text(line.value).split(",")
        for value in values:
            text = _text(value).strip()
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
    write_atomically(Path(path), text.encode("utf-8"), private=True)


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
