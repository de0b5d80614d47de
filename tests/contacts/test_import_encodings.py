"""Contacts files as phones, Outlook and Excel elsewhere write them: encoded vCard values,
delimiters other than the comma, encodings that are not UTF-8 or Big5, impossible dates.

Every file is written here, byte for byte, and read the way the app reads it
(``read_import_file``): a value is either imported as the text the clerk sees, or refused with a
zh-TW reason naming where and what to do, never stored as ``b'…'`` or mojibake.
"""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest

from schoolhr.contacts.formats import csv_format, format_of, vcard
from schoolhr.contacts.formats.tabular import parse_date
from schoolhr.contacts.records import ContactError, ContactRecord, validate
from schoolhr.contacts.service import ReadResult, read_import_file
from schoolhr.errors import UserFileError
from schoolhr.reports.csvio import legacy_chinese, read_csv, sniff_delimiter
from schoolhr.reports.xlsx import Sheet, write_xlsx
from tests.helpers import TEST_DATA

HOSTILE = TEST_DATA / "hostile"


def b64(text: str, encoding: str = "utf-8") -> str:
    return base64.b64encode(text.encode(encoding)).decode("ascii")


def qp(text: str, encoding: str) -> str:
    """Quoted-printable as Outlook writes it: every byte escaped."""
    return "".join(f"={byte:02X}" for byte in text.encode(encoding))


