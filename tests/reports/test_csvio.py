"""CSV in and out: encodings Excel writes on zh-TW Windows, formula neutralising, limits."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest

from schoolhr.errors import ExitCode, UserFileError
from schoolhr.reports.csvio import neutralize, read_csv, restore, write_csv
from tests.helpers import TEST_DATA

FORMULA_LOOKING = [
    "=1+1",
    "@SUM(A1)",
    "+886912345678",
    "-3",
    '=HYPERLINK("http://x","y")',
    "\tstarts with a tab",
    "\rstarts with CR",
    "'=already quoted",
    "''+two apostrophes",
    "'plain apostrophe",
    "2024-03-05",
    "",
]
CONTACTS = "姓名,學校,電話\r\n林怡君,桃源國小,03-3821234\r\n許功蓋,三民國小,\r\n"
EXPECTED_ROWS = [["林怡君", "桃源國小", "03-3821234"], ["許功蓋", "三民國小", ""]]


def test_neutralize_prefixes_formula_triggers_and_restore_undoes_it() -> None:
    assert neutralize("=1+1") == "'=1+1"
    assert neutralize("-3") == "'-3"
    assert neutralize("'=x") == "''=x"
    assert neutralize("'abc") == "'abc"
    assert neutralize("王小明") == "王小明"
    assert neutralize("") == ""
    for text in FORMULA_LOOKING:
        assert restore(neutralize(text)) == text


def test_formula_looking_text_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "通訊錄.csv"
    write_csv(
        target, ["文字", "編號"], [[text, number] for number, text in enumerate(FORMULA_LOOKING)]
    )
    table = read_csv(target)
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["文字", "編號"]
    assert [row[0] for row in table.rows] == FORMULA_LOOKING
    assert [row[1] for row in table.rows] == [str(n) for n in range(len(FORMULA_LOOKING))]


def test_written_file_is_utf8_bom_crlf_with_apostrophes(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_csv(
        target, ["姓名", "電話", "日期", "金額"], [["=1+1", "+886912345678", date(2024, 3, 5), -3]]
    )
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines == ["姓名,電話,日期,金額", "'=1+1,'+886912345678,2024-03-05,-3", ""]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("cp950", "cp950"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8")],
)
def test_excel_encodings_import_with_the_right_chinese(
    tmp_path: Path, encoding: str, expected: str
) -> None:
    target = tmp_path / "名冊.csv"
    target.write_bytes(CONTACTS.encode(encoding))
    table = read_csv(target)
    assert table.encoding == expected
    assert table.headers == ["姓名", "學校", "電話"]
    assert table.rows == EXPECTED_ROWS


@pytest.mark.parametrize(
    ("name", "encoding"), [("cp950.csv", "cp950"), ("utf8-bom.csv", "utf-8-sig")]
)
def test_real_fixture_files(name: str, encoding: str) -> None:
    table = read_csv(TEST_DATA / "csv" / name)
    assert table.encoding == encoding
    assert table.headers == ["姓名", "職稱", "學校", "電話", "電子郵件", "備註"]
    assert table.rows[0][3] == "+886912345678"  # the exporter's apostrophe is gone
    assert table.rows[1][5] == "=1+1 不是公式"
    assert table.rows[2][0] == "許功蓋"  # Big5 trail byte 0x5C (backslash) in each character
    assert table.rows[2][5] == "碁、裏、「表」"


def test_undecodable_file_names_row_and_byte(tmp_path: Path) -> None:
    target = tmp_path / "壞檔.csv"
    data = "姓名,學校\r\n王小明,甲國小\r\n".encode() + b"\xff\xfe,x\r\n"
    target.write_bytes(data)
    with pytest.raises(UserFileError) as caught:
        read_csv(target)
    message = caught.value.message
    assert "「壞檔.csv」" in message
    assert "第 3 列" in message
    offset = data.index(b"\xff")
    assert f"第 {offset + 1} 個位元組" in message
    assert "0xFF" in message
    assert caught.value.exit_code == ExitCode.FILE


def test_big5_user_defined_character_gets_a_hint(tmp_path: Path) -> None:
    target = tmp_path / "造字.csv"
    target.write_bytes("姓名\r\n".encode("cp950") + b"\xfa\x40\r\n")
    with pytest.raises(UserFileError, match="造字"):
        read_csv(target)


def test_utf16_text_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "unicode.csv"
    target.write_bytes("姓名\t學校\r\n".encode("utf-16"))
    with pytest.raises(UserFileError, match="UTF-16"):
        read_csv(target)


def test_size_limit(tmp_path: Path) -> None:
    target = tmp_path / "大.csv"
    target.write_bytes(b"a,b\r\n" * 300)
    with pytest.raises(UserFileError, match="超過 CSV 匯入上限"):
        read_csv(target, max_bytes=1000)


def test_row_limit_counts_rows_with_data_only(tmp_path: Path) -> None:
    target = tmp_path / "rows.csv"
    target.write_text("h\r\n" + "x\r\n" * 5 + ",\r\n" * 20, encoding="utf-8")
    assert len(read_csv(target, max_rows=5).rows) == 5  # trailing empty records are dropped
    target.write_text("h\r\n" + "x\r\n" * 6, encoding="utf-8")
    with pytest.raises(UserFileError, match="超過 5 列（第 7 列仍有資料）"):
        read_csv(target, max_rows=5)


def test_column_limit_names_the_row(tmp_path: Path) -> None:
    target = tmp_path / "cols.csv"
    target.write_text("a,b,c\r\n1,2,3,,,,,,\r\n1,2,3,4\r\n", encoding="utf-8")
    with pytest.raises(UserFileError, match=re.escape("「cols.csv」第 3 列超過 3 欄")):
        read_csv(target, max_columns=3)


def test_title_and_blank_rows_keep_row_numbers(tmp_path: Path) -> None:
    target = tmp_path / "blank.csv"
    target.write_text(
        "\r\n,,\r\n 姓名 ,電話\r\n王小明\r\n\r\n李大華,02-1234,多一欄\r\n,,\r\n", "utf-8"
    )
    table = read_csv(target)
    assert table.first_row_number == 4
    assert table.headers == ["姓名", "電話", ""]
    assert table.rows == [["王小明", "", ""], ["", "", ""], ["李大華", "02-1234", "多一欄"]]


def test_quoted_newlines_and_commas(tmp_path: Path) -> None:
    target = tmp_path / "q.csv"
    write_csv(target, ["備註"], [["第一行\n第二行, 有逗號"], ['他說"好"']])
    assert [row[0] for row in read_csv(target).rows] == ["第一行\n第二行, 有逗號", '他說"好"']


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UserFileError, match=re.escape("找不到檔案「沒有.csv」")):
        read_csv(tmp_path / "沒有.csv")
    with pytest.raises(UserFileError, match="是資料夾"):
        read_csv(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "empty.csv"
    target.write_bytes(b"")
    table = read_csv(target)
    assert (table.headers, table.rows) == ([], [])


def test_failed_write_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.csv"
    target.write_text("舊的內容", encoding="utf-8")

    def rows() -> Iterator[Sequence[str]]:
        yield ["一"]
        raise RuntimeError("crash while exporting")

    with pytest.raises(RuntimeError):
        write_csv(target, ["h"], rows())
    assert target.read_text(encoding="utf-8") == "舊的內容"
    assert [p.name for p in folder.iterdir()] == ["out.csv"]


def test_write_into_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserFileError, match="不存在"):
        write_csv(tmp_path / "沒有這個資料夾" / "out.csv", ["h"], [])
