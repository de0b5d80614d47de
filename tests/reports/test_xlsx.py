"""xlsx in and out: text never becomes a formula, header and widths, limits, hostile files."""

from __future__ import annotations

import csv
import importlib.util
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

import schoolhr.reports.xlsx as xlsx_module
from schoolhr.errors import ExitCode, UserFileError
from schoolhr.reports.xlsx import (
    Sheet,
    Value,
    display_width,
    escape,
    estimate_widths,
    read_xlsx,
    unescape,
    unique_titles,
    write_xlsx,
)

FORMULA_LOOKING = [
    "=1+1",
    "@SUM(A1)",
    "+886912345678",
    "-3",
    '=HYPERLINK("http://x","y")',
    "#N/A",
    "'=quoted",
    "_x0041_ stays literal",
    "pasted\x0bcontrol\x1fcharacters",
    "第一行\n第二行",
]


def _contacts(count: int) -> Iterator[list[Value]]:
    for n in range(count):
        yield [f"王小明{n}", "幹事", "桃源國小", f"+8869{n:08d}", date(2024, 3, 5), n, n / 4, None]


def test_formula_looking_text_round_trips_as_text(tmp_path: Path) -> None:
    target = tmp_path / "通訊錄.xlsx"
    write_xlsx(target, [Sheet("名冊", ["文字"], [[text] for text in FORMULA_LOOKING])])
    (table,) = read_xlsx(target)
    assert [row[0] for row in table.rows] == FORMULA_LOOKING
    # In normal mode too: every one is a string cell, none a formula or an error.
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"s"}
    assert cells[0].value == "=1+1"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_text_not_the_result(tmp_path: Path) -> None:
    ours = tmp_path / "ours.xlsx"
    write_xlsx(ours, [Sheet("名冊", ["文字"], [[text] for text in FORMULA_LOOKING[:6]])])
    control = tmp_path / "control.xlsx"  # a real formula, to show LibreOffice does evaluate
    workbook = openpyxl.Workbook()
    assert workbook.active is not None
    workbook.active.append(["文字"])
    workbook.active.append(["=1+1"])
    workbook.save(control)
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out),
            str(ours),
            str(control),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with (out / "ours.csv").open(encoding="utf-8", newline="") as handle:
        assert [row[0] for row in csv.reader(handle)][1:] == FORMULA_LOOKING[:6]
    with (out / "control.csv").open(encoding="utf-8", newline="") as handle:
        assert [row[0] for row in csv.reader(handle)] == ["文字", "2"]


