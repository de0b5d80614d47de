"""What an .xlsx may hold before openpyxl parses it: XML bombs are refused in seconds.

The unpacked-size check (512 MB) is not enough on its own: XML that repeats one small element
compresses a thousand to one, so a 50 KB file can hold millions of shared strings, styles, cells
or rows, and openpyxl turns each into Python objects (minutes and gigabytes). So ``open_workbook``
reads the package the way ``openpyxl.load_workbook`` does, in read-only mode, but first streams
every part openpyxl will parse through expat (64 KB at a time, nothing kept but counters) and
refuses a part that goes over a limit below, with a ``UserFileError`` naming the file, the part
or sheet, and the limit. Memory stays bounded because within the limits openpyxl holds at most
~150 MB, and time because the limits bound what openpyxl parses in one piece and a ``Deadline``
is checked after every chunk here, between openpyxl's steps and after every row in
``xlsx._read_sheet``.

Parts openpyxl reads whole (the content types, the workbook and its relationships, the styles)
may unpack to ``MAX_PART_BYTES`` at most. The shared strings and the worksheets are streamed by
openpyxl and scanned here the same way. Only what a list of values needs is read: no document
properties, theme, chart sheets, drawings, external links or sheet relationships (openpyxl's
``load_workbook`` would parse those too). A worksheet is scanned up to the end of its
``<sheetData>``; the scan notes the number of the last row openpyxl will produce and
``_read_sheet`` stops there, so what follows the data (hyperlinks, merged cells, conditional
formats, page setup) is never parsed by anyone.

Entity declarations are refused here as defusedxml refuses them (openpyxl parses through
defusedxml as well); a tag, comment or processing instruction longer than ``MAX_TAG_BYTES``
(which expat would buffer whole) is refused as a damaged file.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pyexpat import ExpatError, ParserCreate
from pyexpat import XMLParserType as _Parser
from string import digits
from typing import NoReturn
from xml.etree.ElementTree import Element

from defusedxml import (  # type: ignore[import-untyped]  # no stubs; openpyxl uses it too
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_STYLE,
    ARC_WORKBOOK,
    SHARED_STRINGS,
    SHEET_MAIN_NS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)

from schoolhr.budget import Deadline
from schoolhr.errors import UserFileError

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

# -- limits ------------------------------------------------------------------------------------
# The contacts importer takes 50,000 data rows of up to 200 columns; a real contact list has
# about ten columns and most of its text repeats (schools, titles). openpyxl, measured on the
# 2-core test machine: ~6 µs per shared string or plain run, up to ~40 µs per formatted run,
# ~37 µs per style record, 5-10 µs per empty row, 4-8 µs per empty and ~15 µs per filled cell.
# Each limit is generous for a real list and keeps what openpyxl must do within the read's time
# (``budget.READ_SECONDS``) and memory budget (512 MB).

MAX_PART_BYTES = 16 * 1024 * 1024
"""Unpacked size of a part openpyxl reads whole (content types, workbook, its relationships,
styles). Excel's own are kilobytes; a styles part at Excel's 64,000-format limit is ~10 MB."""
MAX_PART_ELEMENTS = 50_000
"""Elements in the content types, the workbook or its relationships (one per part, sheet or
defined name: a workbook has dozens, a cluttered one a few thousand)."""

MAX_SHARED_STRINGS = 200_000
"""Distinct texts in the shared-string table: 50,000 rows x 4 columns of text that never
repeats (names, e-mails, phones, notes; schools and titles repeat), ~1.2 s for openpyxl."""
MAX_SHARED_ELEMENTS = 500_000
"""Elements in the shared-string table: 2 for a plain text, ~7 for a run of formatted text.
openpyxl spends 5-10 µs on each (~2.5 s) and keeps every element that is not a text."""
MAX_SHARED_TEXT = 20_000_000
"""Characters in the shared-string table, layout whitespace included: 200,000 texts of ~100
characters, or 40 MB as Python text at most."""
MAX_RICH_TEXT_RUNS = 50_000
"""Runs of differently formatted text in cells (``<r>``, and phonetic ``<rPh>``), shared or
inline, in the whole workbook. Excel writes them only for a cell with mixed fonts, rare in a
list; openpyxl spends up to ~40 µs on each (~2 s)."""

MAX_STYLE_RECORDS = 20_000
"""Cell formats, fonts, fills, borders, number formats, named and differential styles in the
styles part, together. Excel files have dozens to a few thousand; openpyxl needs ~37 µs each, so
20,000 is under a second. Style bloat beyond that is cured by pasting values into a new book."""
MAX_STYLE_ELEMENTS = 200_000
"""Elements in the styles part (openpyxl parses it whole): ~10 per style record."""

MAX_SHEET_ROWS = 200_000
"""``<row>`` elements in one worksheet: four times the 50,000 data rows the importer takes, for
formatted empty rows below the data. openpyxl keeps a dictionary per formatted row (~700 bytes)
and needs 5-10 µs for each, so 200,000 take ~2 s and 150 MB."""
MAX_ROW_CELLS = EXCEL_MAX_COLUMNS
"""Cells in one row: Excel has 16,384 columns, so no row it writes has more."""
MAX_ROW_ELEMENTS = 4 * EXCEL_MAX_COLUMNS
"""Elements inside one row (cells, values, inline text), held and parsed in one piece before
the reader sees the row: a full row of inline strings (``<c><is><t>``). Under 0.5 s."""
MAX_SHEET_CELLS = 500_000
"""Cells in one worksheet, empty formatted ones included: 50,000 rows x 10 columns. openpyxl
spends 8-15 µs on a cell here, so a sheet with more could not be read within the deadline."""
MAX_SHEET_SPAN = 20_000_000
"""Sum over the rows of the column of each row's last cell: openpyxl pads every row to that
width. Twice 50,000 rows x 200 columns; a row whose only cell is in column XFD counts 16,384."""
MAX_SHEET_OTHER = 50_000
"""Elements outside the rows, up to the end of the data (column widths, sheet views): Excel
writes at most one ``<col>`` per column and a handful of others; openpyxl keeps them all."""
MAX_SHEET_TEXT = 32_000_000
"""Characters in all worksheets read, layout whitespace included (a list of 50,000 rows x 10
columns of 20 characters has 10 million). The tables read keep the values, and openpyxl holds a
row's text until the row ends, so this bounds both (~64 MB of text)."""
MAX_TEXT_RUN = 1_000_000
"""Characters of one text in a worksheet (a cell value). Excel stops at 32,767 per cell; the
room above is for other programs."""
MAX_TAG_BYTES = 1024 * 1024
"""Bytes of one tag, comment or processing instruction, which expat buffers whole. Excel's are
at most a few kilobytes."""

