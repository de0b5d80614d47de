"""Excel workbooks (.xlsx) for people: exports a clerk opens in Excel, imports of lists they keep.

``write_xlsx`` streams rows, so 100,000 rows never sit in memory as cells: openpyxl's write-only
mode writes each sheet's XML around its rows (widths, frozen pane, page setup) and the styles,
and the rows go into it as markup made here, the markup openpyxl writes for the same cells,
several times faster than openpyxl's cell objects and element tree. The header row is bold and
frozen, columns get widths (given, or estimated with CJK characters counted double), dates are
real dates shown as yyyy-mm-dd, and every piece of text is written as a string cell: ``=1+1``,
``@SUM(A1)``, ``+886…`` and ``-5`` stay text and never turn into formulas. The file is written
beside the target and renamed at the end.

``read_xlsx`` reads every worksheet as text in read-only mode. Formulas are not evaluated (a
formula cell comes back as its text, ``=1+1``), dates as yyyy-mm-dd, whole numbers without
``.0``. XML is parsed through defusedxml (checked when this module is imported) and the file is
checked before openpyxl sees it: size, zip signature, encryption, old .xls, unpacked size. Then
``xlsx_guard`` scans each XML part before openpyxl parses it (shared strings, styles, rows and
cells per sheet: limits that refuse XML bombs in seconds), and the whole read runs against a
``Deadline`` (``READ_SECONDS``). Every problem a clerk can cause becomes a ``UserFileError``
naming the file, the sheet and the row.

Text is escaped the OOXML way (``_xHHHH_``) on the way out and unescaped on the way in, so
control characters pasted from other programs do not break the file and literal ``_x0041_``
stays literal in Excel.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain, islice
from pathlib import Path
from typing import IO

import openpyxl
import openpyxl.xml
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.writer.excel import ExcelWriter

from schoolhr.budget import READ_SECONDS, Deadline
from schoolhr.errors import UserFileError
from schoolhr.files import atomic_output
from schoolhr.reports.csvio import cell_text, number_text, read_limited
from schoolhr.reports.xlsx_guard import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    ScannedSheet,
    damaged,
    open_workbook,
)

if not openpyxl.xml.DEFUSEDXML:
    raise RuntimeError(
        "openpyxl is not using defusedxml: install defusedxml>=0.7 (a dependency of schoolhr) "
        "and do not set OPENPYXL_DEFUSEDXML=False; untrusted .xlsx files must not be parsed "
        "without it."
    )

MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELLS = 2_000_000
MAX_XLSX_BYTES = 50 * 1024 * 1024
"""The largest .xlsx file ``read_xlsx`` opens (compressed, as on disk)."""
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""The most the members of an .xlsx may unpack to (declared sizes; zipfile enforces them)."""
MAX_MEMBERS = 10_000

EXCEL_MAX_TEXT = 32_767
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

COMPRESS_LEVEL = 1
"""zlib's level for the workbook's members: the fastest; an export's XML still shrinks several
times over (level 6, openpyxl's, took a third of a 20,000-row report's time)."""

WRITE_BATCH = 200
"""Rows of markup joined into one write of the sheet's file."""

SAMPLE_ROWS = 100
"""Rows looked at (with the header) to estimate column widths when none are given."""
MIN_WIDTH, MAX_WIDTH = 6.0, 60.0

Value = str | int | float | date | None

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_INVALID_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN_TOKEN = re.compile(r"[0-9A-Za-z.\-]{1,200}")
_ESCAPE_LOOKALIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# Only what ``escape`` produces: Excel's own shared strings reach us with _x005F_ already undone
# by openpyxl, so a literal "_x0041_" typed in Excel must not become "A" here.
_ESCAPED = re.compile(r"_x(005[Ff]|00[01][0-9A-Fa-f]|[Ff]{3}[EeFf])_")
_BOLD = Font(bold=True)