def test_header_is_bold_and_frozen_widths_and_dates(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    headers = ["姓名", "職稱", "學校", "電話", "到職日", "編號", "積點", "備註"]
    write_xlsx(
        target,
        [
            Sheet("名冊", headers, _contacts(3)),
            Sheet("另一頁", ["a", "b"], [[1, 2]], widths=[30, 12.5]),
        ],
    )
    workbook = openpyxl.load_workbook(target)
    first, second = workbook.worksheets
    assert first.freeze_panes == "A2"
    assert all(cell.font.b for cell in first[1])
    assert not first["A2"].font.b
    assert first["E2"].is_date
    assert first["E2"].number_format == "yyyy-mm-dd"
    assert first["E2"].value == datetime(2024, 3, 5)
    assert first["F3"].value == 1
    assert first.column_dimensions["A"].width == pytest.approx(display_width("王小明0") + 2)
    assert first.column_dimensions["B"].width == pytest.approx(4 * 1.1 + 2)  # bold header
    assert second.column_dimensions["A"].width == 30
    assert second.column_dimensions["B"].width == 12.5


def test_values_read_back_as_text(tmp_path: Path) -> None:
    target = tmp_path / "values.xlsx"
    row: list[Value] = [
        date(2024, 3, 5),
        datetime(2024, 3, 5, 9, 7),
        3.0,
        0.1 + 0.2,
        -5,
        True,
        None,
    ]
    write_xlsx(target, [Sheet("值", ["a", "b", "c", "d", "e", "f", "g"], [row, [None, "x"]])])
    (table,) = read_xlsx(target)
    assert table.rows == [
        ["2024-03-05", "2024-03-05 09:07", "3", "0.3", "-5", "TRUE", ""],
        ["", "x", "", "", "", "", ""],
    ]
    assert table.headers == ["a", "b", "c", "d", "e", "f", "g"]


def test_formulas_in_a_clerks_file_are_not_evaluated(tmp_path: Path) -> None:
    target = tmp_path / "clerk.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "名冊"
    sheet.append(["XX 國小教職員名冊"])  # a title above the header
    sheet.append([])
    sheet.append([" 姓名 ", "總和"])
    sheet.append(["王小明", "=1+1"])
    sheet.append([])
    sheet.append(["李大華", "=SUM(B4:B4)"])
    sheet.cell(row=10, column=1).font = openpyxl.styles.Font(bold=True)  # formatted, empty
    workbook.save(target)
    (table,) = read_xlsx(target)
    assert table.sheet == "名冊"
    assert table.first_row_number == 2
    assert table.headers == ["XX 國小教職員名冊", ""]
    assert table.rows == [
        ["", ""],
        [" 姓名 ", "總和"],
        ["王小明", "=1+1"],
        ["", ""],
        ["李大華", "=SUM(B4:B4)"],
    ]


def test_ten_thousand_rows_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "big.xlsx"
    headers = ["姓名", "職稱", "學校", "電話", "到職日", "編號", "積點", "空"]
    write_xlsx(target, [Sheet("名冊", headers, _contacts(10_000))])
    (table,) = read_xlsx(target)
    assert len(table.rows) == 10_000
    assert table.rows[-1][:7] == [
        "王小明9999",
        "幹事",
        "桃源國小",
        "+886900009999",
        "2024-03-05",
        "9999",
        "2499.75",
    ]
    assert table.headers == headers  # the empty last column is kept: its header has text


def test_sheet_titles_are_sanitised() -> None:
    assert unique_titles(
        ["名冊:[2024]", "a/b\\c*?", "x" * 40, "", "'引號'", "History", "名冊:[2024]"]
    ) == [
        "名冊__2024_",
        "a_b_c__",
        "x" * 31,
        "工作表4",
        "引號",
        "History_",
        "名冊__2024_ (2)",
    ]
    assert unique_titles(["y" * 31, "Y" * 31]) == ["y" * 31, "Y" * 27 + " (2)"]


def test_written_titles_are_sanitised(tmp_path: Path) -> None:
    target = tmp_path / "titles.xlsx"
    write_xlsx(target, [Sheet("名冊:[2024]", ["a"], []), Sheet("名冊:[2024]", ["a"], [])])
    assert [table.sheet for table in read_xlsx(target)] == ["名冊__2024_", "名冊__2024_ (2)"]


def test_escape_is_undone_by_unescape_and_leaves_excels_literals() -> None:
    for text in ["_x0041_", "a\x0bb", "_x000B_", "_x005F_", "x\ufffe", "__x0041__", "王_x"]:
        assert unescape(escape(text)) == text
    assert escape("a\x0bb") == "a_x000B_b"
    assert escape("_x0041_") == "_x005F_x0041_"
    # Excel writes a control character as _x000B_; a literal "_x0041_" reaches us from openpyxl
    # already unescaped once (shared strings), so it must stay as it is.
    assert unescape("a_x000B_b") == "a\x0bb"
    assert unescape("_x0041_") == "_x0041_"


def test_widths_count_cjk_double() -> None:
    assert display_width("王小明") == 6
    assert display_width("ab") == 2
    assert display_width("ＡＢ") == 4
    assert display_width("短\n長長長") == 6
    assert estimate_widths(["姓名"], [["很長的學校名稱很長的學校名稱"]]) == [30]
    assert estimate_widths(["x"], [["a" * 500]]) == [60]


def test_failed_write_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.xlsx"
    target.write_bytes(b"old")

    def rows() -> Iterator[Sequence[Value]]:
        yield ["一"]
        raise RuntimeError("crash while exporting")

    def temporary_files() -> set[str]:
        return {p.name for p in Path(tempfile.gettempdir()).glob("openpyxl.*")}

    before = temporary_files()
    with pytest.raises(RuntimeError):
        write_xlsx(target, [Sheet("s", ["h"], [["x"]]), Sheet("t", ["h"], rows())])
    assert target.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["out.xlsx"]
    assert temporary_files() <= before


# ---------------------------------------------------------------------------------------------
# files that are not what they claim, and limits


def _refused(path: Path, **limits: int) -> str:
    with pytest.raises(UserFileError) as caught:
        read_xlsx(path, **limits)
    assert caught.value.exit_code == ExitCode.FILE
    return caught.value.message


def test_renamed_text_file_is_refused_in_zh_tw(tmp_path: Path) -> None:
    target = tmp_path / "名冊.xlsx"
    target.write_text("姓名,電話\n王小明,0912\n", encoding="utf-8")
    message = _refused(target)
    assert "檔案「名冊.xlsx」不是 Excel 活頁簿（.xlsx）" in message
    assert "另存新檔" in message


def test_old_xls_and_encrypted_files_are_refused(tmp_path: Path) -> None:
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    old = tmp_path / "舊檔.xlsx"
    old.write_bytes(ole + "Workbook".encode("utf-16-le"))
    assert "舊版 Excel 檔（.xls）" in _refused(old)
    locked = tmp_path / "加密.xlsx"
    locked.write_bytes(
        ole
        + "EncryptedInfo".encode("utf-16-le")
        + bytes(20)
        + "EncryptedPackage".encode("utf-16-le")
    )
    assert "檔案「加密.xlsx」設有密碼保護" in _refused(locked)


def test_zip_that_is_not_a_workbook_and_truncated_workbook(tmp_path: Path) -> None:
    other = tmp_path / "壓縮檔.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "檔案「壓縮檔.xlsx」不是 Excel 活頁簿（.xlsx），或檔案已損壞" in _refused(other)
    good = tmp_path / "good.xlsx"
    write_xlsx(good, [Sheet("s", ["h"], [["x"]] * 100)])
    cut = tmp_path / "半個.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "「半個.xlsx」" in _refused(cut)


def test_ods_is_named(tmp_path: Path) -> None:
    target = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert ".ods" in _refused(target)


def test_entities_in_xml_are_refused(tmp_path: Path) -> None:
    """defusedxml is on: an entity declaration (billion laughs, XXE) is never expanded."""
    assert openpyxl.xml.DEFUSEDXML is True
    plain = tmp_path / "plain.xlsx"
    write_xlsx(plain, [Sheet("名冊", ["h"], [["PLACEHOLDER"]])])
    evil = tmp_path / "evil.xlsx"
    entities = (
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet'
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(evil, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", entities, 1).replace(b"PLACEHOLDER", b"&b;")
                assert b"&b;" in data
            target.writestr(item, data)
    with pytest.raises(UserFileError, match=re.escape("「evil.xlsx」")) as caught:
        read_xlsx(evil)
    causes = []
    cause = caught.value.__cause__
    while cause is not None:
        causes.append(type(cause).__name__)
        cause = cause.__cause__
    assert "EntitiesForbidden" in causes


def test_module_refuses_to_load_without_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    spec = importlib.util.spec_from_file_location("xlsx_without_defusedxml", xlsx_module.__file__)
    assert spec is not None and spec.loader is not None
    with pytest.raises(RuntimeError, match="defusedxml"):
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


def test_column_limit_names_file_sheet_and_row(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "名冊"
    sheet.append(["姓名"])
    sheet.cell(row=12, column=201, value="太寬")
    sheet.cell(row=5, column=300).font = openpyxl.styles.Font(bold=True)  # formatted only: fine
    workbook.save(target)
    assert "檔案「x.xlsx」的工作表「名冊」第 12 列超過 200 欄" in _refused(target)


def test_row_and_cell_limits(tmp_path: Path) -> None:
    target = tmp_path / "rows.xlsx"
    write_xlsx(target, [Sheet("名冊", ["a", "b"], [["x", "y"]] * 10)])
    assert len(read_xlsx(target, max_rows=10)[0].rows) == 10
    message = _refused(target, max_rows=9)
    assert "檔案「rows.xlsx」的工作表「名冊」超過 9 列資料（第 11 列仍有資料）" in message
    assert "超過 21 個" in _refused(target, max_cells=21)
    assert len(read_xlsx(target, max_cells=22)[0].rows) == 10


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "大.xlsx"
    write_xlsx(target, [Sheet("s", ["h"], [["x"]])])
    monkeypatch.setattr(xlsx_module, "MAX_XLSX_BYTES", 100)
    assert "超過 Excel 匯入上限" in _refused(target)


def test_missing_file(tmp_path: Path) -> None:
    assert "找不到檔案「沒有.xlsx」" in _refused(tmp_path / "沒有.xlsx")


def test_write_needs_a_sheet(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_xlsx(tmp_path / "none.xlsx", [])


def test_streamed_cells_read_back_with_their_types(tmp_path: Path) -> None:
    """The rows are written as markup, not through openpyxl's cells (issue 22): each kind of
    value reads back as openpyxl would have written it, repeated texts and dates included."""
    target = tmp_path / "types.xlsx"
    rows: list[list[Value]] = [
        ["  spaces kept ", "a&b<c>", "", "=SUM(A1)", True, False, 7, -2.5],
        [float("nan"), 9 * 10**18, date(2024, 3, 5), datetime(2024, 3, 5, 13, 45), None, "x"],
        ["  spaces kept ", "a&b<c>", "", "=SUM(A1)", date(2024, 3, 5)],
    ]
    write_xlsx(target, [Sheet("型別", [" 標題 ", ""], rows)])
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert [sheet["A1"].value, sheet["B1"].value] == [" 標題 ", None]
    assert sheet["A1"].font.b and sheet["B1"].font.b
    for number in (2, 4):
        values = [cell.value for cell in sheet[number][:4]]
        assert values == ["  spaces kept ", "a&b<c>", None, "=SUM(A1)"]
        assert sheet.cell(number, 4).data_type == "s"
    assert [sheet["E2"].value, sheet["F2"].value, sheet["G2"].value, sheet["H2"].value] == [
        True,
        False,
        7,
        -2.5,
    ]
    assert sheet["A3"].value == "nan" and sheet["A3"].data_type == "s"
    assert sheet["B3"].value == 9e18
    assert sheet["C3"].value == datetime(2024, 3, 5) and sheet["C3"].number_format == "yyyy-mm-dd"
    assert sheet["E4"].value == datetime(2024, 3, 5) and sheet["E4"].number_format == "yyyy-mm-dd"
    assert sheet["D3"].value == datetime(2024, 3, 5, 13, 45)
    assert sheet["D3"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["E3"].value is None and sheet["F3"].value == "x"
    (table,) = read_xlsx(target)
    assert table.rows[1][:4] == ["nan", "9e+18", "2024-03-05", "2024-03-05 13:45"]


def test_codes_and_uuids_are_written_as_plain_text_markup(tmp_path: Path) -> None:
    """UUIDs and codes take a short path to their markup (issue 22): the same inline strings
    as any text, kept as text whatever they look like; a text with an underscore, a space or a
    control character takes the full one."""
    tokens = ["0b9f1c4e-5a7d-4c2b-9e1f-3d2c1b0a9f8e", "-5", "1e5", "A.1", "x" * 200, "x" * 201]
    others = ["_x0041_", " 1", "a\x01b", "A_1"]
    target = tmp_path / "tokens.xlsx"
    write_xlsx(target, [Sheet("代碼", ["代碼"], [[text] for text in tokens + others])])
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert f'<c r="A2" t="inlineStr"><is><t>{tokens[0]}</t></is></c>' in xml
    assert '<c r="A3" t="inlineStr"><is><t>-5</t></is></c>' in xml
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s"] * len(tokens + others)
    assert [cell.value for cell in cells[: len(tokens)]] == tokens
    (table,) = read_xlsx(target)
    assert [row[0] for row in table.rows] == tokens + others