CHUNK_BYTES = 64 * 1024
"""Unpacked bytes read and parsed at a time (the deadline is checked after each)."""

# -- names -------------------------------------------------------------------------------------

_MAIN = SHEET_MAIN_NS + "}"  # expat joins namespace and local name with "}" (see ParserCreate)
_INLINE = f"{{{SHEET_MAIN_NS}}}is"  # ElementTree's names, for _SheetParser
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_ROW = _MAIN + "row"
_SHEET_DATA = _MAIN + "sheetData"
_STRING = _MAIN + "si"
_RUNS = frozenset({_MAIN + "r", _MAIN + "rPh"})
_STYLE_RECORDS = frozenset(
    _MAIN + local
    for local in (
        "numFmt",
        "font",
        "fill",
        "border",
        "xf",
        "cellStyle",
        "dxf",
        "tableStyle",
        "rgbColor",
    )
)
_WORKBOOK_TYPES = (XLTM, XLTX, XLSM, XLSX)
_SAVE_AGAIN = "請在 Excel 開啟後選「另存新檔」→「Excel 活頁簿（*.xlsx）」，再匯入新檔案。"
_PASTE_VALUES = "請把資料複製後，在新的活頁簿用「貼上值」貼上，存檔後再匯入。"
_SPLIT = "請刪除不需要的資料，或把資料分成幾個檔案再匯入。"