def card(version: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


def read_vcf(tmp_path: Path, *cards: str) -> ReadResult:
    target = tmp_path / "聯絡人.vcf"
    target.write_bytes("".join(cards).encode("utf-8"))
    return read_import_file(target)


def stored_texts(result: ReadResult) -> list[str]:
    return [
        str(value)
        for row in result.rows
        for value in row.record.as_dict().values()
        if isinstance(value, str) and value
    ]


# ------------------------------------------------------------------------------------ vCard


def test_base64_names_in_vcard_21_are_decoded(tmp_path: Path) -> None:
    result = read_vcf(
        tmp_path,
        card("2.1", "FN;ENCODING=BASE64;CHARSET=UTF-8:6Zmz5aSn5paH"),  # the report's own line
        card("2.1", f"N;ENCODING=BASE64;CHARSET=UTF-8:{b64('林;怡君')}"),
        card("2.1", f"FN;CHARSET=BIG5;ENCODING=BASE64:{b64('許功蓋', 'cp950')}"),
        card("2.1", f"FN;BASE64;CHARSET=UTF-8:{b64('黃堃')}"),  # a bare BASE64 parameter
    )
    assert result.rejected == []
    assert [r.record.name for r in result.rows] == ["陳大文", "林怡君", "許功蓋", "黃堃"]


def test_base64_values_in_vcard_30_are_decoded_with_their_charset(tmp_path: Path) -> None:
    result = read_vcf(
        tmp_path,
        card("3.0", f"FN;ENCODING=b;CHARSET=UTF-8:{b64('陳大文')}"),
        card("3.0", f"FN;ENCODING=b:{b64('林𡒊')}"),  # no CHARSET: UTF-8
        card("3.0", f"FN;ENCODING=B;CHARSET=Big5:{b64('游淑娟', 'cp950')}"),
    )
    assert result.rejected == []
    assert [r.record.name for r in result.rows] == ["陳大文", "林𡒊", "游淑娟"]


def test_every_text_property_is_decoded_not_only_the_name(tmp_path: Path) -> None:
    note = b64("第一行, 含逗號\r\n第二行")
    (row,) = read_vcf(
        tmp_path,
        card(
            "2.1",
            f"N;ENCODING=BASE64;CHARSET=UTF-8:{b64('歐陽;志明')}",
            f"ORG;ENCODING=BASE64;CHARSET=UTF-8:{b64('信義國中;人事室')}",
            f"TITLE;ENCODING=QUOTED-PRINTABLE;CHARSET=BIG5:{qp('專任人事', 'cp950')}",
            f"NOTE;ENCODING=BASE64;CHARSET=UTF-8:{note}",
            f"CATEGORIES;ENCODING=BASE64;CHARSET=UTF-8:{b64('差勤,考核')}",
            f"EMAIL;ENCODING=QUOTED-PRINTABLE:{qp('ouyang@school.tw', 'ascii')}",
            f"X-SCHOOLHR-REGION;ENCODING=b;CHARSET=UTF-8:{b64('臺北市')}",
            f"X-SCHOOLHR-CONSENT-DATE;ENCODING=b:{b64('115/1/2')}",
            f"ADR;ENCODING=BASE64;CHARSET=UTF-8:{b64(';;信義路;臺北市;;;')}",  # not read
        ),
    ).rows
    record = row.record
    assert (record.name, record.school, record.role) == ("歐陽志明", "信義國中", "專任人事")
    assert record.notes == "第一行, 含逗號\n第二行"
    assert record.duties == sorted(["差勤", "考核"])
    assert (record.email, record.region) == ("ouyang@school.tw", "臺北市")
    assert record.consent_date == date(2026, 1, 2)


def test_quoted_printable_with_a_big5_charset(tmp_path: Path) -> None:
    # 許, 功 and 蓋 end in byte 0x5C, a backslash; the note is split by soft line breaks
    note = qp("週三下午在校, 請先來電", "cp950")
    result = read_vcf(
        tmp_path,
        card(
            "2.1",
            f"N;CHARSET=BIG5;ENCODING=QUOTED-PRINTABLE:{qp('許', 'cp950')};{qp('功蓋', 'cp950')}",
            f"FN;CHARSET=BIG5;QUOTED-PRINTABLE:{qp('許功蓋', 'cp950')}",
            f"ORG;CHARSET=BIG5;ENCODING=QUOTED-PRINTABLE:{qp('三民國小', 'cp950')}",
            f"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=BIG5:{note[:30]}=",
            f"{note[30:60]}=",
            note[60:],
        ),
        card("2.1", f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('陳大文', 'utf-8')}"),
    )
    assert result.rejected == []
    first, second = (r.record for r in result.rows)
    assert (first.name, first.school) == ("許功蓋", "三民國小")
    assert first.notes == "週三下午在校, 請先來電"
    assert second.name == "陳大文"


def test_a_decoded_value_ending_with_an_equals_sign_does_not_swallow_the_next_line(
    tmp_path: Path,
) -> None:
    note = qp("QUOTED-PRINTABLE: a=", "utf-8")
    (row,) = read_vcf(
        tmp_path,
        card("2.1", "FN:王小明", f"NOTE;ENCODING=QUOTED-PRINTABLE:{note}", "TEL;CELL:0912345678"),
    ).rows
    assert (row.record.notes, row.record.mobile) == ("QUOTED-PRINTABLE: a=", "0912-345678")


def test_vcard_21_without_a_charset_may_be_big5(tmp_path: Path) -> None:
    (row,) = read_vcf(tmp_path, card("2.1", f"FN;ENCODING=BASE64:{b64('王小明', 'cp950')}")).rows
    assert row.record.name == "王小明"


def test_commas_in_a_vcard_21_name_and_note_are_kept(tmp_path: Path) -> None:
    (row,) = read_vcf(tmp_path, card("2.1", "FN:Lee, Ann", "NOTE:a, b, c", "ORG:X, Y")).rows
    assert (row.record.name, row.record.notes, row.record.school) == ("Lee, Ann", "a, b, c", "X, Y")


def test_a_dialling_pause_keeps_the_extension_and_the_first_email_is_taken(
    tmp_path: Path,
) -> None:
    (row,) = read_vcf(
        tmp_path, card("3.0", "FN:王小明", "TEL;TYPE=WORK:02-23979108,,123", "EMAIL:a@x.tw,b@y.tw")
    ).rows
    assert (row.record.office_phone, row.record.email) == ("02-23979108#123", "a@x.tw")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (f"FN;ENCODING=b;CHARSET=UTF-8:{b64('王小明', 'cp950')}", "不是註明的 UTF-8 文字"),
        (f"FN;ENCODING=b:{b64('王小明', 'cp950')}", "不是 UTF-8 文字，也沒有註明字元集"),
        (f"FN;ENCODING=b;CHARSET=KOI9-TW:{b64('王小明')}", "字元集「KOI9-TW」無法辨識"),
        ("FN;ENCODING=b:6Zmz5a!!Sn5paH", "BASE64 編碼格式有誤"),
        ("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=E9=99=ZZ", "quoted-printable 編碼格式有誤"),
        ("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=BIG5:=FA=40=A4=FD", "自行造字"),
        ("FN;ENCODING=X-UUENCODE:abc", "編碼方式「X-UUENCODE」無法辨識"),
    ],
)
def test_an_undecodable_value_rejects_its_card_only(tmp_path: Path, line: str, reason: str) -> None:
    result = read_vcf(
        tmp_path,
        card("3.0", "FN:王小明"),
        card("3.0", line, "TEL;TYPE=CELL:0912345678"),
        card("3.0", "FN:林怡君"),
    )
    assert [r.record.name for r in result.rows] == ["王小明", "林怡君"]
    (rejected,) = result.rejected
    assert (rejected.row, rejected.field) == (2, "姓名")
    assert reason in rejected.reason
    assert "「姓名」（FN）" in rejected.reason and "重新以 UTF-8" in rejected.reason


