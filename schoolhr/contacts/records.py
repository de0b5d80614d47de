"""A contact as every importer returns it and every exporter takes it, with validation.

Phones are Taiwanese: a landline with area code and an optional extension (「02-2397-9108
#123」, 「(049)2345678轉12」) or a mobile (「0912-345-678」, 「+886 912 345 678」); they are
stored in one canonical form so duplicates are found whatever way they were typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date

ROLES = ("專任人事", "兼任人事", "幹事", "種籽教師", "縣市人事處")
FULL_TIME_ROLES = frozenset({"專任人事", "縣市人事處"})
KNOWN_DUTIES = ("差勤", "考核", "待遇", "退休", "任免", "保險", "訓練", "獎懲", "福利", "資訊系統")

# The fields a person may agree to share, in the order they are offered for export.
FIELD_LABELS = {
    "name": "姓名",
    "school": "服務學校",
    "region": "區域",
    "role": "職務",
    "duties": "業務",
    "years": "人事年資",
    "office_phone": "公務電話",
    "mobile": "手機",
    "email": "電子郵件",
    "line_id": "LINE ID",
    "notes": "備註",
    "consent_date": "同意日期",
    "consent_scope": "同意分享的範圍",
}
DEFAULT_EXPORT_FIELDS = ("name", "school", "office_phone", "email")
EARLIEST_CONSENT_DATE = date(1912, 1, 1)  # 民國元年: an earlier date is a typing mistake

# What separates duties in one cell ("差勤、考核"); a duty never contains one, so that the
# list written as text (joined with 「、」) reads back as the same list.
DUTY_SEPARATORS = re.compile(r"[、,，;；/／\n]+")
# Control characters that are not white space: invisible, and NUL cuts the text short in many
# programs a list is exported to. They come from files made elsewhere and are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_TEXT_FIELDS = (
    "name",
    "school",
    "region",
    "role",
    "office_phone",
    "mobile",
    "email",
    "line_id",
    "notes",
    "consent_scope",
)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
_EXTENSION = re.compile(r"(?:#|轉|分機|ext\.?|x)\s*(\d{1,6})\s*$", re.IGNORECASE)


class ContactError(ValueError):
    """A field that cannot be right; ``field`` names it, the message is zh-TW."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass
class ContactRecord:
    name: str
    school: str = ""
    region: str = ""
    role: str = ""
    duties: list[str] = field(default_factory=list)
    years: int | None = None
    office_phone: str = ""  # canonical: 02-23979108#123
    mobile: str = ""  # canonical: 0912-345678
    email: str = ""
    line_id: str = ""
    notes: str = ""
    consent_date: date | None = None
    consent_scope: str = ""

    @property
    def full_time(self) -> bool:
        return self.role in FULL_TIME_ROLES

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def normalize_mobile(text: str) -> str:
    """「+886 912-345-678」 -> 「0912-345678」; raises ContactError when it cannot be one."""
    raw = digits(text)
    if raw.startswith("886"):
        raw = "0" + raw[3:]
    if not re.fullmatch(r"09\d{8}", raw):
        raise ContactError("mobile", f"手機號碼「{text}」格式不對：應為 09 開頭的 10 位數字")
    return f"{raw[:4]}-{raw[4:]}"


def normalize_landline(text: str) -> str:
    """「(02)2397-9108 轉 123」 -> 「02-23979108#123」; raises ContactError when it cannot be
    dialled (area code plus 6–8 digits)."""
    extension = ""
    match = _EXTENSION.search(text)
    body = text
    if match:
        extension = match.group(1)
        body = text[: match.start()]
    raw = digits(body)
    if raw.startswith("886"):
        raw = "0" + raw[3:]
    if raw.startswith("09"):
        raise ContactError("office_phone", f"公務電話「{text}」是手機號碼，請填在手機欄")
    area = re.match(r"^(0(?:836|826|37|49|82|89|2|3|4|5|6|7|8))(\d{6,8})$", raw)
    if area is None:
        raise ContactError(
            "office_phone",
            f"公務電話「{text}」無法撥打：應有區碼與 6 到 8 位號碼，例如 02-23979108",
        )
    number = f"{area.group(1)}-{area.group(2)}"
    return f"{number}#{extension}" if extension else number


def _as_text(name: str, value: object) -> str:
    """A field's value as text; bytes (a value a reader failed to decode) are refused, never
    stored as their Python form 「b'\\xe9…'」."""
    if isinstance(value, bytes | bytearray):
        raise ContactError(
            name, f"{FIELD_LABELS[name]}是沒有解碼的二進位資料，無法匯入：請確認檔案的文字編碼"
        )
    return str(value or "")


def validate(record: ContactRecord) -> ContactRecord:
    """The record cleaned (control characters, spaces, canonical phones); ContactError for the
    first bad field."""
    for name in _TEXT_FIELDS:
        setattr(record, name, _CONTROL.sub("", _as_text(name, getattr(record, name))))
    record.duties = [_CONTROL.sub("", _as_text("duties", duty)) for duty in record.duties or []]
    record.name = " ".join(record.name.split())
    if not record.name:
        raise ContactError("name", "姓名不可空白")
    if len(record.name) > 50:
        raise ContactError("name", "姓名太長（最多 50 個字）")
    for name in ("school", "region", "line_id", "consent_scope"):
        setattr(record, name, " ".join(str(getattr(record, name) or "").split())[:200])
    # One kind of line break: XML (xlsx) reads a lone CR as LF and vCard writes LF, so a
    # note written with CR or CRLF would not come back as it went out.
    notes = (record.notes or "").replace("\r\n", "\n").replace("\r", "\n")
    record.notes = notes.strip()[:5000]
    if record.role and record.role not in ROLES:
        raise ContactError("role", f"職務「{record.role}」不在清單中：{'、'.join(ROLES)}")
    parts = (part.strip() for duty in record.duties for part in DUTY_SEPARATORS.split(duty))
    record.duties = sorted({part for part in parts if part})
    if record.years is not None and not 0 <= record.years <= 60:
        raise ContactError("years", f"人事年資「{record.years}」不合理（0 到 60 年）")
    if record.office_phone:
        record.office_phone = normalize_landline(record.office_phone)
    if record.mobile:
        record.mobile = normalize_mobile(record.mobile)
    record.email = record.email.strip()
    if record.email and not _EMAIL.match(record.email):
        raise ContactError("email", f"電子郵件「{record.email}」不是有效的地址")
    if record.consent_date is not None:
        check_consent_date(record.consent_date)
    return record


def check_consent_date(value: date) -> None:
    """ContactError unless ``value`` could be the day someone agreed: from 民國元年 (1912) to
    today (a date that is not yet cannot have been agreed on)."""
    if value < EARLIEST_CONSENT_DATE:
        raise ContactError(
            "consent_date",
            f"同意日期「{value.isoformat()}」早於民國元年（1912 年），不合理：請確認年份",
        )
    today = date.today()
    if value > today:
        raise ContactError(
            "consent_date",
            f"同意日期「{value.isoformat()}」晚於今天（{today.isoformat()}）："
            "同意日期是對方已經同意的那一天，請確認年份",
        )