class _DataEnd(Exception):
    """Raised from the expat handlers at ``</sheetData>``: the rest is never read."""


@dataclass(frozen=True)
class ScannedSheet:
    """A worksheet openpyxl will read, and the number of the last row it will produce (0 when
    none): the reader stops after that row, before anything that follows the data."""

    worksheet: ReadOnlyWorksheet
    last_row: int


def damaged(name: str, sheet: str | None, exc: BaseException) -> UserFileError:
    """The refusal for a file whose zip or XML cannot be parsed (``sheet``: where, if known)."""
    where = f"的工作表「{sheet}」" if sheet else ""
    if isinstance(exc, (InvalidFileException, KeyError, zipfile.BadZipFile)) and not sheet:
        what = "不是 Excel 活頁簿（.xlsx），或檔案已損壞"
    else:
        what = "內容已損壞或格式無法辨識"
    return UserFileError(f"檔案「{name}」{where}{what}，無法讀取。{_SAVE_AGAIN}")


def open_workbook(
    name: str, data: bytes, deadline: Deadline
) -> tuple[Workbook, list[ScannedSheet]]:
    """Open the workbook in ``data`` (checked by ``xlsx._check_container``) read-only, each
    part scanned before openpyxl parses it. Returns the workbook (close it) and its worksheets
    in order. Raises ``UserFileError`` for a part over a limit, a damaged file, or the deadline.
    """
    try:
        reader = _Reader(io.BytesIO(data), name, deadline)
    except Exception as exc:  # untrusted input: any failure to open the zip is the file's
        raise damaged(name, None, exc) from exc
    try:
        reader.read()
    except UserFileError:
        reader.archive.close()
        raise
    except Exception as exc:  # untrusted input: any parse failure is the file's fault
        reader.archive.close()
        raise damaged(name, None, exc) from exc
    return reader.wb, reader.sheets


class _Reader(ExcelReader):
    """openpyxl's reader, read-only, with each part it parses scanned first (``read``)."""

    def __init__(self, stream: io.BytesIO, name: str, deadline: Deadline) -> None:
        super().__init__(stream, read_only=True, data_only=False, keep_links=False)
        self.guard = _Guard(name, self.archive, deadline)
        self.sheets: list[ScannedSheet] = []

    def read(self) -> None:
        """``ExcelReader.read`` for values only, each step after the scan of what it parses."""
        guard = self.guard
        guard.whole_part(ARC_CONTENT_TYPES)
        self.read_manifest()
        strings = _part_of_type(self.package, SHARED_STRINGS)  # the one read_strings reads
        if strings is not None:
            guard.shared_strings(strings)
        self.read_strings()
        guard.check_deadline()
        workbook_part = _workbook_part(self.package)
        if workbook_part is not None:  # else openpyxl refuses the file itself
            guard.whole_part(workbook_part)
            folder, part = posixpath.split(workbook_part)  # openpyxl's get_rels_path
            guard.whole_part(posixpath.join(folder, "_rels", f"{part}.rels"))
        self.read_workbook()
        guard.styles(ARC_STYLE)
        apply_stylesheet(self.archive, self.wb)
        guard.check_deadline()
        for sheet, rel in self.parser.find_sheets():
            # As ExcelReader.read_worksheets does, without the chart sheets and the sheets'
            # relationships (hyperlinks, drawings): values need neither.
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            last_row = guard.worksheet(rel.target, sheet.name)
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            self.sheets.append(ScannedSheet(worksheet, last_row))