def test_an_undecodable_note_names_the_note(tmp_path: Path) -> None:
    result = read_vcf(tmp_path, card("3.0", "FN:王小明", f"NOTE;ENCODING=b:{b64('備註', 'cp950')}"))
    assert [(r.row, r.field) for r in result.rejected] == [(1, "備註")]


def test_no_value_is_ever_stored_as_bytes(tmp_path: Path) -> None:
    result = read_vcf(
        tmp_path,
        card(
            "3.0",
            f"FN;ENCODING=b:{b64('陳大文')}",
            f"NOTE;ENCODING=b:{b64('備註')}",
            f"X-LINE;ENCODING=b:{b64('chen.line')}",
            f"TEL;TYPE=CELL;ENCODING=b:{b64('0912345678')}",
        ),
    )
    texts = stored_texts(result)
    assert texts and not any(text.startswith(("b'", 'b"')) for text in texts)
    assert result.rows[0].record.mobile == "0912-345678"


def test_validate_refuses_bytes_instead_of_storing_their_repr() -> None:
    record = ContactRecord(name="王小明", notes=b"\xe9\x99\xb3")  # type: ignore[arg-type]
    with pytest.raises(ContactError) as caught:
        validate(record)
    assert caught.value.field == "notes" and "二進位" in caught.value.message


def test_a_gbk_vcard_is_refused_naming_the_cards(tmp_path: Path) -> None:
    target = tmp_path / "简体.vcf"
    target.write_bytes(
        (
            card("3.0", "FN:陈大文", "ORG:桃源国民小学", "NOTE:请先来电")
            + card("3.0", "FN:Ann Lee")
            + card("3.0", "FN:刘晓红", "ORG:复兴国民中学")
        ).encode("gbk")
    )
    with pytest.raises(UserFileError) as caught:
        read_import_file(target)
    message = caught.value.message
    assert "「简体.vcf」" in message and "簡體中文（GBK）" in message
    assert "第 1、3 張名片" in message and "UTF-8" in message


def test_big5_vcards_still_import(tmp_path: Path) -> None:
    assert [r.record.name for r in read_import_file(HOSTILE / "vcf_cp950.vcf").rows] == ["王小明"]
    with pytest.raises(UserFileError, match="自行造字"):
        read_import_file(HOSTILE / "vcf_cp950_user_defined.vcf")


# ------------------------------------------------------------------------------------ delimiters


def test_a_semicolon_separated_csv_imports(tmp_path: Path) -> None:
    target = tmp_path / "分號.csv"
    target.write_text(
        '姓名;服務學校;備註\r\n王小明;桃源國小;"週三, 下午; 在校"\r\n林怡君;復興國中;\r\n',
        encoding="utf-8-sig",
    )
    result = read_import_file(target)
    assert result.rejected == []
    assert [(r.record.name, r.record.school) for r in result.rows] == [
        ("王小明", "桃源國小"),
        ("林怡君", "復興國中"),
    ]
    assert result.rows[0].record.notes == "週三, 下午; 在校"


