"""The scan before openpyxl: every limit of ``xlsx_guard`` refuses in zh-TW, and the deadline.

Packages are written by hand (``_package``), so each test puts exactly the XML it attacks with;
the limits are lowered with ``monkeypatch`` so the files stay tiny. The real limits against
real-size bombs are in the hostile corpus (tests/reliability/test_hostile_files.py).
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

import schoolhr.reports.xlsx_guard as guard
from schoolhr.budget import Deadline
from schoolhr.errors import ExitCode, UserFileError
from schoolhr.reports.xlsx import Table, read_xlsx
from tests.data.hostile.make_hostile import _set_flag_bits

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{NS}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = f'<row r="1">{inline("A1", "姓名")}{inline("B1", "服務學校")}</row>'


def person(number: int, name: str = "王小明") -> str:
    return f'<row r="{number}">{inline(f"A{number}", name)}{inline(f"B{number}", "桃源國小")}</row>'


def _package(
    target: Path,
    rows: str = HEADER + person(2),
    *,
    shared: str | None = None,
    styles: str | None = STYLES,
    before_data: str = "",
    after_data: str = "",
    workbook_extra: str = "",
) -> Path:
    """A minimal workbook: one sheet 「名冊」 holding ``rows`` (the inside of ``<sheetData>``),
    with the shared strings (the inside of ``<sst>``) and the styles part given."""
    overrides = [("/xl/workbook.xml", "sheet.main"), ("/xl/worksheets/sheet1.xml", "worksheet")]
    if shared is not None:
        overrides.append(("/xl/sharedStrings.xml", "sharedStrings"))
    if styles is not None:
        overrides.append(("/xl/styles.xml", "styles"))
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{part}" ContentType="{TYPES}.{kind}+xml"/>'
            for part, kind in overrides
        )
        + "</Types>"
    )
    members = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": (
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{NS}" xmlns:r="{OFFICE}"><sheets>'
            f'<sheet name="名冊" sheetId="1" r:id="rId1"/></sheets>{workbook_extra}</workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{NS}">{before_data}<sheetData>{rows}</sheetData>'
            f"{after_data}</worksheet>"
        ),
    }
    if shared is not None:
        members["xl/sharedStrings.xml"] = f'<sst xmlns="{NS}">{shared}</sst>'
    if styles is not None:
        members["xl/styles.xml"] = styles
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode("utf-8"))
    return target


def _refused(path: Path, **options: object) -> str:
    with pytest.raises(UserFileError) as caught:
        read_xlsx(path, **options)  # type: ignore[arg-type]
    assert caught.value.exit_code == ExitCode.FILE
    message = caught.value.message
    assert f"檔案「{path.name}」" in message
    return message


def _only(path: Path) -> Table:
    (table,) = read_xlsx(path)
    return table


# ---------------------------------------------------------------------------------------------
# what still reads


def test_a_hand_made_workbook_reads_with_shared_strings_rich_text_and_dates(
    tmp_path: Path,
) -> None:
    shared = (
        "<si><t>姓名</t></si><si><t>生日</t></si><si><t>王小明</t></si>"
        '<si><r><t>林</t></r><r><rPr><b/></rPr><t>怡君</t></r><rPh sb="0" eb="1"><t>x</t></rPh>'
        "</si>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>45356</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>12</v></c></row>'
    )
    table = _only(_package(tmp_path / "名冊.xlsx", rows, shared=shared))
    assert table.headers == ["姓名", "生日"]
    assert table.rows == [["王小明", "2024-03-05"], ["林怡君", "12"]]


def test_empty_rows_between_data_are_kept_and_those_after_it_dropped(tmp_path: Path) -> None:
    rows = HEADER + person(2) + '<row r="3"/><row r="4" ht="20" customHeight="1"/>' + person(5)
    rows += "".join(f'<row r="{n}" s="1" customFormat="1"/>' for n in range(6, 2000))
    table = _only(_package(tmp_path / "空列.xlsx", rows))
    assert table.first_row_number == 2
    assert table.rows == [["王小明", "桃源國小"], ["", ""], ["", ""], ["王小明", "桃源國小"]]


def test_what_follows_the_data_is_never_parsed(tmp_path: Path) -> None:
    """Hyperlinks, merged cells and the like after ``</sheetData>`` are neither scanned nor
    given to openpyxl: 300,000 merged ranges cost nothing."""
    merges = "<mergeCells>" + '<mergeCell ref="C1:D1"/>' * 300_000 + "</mergeCells>"
    started = time.perf_counter()
    table = _only(_package(tmp_path / "合併.xlsx", after_data=merges))
    assert time.perf_counter() - started < 3
    assert table.rows == [["王小明", "桃源國小"]]


def test_a_chart_sheet_is_skipped(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "名冊"
    for row in (["姓名", "點數"], ["王小明", 3], ["林怡君", 5]):
        sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    workbook.create_chartsheet("圖").add_chart(chart)
    target = tmp_path / "圖表.xlsx"
    workbook.save(target)
    (table,) = read_xlsx(target)
    assert table.sheet == "名冊"
    assert table.rows == [["王小明", "3"], ["林怡君", "5"]]


# ---------------------------------------------------------------------------------------------
# shared strings


def test_too_many_shared_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_SHARED_STRINGS", 5)
    shared = "<si><t>a</t></si>" * 6
    assert "的共用字串超過 5 筆" in _refused(_package(tmp_path / "字串.xlsx", shared=shared))
    assert _only(_package(tmp_path / "剛好.xlsx", shared="<si><t>a</t></si>" * 5)).rows


def test_too_much_shared_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_SHARED_TEXT", 1000)
    shared = f"<si><t>{'長' * 1001}</t></si>"
    assert "的共用字串文字超過 1,000 字" in _refused(_package(tmp_path / "長.xlsx", shared=shared))


def test_too_many_shared_string_elements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_SHARED_ELEMENTS", 100)
    shared = "<si><t>a</t>" + "<x/>" * 100 + "</si>"
    message = _refused(_package(tmp_path / "項目.xlsx", shared=shared))
    assert "的共用字串超過 100 個項目" in message


def test_too_many_rich_text_runs_shared_or_inline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_RICH_TEXT_RUNS", 10)
    shared = ("<si>" + "<r><rPr><b/></rPr><t>a</t></r>" * 5 + "</si>") * 3
    message = _refused(_package(tmp_path / "格式.xlsx", shared=shared))
    assert "的共用字串含有格式化文字" in message
    assert "合計超過 10 段" in message
    runs = "".join(f"<r><t>{n}</t></r>" for n in range(11))
    rows = HEADER + f'<row r="2"><c r="A2" t="inlineStr"><is>{runs}</is></c></row>'
    message = _refused(_package(tmp_path / "格式2.xlsx", rows))
    assert "的工作表「名冊」第 2 列含有格式化文字" in message


# ---------------------------------------------------------------------------------------------
# parts read whole


def test_too_many_style_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_STYLE_RECORDS", 20)
    many = STYLES.replace(
        '<cellXfs count="2">', '<cellXfs count="22">' + '<xf numFmtId="0" fontId="0"/>' * 20
    )
    message = _refused(_package(tmp_path / "樣式.xlsx", styles=many))
    assert "的樣式表有超過 20 個格式設定" in message
    assert "貼上值" in message
    assert _only(_package(tmp_path / "樣式少.xlsx")).rows  # STYLES has 7 records


def test_too_many_style_elements_or_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_STYLE_ELEMENTS", 50)
    padded = STYLES.replace("</styleSheet>", "<extLst>" + "<ext/>" * 50 + "</extLst></styleSheet>")
    assert "的樣式表超過 50 個項目" in _refused(_package(tmp_path / "a.xlsx", styles=padded))
    monkeypatch.setattr(guard, "MAX_PART_BYTES", 2 * 1024 * 1024)
    spaced = STYLES.replace("</styleSheet>", " " * (2 * 1024 * 1024) + "</styleSheet>")
    message = _refused(_package(tmp_path / "b.xlsx", styles=spaced))
    assert "的樣式表（xl/styles.xml）解壓縮後超過 2 MB" in message


def test_too_many_elements_in_the_workbook_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_PART_ELEMENTS", 100)
    names = "<definedNames>" + '<definedName name="n">名冊!$A$1</definedName>' * 100
    target = _package(tmp_path / "名稱.xlsx", workbook_extra=names + "</definedNames>")
    assert "的活頁簿的結構資料（xl/workbook.xml）超過 100 個項目" in _refused(target)


# ---------------------------------------------------------------------------------------------
# worksheets


def test_a_row_with_too_many_cells(tmp_path: Path) -> None:
    """The real limit (Excel's 16,384 columns) against a real bomb: 2 million empty cells in
    one row, 40 MB unpacked, refused in well under a second."""
    rows = HEADER + '<row r="2">' + '<c r="A2"/>' * 2_000_000 + "</row>"
    target = _package(tmp_path / "一列.xlsx", rows)
    started = time.perf_counter()
    message = _refused(target)
    assert time.perf_counter() - started < 2
    assert "的工作表「名冊」第 2 列的儲存格超過 16,384 個" in message


def test_too_many_elements_in_one_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_ROW_ELEMENTS", 30)
    rows = HEADER + f'<row r="2"><c r="A2" t="inlineStr"><is>{"<t>a</t>" * 30}</is></c></row>'
    assert "的工作表「名冊」第 2 列的內容超過 30 個項目" in _refused(
        _package(tmp_path / "a.xlsx", rows)
    )


def test_too_many_cells_in_a_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_SHEET_CELLS", 50)
    rows = HEADER + "".join(f'<row r="{n}"><c s="1"/><c s="1"/></row>' for n in range(2, 30))
    message = _refused(_package(tmp_path / "格子.xlsx", rows))
    assert "的工作表「名冊」的儲存格超過 50 個" in message


def test_too_many_rows_in_a_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_SHEET_ROWS", 100)
    rows = HEADER + '<row r="2"/>' * 100
    assert "的工作表「名冊」超過 100 列" in _refused(_package(tmp_path / "列.xlsx", rows))
    rows = HEADER + "<row/>" * 99  # numbered by openpyxl, counted all the same
    assert _only(_package(tmp_path / "剛好.xlsx", rows)).rows == []


def test_a_row_number_beyond_excel(tmp_path: Path) -> None:
    rows = HEADER + '<row r="2000000000"/>'
    message = _refused(_package(tmp_path / "列號.xlsx", rows))
    assert "的工作表「名冊」有第 2,000,000,000 列，超過 Excel 的 1,048,576 列" in message
    for bad in ("x", "2.5", "1" * 5000):
        rows = HEADER + f'<row r="{bad}"/>'
        assert "內容已損壞或格式無法辨識" in _refused(_package(tmp_path / "壞.xlsx", rows))


def test_rows_padded_too_wide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl pads a row to its last cell's column: one empty cell in XFD is 16,384."""
    monkeypatch.setattr(guard, "MAX_SHEET_SPAN", 100_000)
    rows = HEADER + "".join(f'<row r="{n}"><c r="XFD{n}"/></row>' for n in range(2, 10))
    message = _refused(_package(tmp_path / "寬.xlsx", rows))
    assert "的工作表「名冊」的儲存格範圍超過 100,000 格" in message
    rows = HEADER + "".join(f'<row r="{n}"><c r="XFD{n}"/></row>' for n in range(2, 5))
    assert _only(_package(tmp_path / "不寬.xlsx", rows)).rows == []


def test_too_many_elements_outside_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_SHEET_OTHER", 100)
    columns = "<cols>" + '<col min="1" max="1" width="9"/>' * 100 + "</cols>"
    message = _refused(_package(tmp_path / "欄寬.xlsx", before_data=columns))
    assert "的工作表「名冊」在資料以外的設定（欄寬、檢視等）超過 100 項" in message


def test_too_long_a_text_or_too_much_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_TEXT_RUN", 1000)
    rows = HEADER + person(2, "王" * 1001)
    message = _refused(_package(tmp_path / "長.xlsx", rows))
    assert "的工作表「名冊」第 2 列附近有一段文字超過 1,000 字" in message
    monkeypatch.setattr(guard, "MAX_SHEET_TEXT", 5000)
    rows = HEADER + "".join(person(n, "王" * 900) for n in range(2, 10))
    message = _refused(_package(tmp_path / "多.xlsx", rows))
    assert "的工作表文字合計超過 5,000 字（讀到工作表「名冊」" in message


def test_a_huge_tag_is_refused_before_expat_buffers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_TAG_BYTES", 100_000)
    attributes = "".join(f' a{n}="1"' for n in range(50_000))
    rows = HEADER + f'<row r="2"{attributes}/>'
    assert "內容已損壞或格式無法辨識" in _refused(_package(tmp_path / "標記.xlsx", rows))
    rows = HEADER + "<!--" + "註" * 200_000 + "-->" + person(2)
    assert "內容已損壞或格式無法辨識" in _refused(_package(tmp_path / "註解.xlsx", rows))


def test_a_row_inside_a_row_and_entities_are_damaged(tmp_path: Path) -> None:
    rows = HEADER + '<row r="2"><row r="3"/></row>'
    message = _refused(_package(tmp_path / "巢狀.xlsx", rows))
    assert "的工作表「名冊」內容已損壞或格式無法辨識" in message
    target = _package(tmp_path / "實體.xlsx", shared="<si><t>a</t></si>")
    with zipfile.ZipFile(target) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/sharedStrings.xml"] = (
        b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>' + parts["xl/sharedStrings.xml"]
    )
    with zipfile.ZipFile(target, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    with pytest.raises(UserFileError, match="內容已損壞") as caught:
        read_xlsx(target)
    assert type(caught.value.__cause__).__name__ == "EntitiesForbidden"


@pytest.mark.parametrize("member", ["mimetype", "xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_an_encrypted_member_is_damaged(tmp_path: Path, member: str) -> None:
    """zipfile raises RuntimeError for a member flagged as encrypted: a refusal, not a crash."""
    target = _package(tmp_path / "加密成員.xlsx")
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("mimetype", "application/vnd.openxmlformats")
    target.write_bytes(_set_flag_bits(target.read_bytes(), member.encode(), 0x1))
    assert "內容已損壞或格式無法辨識" in _refused(target)


# ---------------------------------------------------------------------------------------------
# the deadline


class _Clock:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_the_deadline_stops_the_read_and_says_where(tmp_path: Path) -> None:
    rows = HEADER + "".join(person(n) for n in range(2, 200))
    target = _package(tmp_path / "慢.xlsx", rows)
    in_time = Deadline(target.name, 8, clock=_Clock(0.01))
    assert len(read_xlsx(target, deadline=in_time)[0].rows) == 198
    message = _refused(target, deadline=Deadline(target.name, 8, clock=_Clock(0.1)))
    assert re.search(r"讀取超過 8 秒仍未完成（讀到工作表「名冊」第 \d+ 列）", message)
    message = _refused(target, deadline=Deadline(target.name, 0))
    assert "讀取超過 0 秒仍未完成" in message


def test_the_scan_checks_the_deadline_too(tmp_path: Path) -> None:
    rows = HEADER + "".join(person(n) for n in range(2, 20_000))  # several 64 KB chunks
    target = _package(tmp_path / "掃描.xlsx", rows)
    clock = _Clock(0.0)
    deadline = Deadline(target.name, 1, clock=clock)
    clock.step = 0.4  # from here on each look at the clock costs 0.4 s
    message = _refused(target, deadline=deadline)
    assert "讀取超過 1 秒仍未完成（讀到" in message


def test_inline_text_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    """Plain inline text is read without openpyxl's rich-text objects (issue 22, speed); every
    shape of inline text still reads as openpyxl's own read-only parser reads it."""
    cells = [
        '<c r="A1" t="inlineStr"><is><t>plain</t></is></c>',
        '<c r="B1" t="inlineStr"><is><t/></is></c>',
        '<c r="C1" t="inlineStr"><is><r><t>run1</t></r><r><rPr><b/></rPr><t>run2</t></r></is></c>',
        '<c r="D1" t="inlineStr"><is><t>base</t><rPh sb="0" eb="1"><t>ふり</t></rPh></is></c>',
        '<c r="E1" t="inlineStr"><f>1+1</f><is><t>cached</t></is></c>',
        '<c t="inlineStr"><is><t xml:space="preserve">  no ref </t></is></c>',
        '<c r="H1" t="inlineStr"/>',
        '<c r="I1" t="inlineStr"><is></is></c>',
        '<c r="J1" s="1" t="inlineStr"><is><t>x</t><t>y</t></is></c>',
        '<c r="K1" t="inlineStr"><is><t>a<x/>b</t></is></c>',
    ]
    escaped = '<c r="B3" t="inlineStr"><is><t>&amp;&lt;</t></is></c>'
    rows = f'<row r="1">{"".join(cells)}</row><row r="3">{escaped}</row>'
    target = _package(tmp_path / "inline.xlsx", rows)
    workbook = openpyxl.load_workbook(target, read_only=True)
    expected = [list(row) for row in workbook.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    workbook.close()
    workbook, sheets = guard.open_workbook(target.name, target.read_bytes(), Deadline("t"))
    try:
        worksheet = sheets[0].worksheet
        got = [list(row) for row in worksheet.iter_rows(values_only=True)]  # type: ignore[misc]
    finally:
        workbook.close()
    assert got == expected
    assert got[0][:5] == ["plain", "", "run1run2", "base", "=1+1"]
    (table,) = read_xlsx(target)
    assert table.headers[:6] == ["plain", "", "run1run2", "base", "=1+1", "no ref"]
    assert table.rows == [[""] * 11, ["", "&<"] + [""] * 9]