class _Worksheet(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet without its first pass for the stored size: without a
    ``<dimension>`` (openpyxl itself writes none) that pass parses the whole sheet once more,
    and the reader does not trust the stored size anyway (``reset_dimensions``). Its rows come
    from ``_SheetParser``; ``_cells_by_row`` is openpyxl 3.1's, with that parser."""

    def _get_size(self) -> None:
        return None

    def _cells_by_row(  # type: ignore[no-untyped-def]  # as openpyxl's (untyped) method
        self, min_col, min_row, max_col, max_row, values_only=False
    ):
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row: Sequence[object] = []
        if max_col is not None:
            empty_row = (filler,) * (max_col + 1 - min_col)
        counter = min_row
        idx = 1
        with self._get_source() as src:  # type: ignore[attr-defined]  # openpyxl's private API
            parser = _SheetParser(
                src,
                self._shared_strings,  # type: ignore[attr-defined]
                data_only=self.parent.data_only,
                epoch=self.parent.epoch,
                date_formats=self.parent._date_formats,  # type: ignore[attr-defined]
                timedelta_formats=self.parent._timedelta_formats,  # type: ignore[attr-defined]
            )
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows that are missing
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    counter += 1
                    yield self._get_row(row, min_col, max_col, values_only)  # type: ignore[attr-defined]
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class _SheetParser(WorkSheetParser):
    """openpyxl's worksheet parser, but a cell of plain inline text (``<is><t>…</t></is>``: how
    openpyxl, and so this app's exports, write every text) is read without openpyxl's rich-text
    objects, which took a third of the time of reading such a sheet. Any other cell, and any
    inline text with more in it (runs, phonetics, attributes), is openpyxl's to read."""

    def parse_cell(self, element: Element) -> dict[str, object]:
        if element.get("t") == "inlineStr" and (self.data_only or element.find(_FORMULA) is None):
            inline = element.find(_INLINE)
            if inline is not None and not inline.attrib and len(inline) == 1:
                (text,) = inline
                if text.tag == _TEXT and len(text) == 0:
                    # openpyxl's parse_cell for this case, with the text as Text.content has it
                    style_id: int | str = element.get("s", 0)
                    if style_id:
                        style_id = int(style_id)
                    coordinate = element.get("r")
                    if coordinate:
                        row, column = coordinate_to_tuple(coordinate)
                        self.col_counter = column
                    else:
                        self.col_counter += 1
                        row, column = self.row_counter, self.col_counter
                    return {
                        "row": row,
                        "column": column,
                        "value": text.text or "",
                        "data_type": "s",
                        "style_id": style_id,
                    }
        return super().parse_cell(element)


def _part_of_type(package: Manifest, content_type: str) -> str | None:
    """The first part of ``content_type``, as ``Manifest.find`` finds it (no leading "/")."""
    for override in package.Override:
        if override.ContentType == content_type:
            return str(override.PartName[1:])
    return None


def _workbook_part(package: Manifest) -> str | None:
    """The workbook part as ``openpyxl.reader.excel._find_workbook_part`` finds it."""
    for content_type in _WORKBOOK_TYPES:
        part = _part_of_type(package, content_type)
        if part is not None:
            return part
    defaults = {default.ContentType for default in package.Default}
    return ARC_WORKBOOK if defaults & set(_WORKBOOK_TYPES) else None


class _Guard:
    """The scans of one workbook; ``sheet_text`` adds up over its worksheets."""

    def __init__(self, name: str, archive: zipfile.ZipFile, deadline: Deadline) -> None:
        self.name = name
        self.archive = archive
        self.deadline = deadline
        self.members = {info.filename: info for info in archive.infolist()}
        self.sheet_text = 0
        self.runs = 0

    # -- the parts ---------------------------------------------------------------------------

    def whole_part(self, member: str) -> None:
        """A small part openpyxl reads whole: its size and element count."""
        info = self.members.get(member)
        if info is None:
            return  # openpyxl says what is missing
        label = "活頁簿的結構資料"
        self._check_whole_size(info, label)
        elements = 0

        def start(_tag: str, _attrs: dict[str, str]) -> None:
            nonlocal elements
            elements += 1
            if elements > MAX_PART_ELEMENTS:
                self._refuse(
                    f"的{label}（{member}）超過 {MAX_PART_ELEMENTS:,} 個項目，"
                    f"超過匯入上限，可能不是 Excel 存的檔案。{_SAVE_AGAIN}"
                )

        parser = self._parser()
        parser.StartElementHandler = start
        self._parse(info, parser, label)

    def styles(self, member: str) -> None:
        """The styles part (read whole): records and elements."""
        info = self.members.get(member)
        if info is None:
            return
        self._check_whole_size(info, "樣式表")
        records = elements = 0

        def start(tag: str, _attrs: dict[str, str]) -> None:
            nonlocal records, elements
            elements += 1
            if tag in _STYLE_RECORDS:
                records += 1
                if records > MAX_STYLE_RECORDS:
                    self._refuse(
                        f"的樣式表有超過 {MAX_STYLE_RECORDS:,} 個格式設定（儲存格格式、字型、"
                        f"填滿、框線等），超過匯入上限。{_PASTE_VALUES}"
                    )
            if elements > MAX_STYLE_ELEMENTS:
                self._refuse(
                    f"的樣式表超過 {MAX_STYLE_ELEMENTS:,} 個項目，超過匯入上限。{_PASTE_VALUES}"
                )

        parser = self._parser()
        parser.StartElementHandler = start
        self._parse(info, parser, "樣式表")

    def shared_strings(self, member: str) -> None:
        """The shared-string table (streamed by openpyxl): texts, elements, runs, characters."""
        info = self.members.get(member)
        if info is None:
            return
        strings = elements = text = 0
        refuse = self._refuse

        def start(tag: str, _attrs: dict[str, str]) -> None:
            nonlocal strings, elements
            elements += 1
            if tag == _STRING:
                strings += 1
                if strings > MAX_SHARED_STRINGS:
                    refuse(
                        f"的共用字串超過 {MAX_SHARED_STRINGS:,} 筆（Excel 存放儲存格文字的表格），"
                        f"超過匯入上限。{_SPLIT}"
                    )
            elif tag in _RUNS:
                self._count_run("的共用字串")
            if elements > MAX_SHARED_ELEMENTS:
                refuse(
                    f"的共用字串超過 {MAX_SHARED_ELEMENTS:,} 個項目（文字與格式），"
                    f"超過匯入上限。{_PASTE_VALUES}"
                )

        def characters(data: str) -> None:
            nonlocal text
            text += len(data)
            if text > MAX_SHARED_TEXT:
                refuse(f"的共用字串文字超過 {MAX_SHARED_TEXT:,} 字，超過匯入上限。{_SPLIT}")

        parser = self._parser()
        parser.StartElementHandler = start
        parser.CharacterDataHandler = characters
        self._parse(info, parser, "共用字串")

    def worksheet(self, member: str, title: str) -> int:
        """A worksheet up to ``</sheetData>``: rows, cells, the width openpyxl pads rows to,
        text. Returns the number of the last row openpyxl will produce (0: none)."""
        info = self.members.get(member)
        if info is None:
            return 0
        sheet = f"的工作表「{title}」"
        refuse = self._refuse
        depth = data_depth = row_depth = 0
        rows = cells = span = other = 0
        row_cells = row_elements = after = 0
        index = last_index = 0
        last_ref: str | None = None
        run = 0
        text = self.sheet_text

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth, data_depth, row_depth, rows, cells, other, run
            nonlocal row_cells, row_elements, after, index, last_index, last_ref
            depth += 1
            run = 0
            if row_depth:
                row_elements += 1
                if row_elements > MAX_ROW_ELEMENTS:
                    refuse(
                        f"{sheet}第 {index:,} 列的內容超過 {MAX_ROW_ELEMENTS:,} 個項目，"
                        f"超過匯入上限。{_PASTE_VALUES}"
                    )
                if tag in _RUNS:
                    self._count_run(sheet, index)
                elif tag == _ROW:  # openpyxl would take it for a row of its own
                    raise ExpatError(f"a row inside row {index}")
                if depth == row_depth + 1:  # openpyxl takes every child of a row for a cell
                    row_cells += 1
                    cells += 1
                    if row_cells > MAX_ROW_CELLS:
                        refuse(
                            f"{sheet}第 {index:,} 列的儲存格超過 {MAX_ROW_CELLS:,} 個"
                            f"（Excel 一列最多 {EXCEL_MAX_COLUMNS:,} 欄），可能不是 Excel 存的"
                            f"檔案。{_SAVE_AGAIN}"
                        )
                    if cells > MAX_SHEET_CELLS:
                        refuse(
                            f"{sheet}的儲存格超過 {MAX_SHEET_CELLS:,} 個（含只有格式的空白"
                            f"儲存格，讀到第 {index:,} 列），超過匯入上限。{_SPLIT}"
                        )
                    ref = attrs.get("r")
                    if ref is None:
                        after += 1
                    else:
                        last_ref, after = ref, 0
                return
            if tag == _ROW:
                rows += 1
                if rows > MAX_SHEET_ROWS:
                    refuse(
                        f"{sheet}超過 {MAX_SHEET_ROWS:,} 列（含只有格式的空白列），"
                        f"超過匯入上限。請刪除資料下方多餘的空白列，或把資料分成幾個檔案再匯入。"
                    )
                index = _row_number(attrs.get("r"), index)
                if index > EXCEL_MAX_ROWS:
                    refuse(
                        f"{sheet}有第 {index:,} 列，超過 Excel 的 {EXCEL_MAX_ROWS:,} 列，"
                        f"檔案可能已損壞。{_SAVE_AGAIN}"
                    )
                last_index = max(last_index, index)
                row_depth = depth
                row_cells = row_elements = after = 0
                last_ref = None
                return
            if tag == _SHEET_DATA and not data_depth:
                data_depth = depth
            other += 1  # openpyxl keeps these (or parses them into objects)
            if other > MAX_SHEET_OTHER:
                refuse(
                    f"{sheet}在資料以外的設定（欄寬、檢視等）超過 {MAX_SHEET_OTHER:,} 項，"
                    f"超過匯入上限。{_PASTE_VALUES}"
                )

        def end(_tag: str) -> None:
            nonlocal depth, row_depth, span, run
            run = 0
            if depth == row_depth:
                row_depth = 0
                if row_cells:
                    span += after + (_column(last_ref) if last_ref is not None else 0)
                    if span > MAX_SHEET_SPAN:
                        refuse(
                            f"{sheet}的儲存格範圍超過 {MAX_SHEET_SPAN:,} 格（各列到最右邊"
                            f"儲存格的欄數合計，讀到第 {index:,} 列），超過匯入上限。"
                            "請刪除資料右方多餘的欄位（含只有格式的空白欄）後再匯入。"
                        )
            elif depth == data_depth:
                raise _DataEnd
            depth -= 1

        def characters(data: str) -> None:
            nonlocal run, text
            size = len(data)
            run += size
            text += size
            if run > MAX_TEXT_RUN:
                refuse(
                    f"{sheet}第 {index:,} 列附近有一段文字超過 {MAX_TEXT_RUN:,} 字，"
                    f"超過匯入上限（Excel 一格最多 32,767 字）。{_SAVE_AGAIN}"
                )
            if text > MAX_SHEET_TEXT:
                refuse(
                    f"的工作表文字合計超過 {MAX_SHEET_TEXT:,} 字（讀到工作表「{title}」"
                    f"第 {index:,} 列），超過匯入上限。{_SPLIT}"
                )

        parser = self._parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        with contextlib.suppress(_DataEnd):
            self._parse(info, parser, f"工作表「{title}」", sheet=title)
        self.sheet_text = text
        return last_index

    # -- helpers -----------------------------------------------------------------------------

    def check_deadline(self) -> None:
        """Between openpyxl's steps, which the deadline cannot interrupt."""
        self.deadline.check()

    def _count_run(self, where: str, row: int = 0) -> None:
        self.runs += 1
        if self.runs > MAX_RICH_TEXT_RUNS:
            if row:
                where = f"{where}第 {row:,} 列"
            self._refuse(
                f"{where}含有格式化文字（一格之內不同字型的文字），整本活頁簿合計超過 "
                f"{MAX_RICH_TEXT_RUNS:,} 段，超過匯入上限。{_PASTE_VALUES}"
            )

    def _refuse(self, what: str) -> NoReturn:
        raise UserFileError(f"檔案「{self.name}」{what}")

    def _check_whole_size(self, info: zipfile.ZipInfo, label: str) -> None:
        if info.file_size > MAX_PART_BYTES:
            self._refuse(
                f"的{label}（{info.filename}）解壓縮後超過 {MAX_PART_BYTES // 2**20} MB，"
                f"超過匯入上限，可能不是 Excel 存的檔案。{_SAVE_AGAIN}"
            )

    @staticmethod
    def _parser() -> _Parser:
        parser = ParserCreate(namespace_separator="}")
        parser.EntityDeclHandler = _no_entities
        parser.UnparsedEntityDeclHandler = _no_unparsed_entities
        parser.ExternalEntityRefHandler = _no_external_references
        return parser

    def _parse(
        self, info: zipfile.ZipInfo, parser: _Parser, where: str, *, sheet: str | None = None
    ) -> None:
        """Feed the member to ``parser`` a chunk at a time, checking the deadline. ``where``
        names the part for the deadline's message, ``sheet`` for a damaged worksheet's."""
        deadline = self.deadline
        fed = 0
        try:
            with self.archive.open(info) as source:
                while chunk := source.read(CHUNK_BYTES):
                    if deadline.expired():
                        raise deadline.error(where)
                    parser.Parse(chunk, False)
                    fed += len(chunk)
                    if fed - parser.CurrentByteIndex > MAX_TAG_BYTES:
                        raise ExpatError(f"a tag longer than {MAX_TAG_BYTES} bytes")
                parser.Parse(b"", True)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise damaged(self.name, None, exc) from exc
        except (ExpatError, EntitiesForbidden, ExternalReferenceForbidden, ValueError) as exc:
            raise damaged(self.name, sheet, exc) from exc


def _row_number(ref: str | None, previous: int) -> int:
    """The row number openpyxl gives a ``<row>`` (``WorkSheetParser.parse_row``)."""
    if ref is None:
        return previous + 1
    try:
        return int(ref)
    except ValueError:
        number = float(ref)  # ValueError: damaged, as in openpyxl
        if not number.is_integer():
            raise ValueError(f"{ref} is not a valid row number") from None
        return int(number)


def _column(ref: str) -> int:
    """The column of a cell reference, as openpyxl reads it (0 when it cannot: openpyxl will
    refuse that cell itself)."""
    try:
        return column_index_from_string(ref.rstrip(digits))
    except ValueError:
        return 0


def _no_entities(
    name: str,
    _is_parameter_entity: bool,
    value: str | None,
    base: str | None,
    sysid: str | None,
    pubid: str | None,
    notation_name: str | None,
) -> NoReturn:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _no_unparsed_entities(
    name: str, base: str | None, sysid: str, pubid: str | None, notation_name: str
) -> NoReturn:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _no_external_references(
    context: str, base: str | None, sysid: str | None, pubid: str | None
) -> NoReturn:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)