@pytest.mark.parametrize(("suffix", "encoding"), [(".txt", "utf-8"), (".tsv", "cp950")])
def test_tab_separated_text_imports(tmp_path: Path, suffix: str, encoding: str) -> None:
    target = tmp_path / f"Excel 文字檔{suffix}"
    target.write_bytes(
        "姓名\t服務學校\t手機\t備註\r\n許功蓋\t三民國小\t0912-345-678\t逗號, 分號;\r\n".encode(
            encoding
        )
    )
    assert format_of(target).name == "csv"
    (row,) = read_import_file(target).rows
    assert (row.record.name, row.record.mobile, row.record.notes) == (
        "許功蓋",
        "0912-345678",
        "逗號, 分號;",
    )


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("姓名,服務學校\r\n王小明,桃源國小\r\n", ","),
        ("姓名;服務學校\r\n王小明;桃源國小, 人事室\r\n", ";"),
        ("姓名\t服務學校\r\n王小明\t桃源國小; 人事室\r\n", "\t"),
        ('姓名,"備註;說明;其他"\r\n王小明,a;b\r\n', ","),  # semicolons inside quotes
        ('"姓名,英文"\t"學校\t全名"\t電話\r\n', "\t"),
        ('"說""明"";,,"\t學校\r\n', "\t"),  # doubled quotes inside a quoted cell
        ("姓名\r\n王小明\r\n", ","),  # one column: the comma
        ('"第一行\r\n第二行;x;y",學校\r\n', ","),  # a header cell over two lines
        ("", ","),
    ],
)
def test_the_delimiter_is_sniffed_from_the_header(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_excel_csv_files_still_read_with_commas() -> None:
    for name in ("cp950.csv", "utf8-bom.csv"):
        assert read_csv(TEST_DATA / "csv" / name).delimiter == ","


# ------------------------------------------------------------------------------------ encodings

GBK_CONTACTS = (
    "姓名,服务学校,区域,职务,手机,电子邮件,备注\r\n"
    "陈大文,桃源国民小学,桃园市,兼任人事,0912-345-678,chen@school.tw,周三下午在校\r\n"
    "刘晓红,复兴国民中学,新竹县,干事,0933-111-222,liu@school.tw,请先来电\r\n"
    "Ann Lee,Taipei American School,,,,,\r\n"
    "张伟,光复国民小学,台北市,专任人事,,zhang@school.tw,\r\n"
)


def test_a_gbk_csv_is_refused_naming_the_encoding_and_rows(tmp_path: Path) -> None:
    target = tmp_path / "名单.csv"
    target.write_bytes(GBK_CONTACTS.encode("gbk"))
    with pytest.raises(UserFileError) as caught:
        csv_format.read(target)
    message = caught.value.message
    assert "「名单.csv」" in message and "簡體中文（GBK）" in message
    assert "第 1、2、3、5 列" in message  # row 4 is ASCII: it would read right
    assert "CSV UTF-8（逗號分隔）" in message


def test_gbk_that_also_decodes_as_big5_is_refused(tmp_path: Path) -> None:
    """Without the bytes cp950 refuses, GBK decodes as Big5 into rare characters."""
    text = "姓名,服务学校\r\n陈大文,桃源国小\r\n"
    data = text.encode("gbk")
    data.decode("cp950")  # it does: the mojibake that used to be imported
    assert legacy_chinese(data) == "gbk"
    target = tmp_path / "list.csv"
    target.write_bytes(data)
    with pytest.raises(UserFileError, match=r"簡體中文（GBK）.*第 1、2 列"):
        read_import_file(target)


def test_gbk_is_not_mistaken_for_a_big5_user_defined_character(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    target.write_bytes("姓名,备注\r\n陈大文,请人转达\r\n".encode("gbk"))  # 人 is C8CB in GBK
    with pytest.raises(UserFileError) as caught:
        read_import_file(target)
    assert "GBK" in caught.value.message and "造字" not in caught.value.message


def test_text_that_decodes_as_big5_into_rare_characters_is_refused(tmp_path: Path) -> None:
    rare = "".join(
        bytes((lead, 0x40 + n)).decode("cp950") for lead in (0xC9, 0xDA) for n in range(15)
    )
    target = tmp_path / "list.csv"
    target.write_bytes(f"姓名,備註\r\n王小明,{rare}\r\n".encode("cp950"))
    with pytest.raises(UserFileError, match=r"文字編碼無法確定.*第 1、2 列.*CSV UTF-8"):
        read_import_file(target)


def test_big5_files_still_import_and_user_defined_characters_are_still_refused() -> None:
    names = [r.record.name for r in read_import_file(HOSTILE / "csv_cp950.csv").rows]
    assert names == ["王小明", "林怡君"]
    with pytest.raises(UserFileError, match="自行造字"):
        read_import_file(HOSTILE / "csv_cp950_user_defined.csv")


def test_big5_lists_full_of_rare_name_characters_still_import(tmp_path: Path) -> None:
    rows = "".join(
        f"{name},瑪陵國小\r\n" for name in ["林珮璇", "蔡佩蓁", "葉芷瑄", "彭筱涵", "曾琬婷"]
    )
    target = tmp_path / "big5.csv"
    target.write_bytes(f"姓名,服務學校\r\n{rows}".encode("cp950"))
    assert len(read_import_file(target).rows) == 5


# ------------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0000-01-01", "年份是 0"),
        ("民國0年1月1日", "沒有民國 0 年"),
        ("00/1/1", "沒有民國 0 年"),
        ("1900-01-01", "早於民國元年"),
        ("2026-02-30", "2 月沒有 30 日"),
        ("115/2/30", "2 月沒有 30 日"),
        ("2026-13-01", "沒有 13 月"),
        ("民國2026年1月2日", "是西元 3937 年，晚於今天"),
        ("2999-01-01", "晚於今天"),
        ("1/2/3", "看不懂"),
    ],
)
def test_impossible_consent_dates_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ContactError) as caught:
        parse_date(text)
    assert caught.value.field == "consent_date"
    assert reason in caught.value.message and text in caught.value.message


