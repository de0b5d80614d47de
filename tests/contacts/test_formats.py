"""xlsx, CSV and vCard read and write the same validated records."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoolhr.contacts.formats import csv_format, vcard, xlsx_format
from schoolhr.contacts.formats.tabular import guess_mapping, parse_date
from schoolhr.contacts.records import (
    FIELD_LABELS,
    KNOWN_DUTIES,
    ROLES,
    ContactError,
    ContactRecord,
    normalize_landline,
    normalize_mobile,
    validate,
)
from schoolhr.errors import UserFileError
from schoolhr.reports.csvio import read_csv
from schoolhr.reports.xlsx import Sheet, read_xlsx, write_xlsx
from tests.contacts.conftest import sample_records

ALL_FIELDS = list(FIELD_LABELS)
Writer = Callable[..., None]
FORMATS = {
    "xlsx": (xlsx_format.write, xlsx_format.read),
    "csv": (csv_format.write, csv_format.read),
    "vcf": (vcard.write, vcard.read),
}

# ------------------------------------------------------------------------------------ strategies

SURNAMES = ["陳", "林", "許", "歐陽", "黃", "游", "Lee "]
GIVEN = ["怡君", "功蓋", "堃", "喆", "𡒊", "志明", "珮璇", "Ann", "淑娟"]
FORMULAS = ["=cmd|' /C calc'!A0", "=1+1", "+886912345678", "-3", "@SUM(A1)", "'=x"]
TEXT = st.text(
    alphabet=st.sampled_from(list("人事差勤桃源國小堃喆𡒊abcXYZ019 ,;:=+-@'\"\\/、。")),
    max_size=20,
)


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    """(typed form, plain form) of one office number."""
    area = draw(st.sampled_from(["02", "03", "04", "049", "05", "06", "07", "089"]))
    size = 8 if area == "02" else 7
    first = draw(st.sampled_from("2345678"))
    rest = draw(st.text(alphabet="0123456789", min_size=size - 1, max_size=size - 1))
    number = first + rest
    ext = draw(st.one_of(st.just(""), st.text(alphabet="0123456789", min_size=1, max_size=4)))
    form = draw(st.integers(0, 4))
    if form == 0:
        typed = f"{area}-{number[:4]}-{number[4:]}"
    elif form == 1:
        typed = f"({area}){number}"
    elif form == 2:
        typed = f"+886 {area[1:]} {number}"
    elif form == 3:
        typed = f"{area} {number}"
    else:
        typed = f"{area}.{number}"
    if ext:
        typed += draw(st.sampled_from(["#", "轉", " 分機 ", " ext. ", "x"])) + ext
    plain = f"{area}{number}" + (f"#{ext}" if ext else "")
    return typed, plain


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    rest = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    form = draw(st.integers(0, 3))
    typed = [
        f"09{rest}",
        f"09{rest[:2]}-{rest[2:5]}-{rest[5:]}",
        f"+886 9{rest[:2]} {rest[2:5]} {rest[5:]}",
        f"+886-9{rest}",
    ][form]
    return typed, f"09{rest}"


@st.composite
def records(draw: st.DrawFn) -> ContactRecord:
    name = draw(
        st.one_of(
            st.builds(lambda s, g: s + g, st.sampled_from(SURNAMES), st.sampled_from(GIVEN)),
            st.sampled_from(FORMULAS),
        )
    )
    record = ContactRecord(
        name=name,
        school=draw(st.one_of(TEXT, st.sampled_from(FORMULAS))),
        region=draw(TEXT),
        role=draw(st.sampled_from(["", *ROLES])),
        duties=draw(st.lists(st.sampled_from([*KNOWN_DUTIES, "堃務", "=x"]), max_size=3)),
        years=draw(st.one_of(st.none(), st.integers(0, 60))),
        office_phone=draw(st.one_of(st.just(""), landlines().map(lambda p: p[0]))),
        mobile=draw(st.one_of(st.just(""), mobiles().map(lambda p: p[0]))),
        email=draw(st.sampled_from(["", "a.b@school.tw", "x+y@mail.tyc.edu.tw"])),
        line_id=draw(st.one_of(st.just(""), st.sampled_from(["line_1", "@abc", "-"]))),
        notes=draw(st.one_of(TEXT, st.sampled_from([*FORMULAS, "第一行\n第二行"]))),
        consent_date=draw(st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2026, 11, 1)))),
        consent_scope=draw(TEXT),
    )
    return validate(record)


# ------------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_records_round_trip_every_field(tmp_path: Path, fmt: str) -> None:
    write, read = FORMATS[fmt]
    expected = [validate(copy.deepcopy(r)) for r in sample_records()]
    target = tmp_path / f"out.{fmt}"
    write(target, expected, ALL_FIELDS)
    result = read(target)
    assert result.rejected == []
    assert [row.record for row in result.rows] == expected


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(generated=st.lists(records(), min_size=1, max_size=5))
def test_generated_records_round_trip(fmt: str, generated: list[ContactRecord]) -> None:
    write, read = FORMATS[fmt]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"out.{fmt}"
        write(target, generated, ALL_FIELDS)
        result = read(target)
    assert result.rejected == []
    assert [row.record for row in result.rows] == generated


def test_formula_looking_names_stay_text_in_xlsx(tmp_path: Path) -> None:
    target = tmp_path / "名單.xlsx"
    xlsx_format.write(target, [ContactRecord(name="=cmd|' /C calc'!A0")], ["name"])
    import zipfile

    with zipfile.ZipFile(target) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    assert xlsx_format.read(target).rows[0].record.name == "=cmd|' /C calc'!A0"


def test_formula_looking_names_in_an_xlsx_made_elsewhere_import_as_text(tmp_path: Path) -> None:
    target = tmp_path / "人事名單.xlsx"
    write_xlsx(
        target,
        [
            Sheet(
                "名單",
                ["姓名", "學校", "手機", "同意日期"],
                [
                    ["=cmd|' /C calc'!A0", "桃源國小", "+886912345678", date(2026, 1, 2)],
                    ["@SUM(A1)", "=1+1", "0912-000-111", "115/1/2"],
                ],
            )
        ],
    )
    result = xlsx_format.read(target)
    assert [r.record.name for r in result.rows] == ["=cmd|' /C calc'!A0", "@SUM(A1)"]
    assert result.rows[1].record.school == "=1+1"
    assert [r.record.consent_date for r in result.rows] == [date(2026, 1, 2)] * 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_spreadsheet_has_only_the_picked_columns(tmp_path: Path, fmt: str) -> None:
    write, _ = FORMATS[fmt]
    target = tmp_path / f"out.{fmt}"
    write(target, sample_records()[:1], ["name", "email"])
    headers = read_xlsx(target)[0].headers if fmt == "xlsx" else read_csv(target).headers
    assert headers == ["姓名", "電子郵件"]


def test_vcard_has_only_the_picked_properties(tmp_path: Path) -> None:
    target = tmp_path / "out.vcf"
    vcard.write(target, [validate(sample_records()[0])], ["name", "email"])
    names = {
        line.split(":")[0].split(";")[0]
        for line in target.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(" ")
    }
    assert names == {"BEGIN", "VERSION", "FN", "N", "EMAIL", "END"}


def test_vcard_is_utf8_without_bom_crlf_and_folded_at_75_octets(tmp_path: Path) -> None:
    target = tmp_path / "out.vcf"
    record = validate(ContactRecord(name="陳怡君", notes="很長的備註" * 40, school="桃源國小"))
    vcard.write(target, [record], ALL_FIELDS)
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"VERSION:3.0" in data and b"TEL" not in data
    assert vcard.read(target).rows[0].record == record


# ------------------------------------------------------------------------------------ mapping


def test_guess_mapping_recognises_chinese_and_english_headers() -> None:
    headers = ["姓名", "服務學校", "地區", "角色", "業務", "年資", "公務電话", "手機", "E-mail"]
    headers += ["LINE ID", "備註", "同意日期", "同意範圍", "身分證字號"]
    mapping = guess_mapping(headers)
    assert mapping == {
        "姓名": "name",
        "服務學校": "school",
        "地區": "region",
        "角色": "role",
        "業務": "duties",
        "年資": "years",
        "公務電话": "office_phone",
        "手機": "mobile",
        "E-mail": "email",
        "LINE ID": "line_id",
        "備註": "notes",
        "同意日期": "consent_date",
        "同意範圍": "consent_scope",
    }
    assert guess_mapping(["Name", "School", "Office Phone", "Mobile", "Email"]) == {
        "Name": "name",
        "School": "school",
        "Office Phone": "office_phone",
        "Mobile": "mobile",
        "Email": "email",
    }


def test_a_caller_mapping_overrides_the_guess(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    target.write_text("聯絡人,單位名,電話\n王小明,桃源國小,0912345678\n", encoding="utf-8")
    guessed = csv_format.read(target)
    assert guessed.mapping == {"聯絡人": "name", "電話": "office_phone"}
    assert guessed.rejected[0].field == "公務電話"  # a mobile in the office column
    result = csv_format.read(target, {"單位名": "school", "電話": "mobile"})
    assert result.mapping == {"聯絡人": "name", "單位名": "school", "電話": "mobile"}
    assert result.rows[0].record.school == "桃源國小"
    assert result.rows[0].record.mobile == "0912-345678"


def test_without_a_name_column_the_header_row_is_rejected(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    target.write_text("學校,電話\n桃源國小,02-23979108\n", encoding="utf-8")
    result = csv_format.read(target)
    assert result.rows == [] and result.headers == ["學校", "電話"]
    assert [(r.row, r.field) for r in result.rejected] == [(1, "姓名")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-02", date(2026, 1, 2)),
        ("2026/1/2", date(2026, 1, 2)),
        ("115/1/2", date(2026, 1, 2)),
        ("民國115/1/2", date(2026, 1, 2)),
        ("115年1月2日", date(2026, 1, 2)),
        ("2026年1月2日", date(2026, 1, 2)),
    ],
)
def test_consent_dates_in_the_forms_clerks_type(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["明年", "2026-13-01", "115/2/30", "1/2"])
def test_unreadable_consent_dates_are_errors(text: str) -> None:
    with pytest.raises(ContactError) as caught:
        parse_date(text)
    assert caught.value.field == "consent_date"


# ------------------------------------------------------------------------------------ rejected rows


def test_invalid_rows_are_listed_with_row_number_label_and_reason(tmp_path: Path) -> None:
    target = tmp_path / "名單.xlsx"
    write_xlsx(
        target,
        [
            Sheet(
                "名單",
                ["姓名", "電話", "手機", "Email", "年資", "同意日期", "職務"],
                [
                    ["王小明", "02-23979108", "", "", "", "", ""],  # row 2: fine
                    ["", "02-23979108", "", "", "", "", ""],  # row 3: no name
                    ["林怡君", "123", "", "", "", "", ""],  # row 4: undiallable
                    [None, None, None, None, None, None, None],  # row 5: empty, skipped
                    ["許功蓋", "", "0812", "", "", "", ""],  # row 6: mobile
                    ["陳喆", "", "", "not-an-email", "", "", ""],  # row 7
                    ["黃堃", "", "", "", "五年", "", ""],  # row 8
                    ["游淑娟", "", "", "", "", "明年", ""],  # row 9
                    ["歐陽志明", "", "", "", "", "", "校長"],  # row 10
                    ["林𡒊", "(049)2345678轉12", "", "", "3", "115/1/2", "幹事"],  # row 11: fine
                ],
            )
        ],
    )
    result = xlsx_format.read(target)
    assert [r.row for r in result.rows] == [2, 11]
    assert [(r.row, r.field) for r in result.rejected] == [
        (3, "姓名"),
        (4, "公務電話"),
        (6, "手機"),
        (7, "電子郵件"),
        (8, "人事年資"),
        (9, "同意日期"),
        (10, "職務"),
    ]
    assert "無法撥打" in result.rejected[1].reason


# ------------------------------------------------------------------------------------ fixtures


def test_cp950_csv_imports(contact_data: Path) -> None:
    result = csv_format.read(contact_data / "cp950.csv")
    assert result.rejected == []
    names = [r.record.name for r in result.rows]
    assert names == ["許功蓋", "林珮璇", "游淑娟"]
    first = result.rows[0].record
    assert first.office_phone == "03-3821234#12" and first.mobile == "0912-345678"
    assert first.duties == sorted(["差勤", "考核"])
    assert [r.record.consent_date for r in result.rows] == [date(2026, 1, 2)] * 3


def test_utf8_bom_csv_with_rare_characters_imports(contact_data: Path) -> None:
    result = csv_format.read(contact_data / "utf8-bom.csv")
    assert result.rejected == []
    assert [r.record.name for r in result.rows] == ["黃堃", "陳喆", "林𡒊"]
    assert result.rows[1].record.office_phone == "049-2345678#12"


def test_outlook_quoted_printable_vcard_imports(contact_data: Path) -> None:
    result = vcard.read(contact_data / "outlook-qp.vcf")
    assert result.rejected == []
    first, second = (r.record for r in result.rows)
    assert (first.name, first.school, first.role) == ("陳怡君", "桃源國小", "兼任人事")
    assert first.office_phone == "02-23979108#123"  # the FAX number is not taken
    assert first.mobile == "0912-345678"
    assert first.notes.startswith("安心培力小群組召集人") and first.notes.endswith("請留言。")
    assert (second.name, second.mobile, second.office_phone) == (
        "許功蓋",
        "0933-111222",
        "03-3821234",
    )


def test_google_contacts_export_imports(contact_data: Path) -> None:
    result = vcard.read(contact_data / "google.vcf")
    first, second = (r.record for r in result.rows)
    assert (first.name, first.school, first.role) == ("王小明", "光復國小", "幹事")
    assert first.duties == sorted(["差勤", "考核"])  # myContacts is Google's, not a duty
    assert (first.mobile, first.office_phone) == ("0912-555666", "02-22223333")
    assert first.notes == "Google 匯出的備註\n第二行, 含逗號"
    assert (second.name, second.role, second.duties) == ("Ann Lee", "", [])
    assert [(r.row, r.field) for r in result.rejected] == [(3, "公務電話")]


def test_vcard_4_imports(contact_data: Path) -> None:
    (row,) = vcard.read(contact_data / "v4.vcf").rows
    record = row.record
    assert (record.name, record.school, record.role) == ("歐陽志明", "信義國中", "專任人事")
    assert (record.office_phone, record.mobile) == ("02-23979108#123", "0912-345678")
    assert record.line_id == "ouyang.line" and record.duties == sorted(["任免", "退休"])
    assert record.notes.endswith("七十五個位元組的限制。")


def test_a_large_photo_is_ignored(tmp_path: Path) -> None:
    import base64

    photo = base64.b64encode(bytes(range(256)) * 4096).decode()  # 1 MB of picture
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nTEL;TYPE=CELL:0912345678\r\nEND:VCARD\r\n"
    )
    target = tmp_path / "photo.vcf"
    target.write_text(card, encoding="utf-8", newline="")
    (row,) = vcard.read(target).rows
    assert (row.record.name, row.record.mobile) == ("王小明", "0912-345678")


def test_a_vcard_file_over_20_mb_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "huge.vcf"
    with target.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(UserFileError, match="超過 vCard 匯入上限"):
        vcard.read(target)


def test_a_damaged_card_is_rejected_and_the_others_import(tmp_path: Path) -> None:
    target = tmp_path / "mixed.vcf"
    target.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nthis line has no colon\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:林;怡君;;;\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = vcard.read(target)
    assert [(r.row, r.record.name) for r in result.rows] == [(1, "王小明"), (3, "林怡君")]
    assert [r.row for r in result.rejected] == [2]


def test_a_file_without_cards_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "empty.vcf"
    target.write_text("hello\n", encoding="utf-8")
    with pytest.raises(UserFileError, match="沒有聯絡人名片"):
        vcard.read(target)


# ------------------------------------------------------------------------------------ phones


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("02-2397-9108#123", "02-23979108#123"),
        ("(049)2345678轉12", "049-2345678#12"),
        ("+886 2 2397 9108", "02-23979108"),
        ("037-123456", "037-123456"),
    ],
)
def test_office_phone_forms(typed: str, canonical: str) -> None:
    assert normalize_landline(typed) == canonical


def test_mobile_forms() -> None:
    assert normalize_mobile("+886 912 345 678") == "0912-345678"
    assert normalize_mobile("0912-345-678") == "0912-345678"


@pytest.mark.parametrize("typed", ["123", "2397-9108", "02-12", "0912345678"])
def test_undiallable_office_phones_are_rejected(typed: str) -> None:
    with pytest.raises(ContactError) as caught:
        normalize_landline(typed)
    assert caught.value.field == "office_phone"


@settings(max_examples=200, deadline=None)
@given(phone=landlines())
def test_any_typed_office_phone_normalises_like_its_plain_digits(phone: tuple[str, str]) -> None:
    typed, plain = phone
    assert normalize_landline(typed) == normalize_landline(plain)


@settings(max_examples=100, deadline=None)
@given(phone=mobiles())
def test_any_typed_mobile_normalises(phone: tuple[str, str]) -> None:
    typed, plain = phone
    assert normalize_mobile(typed) == f"{plain[:4]}-{plain[4:]}"
