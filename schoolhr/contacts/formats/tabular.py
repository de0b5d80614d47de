"""What every contact file format shares: the rows it read (or refused), column mapping for
spreadsheets, and turning text cells into validated ``ContactRecord`` values and back.

``ImportRow``, ``Rejected`` and ``ReadResult`` live here (not in ``service``) so that the format
modules and the service can both import them without a cycle; ``service`` re-exports them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from schoolhr.contacts.records import (
    DUTY_SEPARATORS,
    FIELD_LABELS,
    ContactError,
    ContactRecord,
    validate,
)
from schoolhr.rocdates import DATE_FORMS, DateError
from schoolhr.rocdates import parse_date as parse_rocdate
from schoolhr.text import normalize


@dataclass
class ImportRow:
    """A valid record and where it came from: the spreadsheet row (header is row 1) or the
    card's position in a vCard file (the first card is 1)."""

    row: int
    record: ContactRecord


@dataclass
class Rejected:
    """A row that cannot be imported: ``field`` is the zh-TW field label, ``reason`` zh-TW."""

    row: int
    field: str
    reason: str


@dataclass
class ReadResult:
    headers: list[str]
    rows: list[ImportRow]
    rejected: list[Rejected]
    mapping: dict[str, str] = field(default_factory=dict)  # header -> field (spreadsheets)


# Header names people use, by field; compared after schoolhr.text.normalize (case, width,
# punctuation and spaces folded, Simplified to Traditional), so 「E-mail」 == 「email」.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "name", "full name", "fullname", "聯絡人"),
    "school": ("學校", "服務學校", "服務單位", "校名", "school", "organization", "org"),
    "region": ("區域", "地區", "區", "region", "area"),
    "role": ("職務", "角色", "role"),
    "duties": ("業務", "承辦業務", "負責業務", "duties", "duty"),
    "years": ("年資", "人事年資", "years", "year", "years of service"),
    "office_phone": (
        "電話",
        "公務電話",
        "辦公室電話",
        "辦公電話",
        "學校電話",
        "office phone",
        "phone",
        "work phone",
        "tel",
    ),
    "mobile": ("手機", "手機號碼", "行動電話", "mobile", "cell", "cell phone", "mobile phone"),
    "email": ("email", "e-mail", "電子郵件", "電子信箱", "信箱", "mail", "email address"),
    "line_id": ("line", "line id", "lineid", "lineid帳號", "line帳號"),
    "notes": ("備註", "說明", "notes", "note", "remarks", "memo"),
    "consent_date": ("同意日期", "同意時間", "consent date", "consent"),
    "consent_scope": ("同意範圍", "同意分享的範圍", "同意分享範圍", "consent scope", "scope"),
}
for _field_name, _label in FIELD_LABELS.items():  # the labels this app writes always read back
    HEADER_ALIASES[_field_name] = (*HEADER_ALIASES[_field_name], _label, _field_name)


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for field_name, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            table.setdefault(normalize(alias), field_name)
    return table