def test_possible_consent_dates_still_read() -> None:
    assert parse_date("民國1年1月1日") == date(1912, 1, 1)
    assert parse_date("0115/1/2") == date(2026, 1, 2)
    assert parse_date("99/12/31") == date(2010, 12, 31)


def test_impossible_consent_dates_are_rejected_per_row(tmp_path: Path) -> None:
    target = tmp_path / "同意.csv"
    target.write_text(
        "姓名,同意日期\r\n"
        "王小明,0000-01-01\r\n"
        "林怡君,民國0年1月1日\r\n"
        "許功蓋,2026-02-30\r\n"
        "游淑娟,115/1/2\r\n",
        encoding="utf-8",
    )
    result = read_import_file(target)
    assert [r.record.name for r in result.rows] == ["游淑娟"]
    assert [(r.row, r.field) for r in result.rejected] == [
        (2, "同意日期"),
        (3, "同意日期"),
        (4, "同意日期"),
    ]
    assert all(r.reason.startswith("同意日期「") for r in result.rejected)


def test_an_xlsx_date_before_1912_is_rejected(tmp_path: Path) -> None:
    target = tmp_path / "同意.xlsx"
    write_xlsx(
        target,
        [
            Sheet(
                "名單",
                ["姓名", "同意日期"],
                [["王小明", date(1900, 1, 1)], ["林怡君", date(2026, 1, 2)]],
            )
        ],
    )
    result = read_import_file(target)
    assert [r.record.name for r in result.rows] == ["林怡君"]
    assert [(r.row, r.field) for r in result.rejected] == [(2, "同意日期")]


def test_a_vcard_consent_date_of_year_0_is_rejected(tmp_path: Path) -> None:
    result = read_vcf(tmp_path, card("3.0", "FN:王小明", "X-SCHOOLHR-CONSENT-DATE:0000-01-01"))
    assert [(r.row, r.field) for r in result.rejected] == [(1, "同意日期")]


@pytest.mark.parametrize("value", [date(1, 1, 1), date(1911, 12, 31), date(2999, 1, 1)])
def test_validate_refuses_consent_dates_no_one_could_have_agreed_on(value: date) -> None:
    with pytest.raises(ContactError) as caught:
        validate(ContactRecord(name="王小明", consent_date=value))
    assert caught.value.field == "consent_date" and value.isoformat() in caught.value.message


def test_vcard_module_reads_only_what_split_cards_kept(tmp_path: Path) -> None:
    """A base64 picture is still left out before parsing (and never decoded)."""
    photo = "/9j/" + "A" * 400
    (row,) = read_vcf(
        tmp_path, card("2.1", "FN:王小明", f"PHOTO;ENCODING=BASE64;TYPE=JPEG:{photo}")
    ).rows
    assert row.record.name == "王小明"
    text, problem = next(
        vcard.split_cards(card("2.1", "FN:王小明", f"PHOTO;ENCODING=BASE64:{photo}"))
    )
    assert problem is None and "PHOTO" not in text