@dataclass
class Sheet:
    """One worksheet to write: a header row, then the rows (any iterable; it is streamed)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Value]]
    widths: Sequence[float] | None = None


@dataclass
class Table:
    """One worksheet as read: text cells.

    ``headers`` is the first row with anything in it (surrounding spaces removed); ``rows`` are
    the rows below it, padded with ``""`` to one width. ``rows[i]`` is the row Excel numbers
    ``first_row_number + i``: empty rows between data are kept, empty rows at the end dropped.
    """

    sheet: str
    headers: list[str]
    rows: list[list[str]]
    first_row_number: int


# ---------------------------------------------------------------------------------------------
# writing


def write_xlsx(
    path: str | os.PathLike[str], sheets: Sequence[Sheet], *, private: bool = False
) -> None:
    """Write ``sheets`` to an .xlsx workbook at ``path``, replacing it atomically; ``private``:
    readable by its owner only (personal data; ``schoolhr.files``).

    Text longer than Excel's 32,767 characters per cell is cut there. Raises ``ValueError`` for
    no sheets or more rows or columns than Excel allows, ``UserFileError`` when the file cannot
    be saved (folder missing or read-only, file open in Excel, disk full).
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    workbook = Workbook(write_only=True)
    titles = unique_titles([sheet.title for sheet in sheets])
    try:
        for sheet, title in zip(sheets, titles, strict=True):
            worksheet = workbook.create_sheet(title)
            assert isinstance(worksheet, WriteOnlyWorksheet)
            _write_sheet(workbook, worksheet, sheet)
        with atomic_output(Path(path), private=private) as handle:
            _save(workbook, handle)
    except BaseException:
        _discard_sheet_files(workbook)
        raise


def _save(workbook: Workbook, handle: IO[bytes]) -> None:
    """What ``Workbook.save`` does (openpyxl's ``save_workbook``), with the zip members
    compressed at ``COMPRESS_LEVEL`` instead of zlib's default 6: the same workbook, several
    times less time spent compressing, a somewhat larger file."""
    with zipfile.ZipFile(
        handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESS_LEVEL
    ) as archive:
        workbook.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
        ExcelWriter(workbook, archive).save()


def _discard_sheet_files(workbook: Workbook) -> None:
    """After a failed export, remove the temporary files openpyxl streams each sheet into
    (it would otherwise only remove them when the app exits)."""
    for worksheet in workbook.worksheets:
        with contextlib.suppress(Exception):  # private openpyxl API: best effort only
            rows = getattr(worksheet, "_rows", None)
            if rows is not None:
                rows.close()  # ends the streamed <sheetData> while the file is still open
            writer = getattr(worksheet, "_writer", None)
            if writer is not None and isinstance(writer.out, str) and os.path.exists(writer.out):
                writer.close()
                writer.cleanup()