_ALIASES = _alias_table()
_YEARS = re.compile(r"^\s*(\d{1,3})(?:\.0+)?\s*年?\s*$")


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    """``{header: field}`` for the headers this app recognises (zh-TW or English); each field
    is taken by the first header that names it, unknown headers are left out."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = normalize(header)
        field_name = _ALIASES.get(key)
        if field_name is None or field_name in taken or header in mapping:
            continue
        mapping[header] = field_name
        taken.add(field_name)
    return mapping


def merge_mapping(headers: Sequence[str], given: dict[str, str] | None) -> dict[str, str]:
    """The guessed mapping overridden by what the caller (the mapping step in the window)
    chose. A header mapped to ``""`` is ignored; a field the caller gives to one header is
    taken away from any header the guess gave it to."""
    mapping = guess_mapping(headers)
    if not given:
        return mapping
    for header, field_name in given.items():
        if field_name and field_name not in FIELD_LABELS:
            raise ValueError(f"unknown contact field {field_name!r}")
        if field_name:
            for other in [h for h, f in mapping.items() if f == field_name and h != header]:
                del mapping[other]
            mapping[header] = field_name
        else:
            mapping.pop(header, None)
    return mapping


def parse_date(text: str) -> date:
    """A consent date as a clerk or a spreadsheet writes it (``schoolhr.rocdates.parse_date``:
    「2026-01-02」「2026/1/2」「115/1/2」「1150102」「民國115年1月2日」); ContactError otherwise.

    On top of the shared reasons (unreadable, year 0, before 民國元年, a day that does not
    exist), a date after today is refused: a consent date is a day that has passed
    (「民國2026年」 is 西元 3937).
    """
    try:
        value = parse_rocdate(text, "同意日期")
    except DateError as exc:
        raise ContactError("consent_date", exc.message) from None
    if value > date.today():
        shown = text.strip()[:40]
        meaning = f"是西元 {value.year} 年，"
        raise ContactError(
            "consent_date",
            f"同意日期「{shown}」{meaning}晚於今天：同意日期是對方已經同意的那一天，"
            f"請確認年份（{DATE_FORMS}）",
        )
    return value


def parse_years(text: str) -> int:
    match = _YEARS.match(text)
    if match is None:
        raise ContactError("years", f"人事年資「{text}」應為整數年（例如 5）")
    return int(match.group(1))


def split_duties(text: str) -> list[str]:
    return [part.strip() for part in DUTY_SEPARATORS.split(text) if part.strip()]


def record_from_texts(values: dict[str, str]) -> ContactRecord:
    """A validated record from ``{field: cell text}``; ContactError names the first bad field."""
    record = ContactRecord(name="")
    for field_name, raw in values.items():
        text = raw.strip()
        if not text:
            continue
        if field_name == "duties":
            record.duties = split_duties(text)
        elif field_name == "years":
            record.years = parse_years(text)
        elif field_name == "consent_date":
            record.consent_date = parse_date(text)
        else:
            setattr(record, field_name, text)
    return validate(record)


def rejected_for(row: int, error: ContactError) -> Rejected:
    return Rejected(row=row, field=FIELD_LABELS.get(error.field, error.field), reason=error.message)


def records_from_table(
    headers: list[str],
    rows: list[list[str]],
    first_row_number: int,
    mapping: dict[str, str] | None,
) -> ReadResult:
    """Rows of a spreadsheet (as text) -> valid ``ImportRow``s and ``Rejected`` rows."""
    used = merge_mapping(headers, mapping)
    result = ReadResult(headers=list(headers), rows=[], rejected=[], mapping=used)
    if "name" not in used.values():
        result.rejected.append(
            Rejected(
                row=first_row_number - 1,
                field=FIELD_LABELS["name"],
                reason="找不到「姓名」欄：請把姓名那一欄的標題改為「姓名」，或在欄位對應中選擇",
            )
        )
        return result
    columns = [(index, used[header]) for index, header in enumerate(headers) if header in used]
    for offset, cells in enumerate(rows):
        number = first_row_number + offset
        values = {name: cells[index] if index < len(cells) else "" for index, name in columns}
        if not any(value.strip() for value in values.values()):
            continue  # an empty row (or one with only unmapped columns)
        try:
            result.rows.append(ImportRow(number, record_from_texts(values)))
        except ContactError as exc:
            result.rejected.append(rejected_for(number, exc))
    return result


# ---------------------------------------------------------------------------------------------
# writing


def headers_for(fields: Sequence[str]) -> list[str]:
    return [FIELD_LABELS[name] for name in fields]


def cells_for(
    record: ContactRecord, fields: Sequence[str], date_cell: Callable[[date], date | str]
) -> list[str | int | date | None]:
    """One spreadsheet row: duties joined with 「、」, years a number, the date a date (xlsx) or
    yyyy-mm-dd text (csv) as ``date_cell`` decides, everything else text."""
    row: list[str | int | date | None] = []
    for name in fields:
        value = getattr(record, name)
        if name == "duties":
            row.append("、".join(value))
        elif name == "years":
            row.append(value)
        elif name == "consent_date":
            row.append(date_cell(value) if value is not None else None)
        else:
            row.append(value)
    return row