def _write_sheet(workbook: Workbook, worksheet: WriteOnlyWorksheet, sheet: Sheet) -> None:
    """openpyxl writes the sheet's XML around an empty ``<sheetData>`` (column widths, the
    frozen pane, page margins: everything but the rows); the rows are then streamed into it
    as markup made here (``_RowMarkup``), which is several times faster than openpyxl's cell
    objects and element tree, and writes exactly what openpyxl would for the same cells."""
    headers = list(sheet.headers)
    rows = iter(sheet.rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    widths = list(sheet.widths) if sheet.widths is not None else estimate_widths(headers, sample)
    if max(len(headers), len(widths), *(len(row) for row in sample)) > EXCEL_MAX_COLUMNS:
        raise ValueError(f"sheet {sheet.title!r} has more than {EXCEL_MAX_COLUMNS} columns")
    # Column widths and the frozen pane go into the sheet's XML before the first row.
    dimensions = worksheet.column_dimensions  # type: ignore[attr-defined]  # set by _setup()
    for column, width in enumerate(widths, start=1):
        dimensions[get_column_letter(column)].width = width
    worksheet.freeze_panes = "A2"
    markup = _RowMarkup(worksheet, workbook.epoch)
    worksheet.close()  # the sheet's XML, with no rows yet
    out = worksheet._writer.out  # type: ignore[attr-defined]  # the file openpyxl zips
    head, tail = _split_at_sheet_data(Path(out).read_text(encoding="utf-8"))
    with open(out, "w", encoding="utf-8", newline="") as stream:
        stream.write(head)
        stream.write("<sheetData>")
        stream.write(markup.header(headers))
        batch: list[str] = []  # rows written WRITE_BATCH at a time: fewer, larger writes
        for number, row in enumerate(chain(sample, rows), start=2):
            if number > EXCEL_MAX_ROWS:
                raise ValueError(f"sheet {sheet.title!r} has more rows than Excel can open")
            if len(row) > EXCEL_MAX_COLUMNS:
                raise ValueError(f"sheet {sheet.title!r} has more than {EXCEL_MAX_COLUMNS} columns")
            batch.append(markup.row(number, row))
            if len(batch) == WRITE_BATCH:
                stream.write("".join(batch))
                batch.clear()
        stream.write("".join(batch))
        stream.write("</sheetData>")
        stream.write(tail)


_EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")


def _split_at_sheet_data(xml: str) -> tuple[str, str]:
    """The sheet's XML before and after its (empty) ``<sheetData>``."""
    found = list(_EMPTY_SHEET_DATA.finditer(xml))
    if len(found) != 1:
        raise RuntimeError("openpyxl wrote a worksheet without one empty <sheetData>")
    return xml[: found[0].start()], xml[found[0].end() :]


class _RowMarkup:
    """Rows as SpreadsheetML, as openpyxl's write-only mode writes them: text as inline strings
    (``t="inlineStr"``: never a formula, whatever it looks like), numbers with 16 significant
    digits, dates as serial numbers with a date format, the header bold. Styles are added to
    the workbook the first time a cell needs one. A cell's markup after its reference is kept
    for texts and dates that repeat (schools, names, days): up to ``CACHED`` of them, texts of
    at most ``CACHED_TEXT`` characters, so memory stays bounded whatever the rows hold."""

    CACHED = 20_000
    CACHED_TEXT = 200

    def __init__(self, worksheet: WriteOnlyWorksheet, epoch: datetime) -> None:
        self.worksheet = worksheet
        self.epoch = epoch
        self.letters: list[str] = []
        self.openings: list[str] = []  # '<c r="A', '<c r="B', … (the letters' cells)
        self.styles: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.dates: dict[date, str] = {}

    def style(self, key: str) -> int:
        """The workbook's style id for ``key``: "bold", or a number format."""
        found = self.styles.get(key)
        if found is None:
            cell = WriteOnlyCell(self.worksheet)
            if key == "bold":
                cell.font = _BOLD
            else:
                cell.number_format = key
            found = self.styles[key] = cell.style_id
        return found

    def columns(self, count: int) -> list[str]:
        letters = self.letters
        while len(letters) < count:
            letters.append(get_column_letter(len(letters) + 1))
        return letters

    def header(self, headers: Sequence[str]) -> str:
        bold = f' s="{self.style("bold")}"' if headers else ""
        letters = self.columns(len(headers))
        cells = "".join(
            f'<c r="{letter}1"{_text(header, bold)}'
            for letter, header in zip(letters, headers, strict=False)  # letters may be more
        )
        return f'<row r="1">{cells}</row>'

    def row(self, number: int, values: Sequence[Value]) -> str:
        # The hot loop of an export: a cell's markup is its column's ``<c r="B`` opening, the
        # row number and the rest, kept for the texts and days that repeat; a text or a day
        # seen before costs one dictionary look-up.
        row = str(number)
        cells: list[str] = []
        append = cells.append
        texts = self.texts
        dates = self.dates
        openings = self.openings
        if len(openings) < len(values):
            letters = self.columns(len(values))[len(openings) :]
            openings.extend(f'<c r="{letter}' for letter in letters)
        for opening, value in zip(openings, values, strict=False):
            kind = type(value)
            if kind is str:
                rest = texts.get(value) or self.text(value)  # type: ignore[arg-type]
            elif kind is int:
                rest = f' t="n"><v>{value:.16g}</v></c>'
            elif kind is date:
                rest = dates.get(value) or self.other(value)  # type: ignore[arg-type]
            elif value is None:
                continue
            else:
                rest = self.other(value)
            append(f'{opening}{row}"{rest}')
        return f'<row r="{row}">{"".join(cells)}</row>'

    def text(self, text: str) -> str:
        """A text cell's markup after its reference, kept for texts that may repeat."""
        rest = _text(text)
        if len(self.texts) < self.CACHED and len(text) <= self.CACHED_TEXT:
            self.texts[text] = rest
        return rest

    def other(self, value: Value) -> str:
        """A cell's markup after its reference, for a value that is not an int or a str."""
        if isinstance(value, bool):
            return f' t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f' t="n"><v>{value:.16g}</v></c>'
        if isinstance(value, float):
            if math.isfinite(value):
                return f' t="n"><v>{value:.16g}</v></c>'
            return _text(str(value))
        if isinstance(value, str):
            return _text(value)
        if isinstance(value, datetime):
            value = _naive(value)
            style = self.style(DATETIME_FORMAT if value.time() != time(0) else DATE_FORMAT)
            return f' s="{style}" t="n"><v>{_serial(value, self.epoch):.16g}</v></c>'
        if isinstance(value, date):
            rest = self.dates.get(value)
            if rest is None:
                serial = _serial(value, self.epoch)
                rest = f' s="{self.style(DATE_FORMAT)}" t="n"><v>{serial:.16g}</v></c>'
                if len(self.dates) < self.CACHED:
                    self.dates[value] = rest
            return rest
        raise TypeError(f"cannot write {type(value).__name__} to a spreadsheet cell")


def _serial(value: date, epoch: datetime) -> float:
    """A date or (naive) datetime as Excel's serial number, as openpyxl writes it."""
    return float(to_excel(value, epoch))  # type: ignore[no-untyped-call]  # openpyxl is untyped


def _text(text: str, style: str = "") -> str:
    """The markup after a cell's reference (``<c r="A1"``) for a cell that holds ``text`` as a
    string, whatever it looks like: never a formula, an error value or a number. ``style``: the
    cell's ``s`` attribute, if any."""
    if _PLAIN_TOKEN.fullmatch(text):  # a UUID, a code: nothing to escape, no edge spaces
        return f'{style} t="inlineStr"><is><t>{text}</t></is></c>'
    text = escape(text[:EXCEL_MAX_TEXT])[:EXCEL_MAX_TEXT]
    if not text:
        return f'{style} t="inlineStr" />'
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and len(stripped) != len(text) else ""
    return f'{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _naive(value: datetime) -> datetime:
    """Excel has no time zones: an aware datetime is written as local wall-clock time."""
    if value.tzinfo is None:
        return value
    return value.astimezone().replace(tzinfo=None)


def escape(text: str) -> str:
    """OOXML string escaping: characters XML cannot carry become ``_xHHHH_``; a literal
    ``_xHHHH_`` gets its underscore escaped so Excel shows it as typed."""
    text = _ESCAPE_LOOKALIKE.sub("_x005F_", text)
    return _ILLEGAL_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def unescape(text: str) -> str:
    """The inverse of ``escape``: ``_x005F_`` and escaped control characters (as Excel writes
    them too) become the characters again; other ``_xHHHH_`` stay as they are."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


def estimate_widths(headers: Sequence[str], rows: Sequence[Sequence[Value]]) -> list[float]:
    """Column widths (Excel character units) from the header and some rows; CJK counts double."""
    count = max([len(headers), *(len(row) for row in rows)], default=0)
    widths = [0.0] * count
    for column, header in enumerate(headers):
        widths[column] = display_width(header) * 1.1  # bold is wider
    for row in rows:
        for column, value in enumerate(row):
            widths[column] = max(widths[column], _value_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def _value_width(value: Value) -> float:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16 if value.time() != time(0) else 10
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(number_text(value))
    return display_width(str(value))


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width font: wide (CJK, full-width) characters count 2;
    for text on several lines, the longest line."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
            for line in text.splitlines()
        ),
        default=0,
    )


def unique_titles(titles: Sequence[str]) -> list[str]:
    """Sheet names Excel accepts: no ``[]:*?/\\``, no leading or trailing ``'``, at most 31
    characters, not empty, not ``History``, unique ignoring case."""
    result: list[str] = []
    taken: set[str] = set()
    for index, title in enumerate(titles, start=1):
        clean = _INVALID_TITLE.sub("_", title).strip().strip("'")[:31].strip() or f"工作表{index}"
        if clean.casefold() == "history":
            clean = f"{clean}_"
        candidate, copy = clean, 1
        while candidate.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            candidate = clean[: 31 - len(suffix)] + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


# ---------------------------------------------------------------------------------------------
# reading


def read_xlsx(
    path: str | os.PathLike[str],
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    max_cells: int = MAX_CELLS,
    deadline: Deadline | None = None,
) -> list[Table]:
    """Read every worksheet of an .xlsx (or .xlsm) workbook as text.

    Limits: ``max_rows`` data rows per sheet, values in the first ``max_columns`` columns only,
    ``max_cells`` cells with a value in the whole workbook, the limits of ``xlsx_guard`` on
    every XML part, and ``deadline`` (``READ_SECONDS`` from the call when not given). Raises
    ``UserFileError`` (zh-TW) for a missing, unreadable, too large, encrypted, damaged or
    non-xlsx file, for one over the limits, and when the time is up.
    """
    source = Path(path)
    name = source.name
    if deadline is None:
        deadline = Deadline(name, READ_SECONDS)
    data = read_limited(source, MAX_XLSX_BYTES, kind="Excel")
    _check_container(name, data)
    # From the bytes, not the path: openpyxl would refuse a right file with the wrong suffix.
    workbook, sheets = open_workbook(name, data, deadline)
    try:
        budget = _Budget(max_cells)
        return [
            _read_sheet(name, sheet, budget, deadline, max_rows=max_rows, max_columns=max_columns)
            for sheet in sheets
        ]
    finally:
        workbook.close()


def _check_container(name: str, data: bytes) -> None:
    """Refuse what is not an OOXML workbook before openpyxl parses anything."""
    if data.startswith(_OLE_SIGNATURE):
        if _ENCRYPTED_PACKAGE in data:
            raise UserFileError(
                f"檔案「{name}」設有密碼保護，無法讀取。請在 Excel 開啟後，到「檔案」→「資訊」→"
                "「保護活頁簿」→「以密碼加密」清除密碼，存檔後再匯入。"
            )
        raise UserFileError(
            f"檔案「{name}」是舊版 Excel 檔（.xls），無法直接讀取。"
            "請在 Excel 開啟後選「另存新檔」→「Excel 活頁簿（*.xlsx）」，再匯入新檔案。"
        )
    if not data.startswith(_ZIP_SIGNATURE):
        raise UserFileError(
            f"檔案「{name}」不是 Excel 活頁簿（.xlsx），可能是其他格式的檔案改了副檔名。"
            "請在 Excel 開啟後選「另存新檔」→「Excel 活頁簿（*.xlsx）」，再匯入新檔案。"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as stream:  # never the whole member
                    mimetype = stream.read(100)
    except NotImplementedError as exc:  # zipfile: "zip file version 9.9" and the like
        raise UserFileError(
            f"檔案「{name}」使用了無法讀取的壓縮格式，可能不是 Excel 存的檔案。"
            "請在 Excel 開啟後選「另存新檔」→「Excel 活頁簿（*.xlsx）」，再匯入新檔案。"
        ) from exc
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,  # zipfile: an encrypted member
    ) as exc:
        raise damaged(name, None, exc) from exc
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise UserFileError(
            f"檔案「{name}」解壓縮後太大，超過匯入上限。請只保留需要的工作表，另存新檔再匯入。"
        )
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise UserFileError(
            f"檔案「{name}」是 ODF 試算表（.ods），不是 Excel 活頁簿。"
            "請在 LibreOffice 或 Excel 另存為「Excel 活頁簿（*.xlsx）」再匯入。"
        )
    if "xl/workbook.bin" in names:
        raise UserFileError(
            f"檔案「{name}」是 Excel 二進位活頁簿（.xlsb），無法直接讀取。"
            "請在 Excel 另存為「Excel 活頁簿（*.xlsx）」再匯入。"
        )


@dataclass
class _Budget:
    """Cells with a value that may still be read, across all sheets of a workbook."""

    limit: int
    used: int = 0


def _read_sheet(
    name: str,
    sheet: ScannedSheet,
    budget: _Budget,
    deadline: Deadline,
    *,
    max_rows: int,
    max_columns: int,
) -> Table:
    worksheet = sheet.worksheet
    title = worksheet.title
    worksheet.reset_dimensions()  # the stored size may be wrong; pad each row to its own length
    header_number: int | None = None
    kept: list[list[str]] = []
    empty_since_filled = 0  # empty rows are only kept when a row with data follows them
    width = 0
    try:
        # The stubs type iter_rows for Worksheet only; ReadOnlyWorksheet borrows the method.
        source_rows = worksheet.iter_rows(values_only=True)  # type: ignore[misc]
        # openpyxl yields rows 1, 2, … (empty ones too); the guard's scan ended with the last
        # row openpyxl produces, so the loop stops there, before anything after the data.
        for number, values in zip(range(1, sheet.last_row + 1), source_rows, strict=False):
            if deadline.expired():
                raise deadline.error(f"工作表「{title}」第 {number:,} 列")
            used = _used_width(values)
            if not used:
                if header_number is not None:
                    empty_since_filled += 1
                continue
            if used > max_columns:
                raise UserFileError(
                    f"檔案「{name}」的工作表「{title}」第 {number:,} 列超過 {max_columns:,} 欄。"
                    "請刪除多餘的欄位後再匯入。"
                )
            if header_number is None:
                header_number = number
            elif number - header_number > max_rows:
                raise UserFileError(
                    f"檔案「{name}」的工作表「{title}」超過 {max_rows:,} 列資料"
                    f"（第 {number:,} 列仍有資料）。請把資料分成幾個檔案再匯入。"
                )
            row = [_cell_text(value) for value in values[:used]]
            budget.used += sum(1 for text in row if text)
            if budget.used > budget.limit:
                raise UserFileError(
                    f"檔案「{name}」有資料的儲存格超過 {budget.limit:,} 個"
                    f"（讀到工作表「{title}」第 {number:,} 列）。請把資料分成幾個檔案再匯入。"
                )
            kept.extend([] for _ in range(empty_since_filled))
            empty_since_filled = 0
            kept.append(row)
            width = max(width, used)
    except UserFileError:
        raise
    except Exception as exc:  # untrusted input: a parse failure inside the sheet
        raise damaged(name, title, exc) from exc
    if header_number is None:
        return Table(sheet=title, headers=[], rows=[], first_row_number=2)
    headers = [text.strip() for text in kept[0]] + [""] * (width - len(kept[0]))
    rows = [row + [""] * (width - len(row)) for row in kept[1:]]
    return Table(sheet=title, headers=headers, rows=rows, first_row_number=header_number + 1)


def _used_width(values: Sequence[object]) -> int:
    for position in range(len(values), 0, -1):
        value = values[position - 1]
        if value is not None and value != "":
            return position
    return 0


def _cell_text(value: object) -> str:
    """A cell value as openpyxl reads it, as text (``cell_text`` does numbers and dates)."""
    if isinstance(value, str):
        return unescape(value)
    if value is None or isinstance(value, int | float | date):
        return cell_text(value)
    if isinstance(value, time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, ArrayFormula):
        return str(value.text or "")
    return str(value)
