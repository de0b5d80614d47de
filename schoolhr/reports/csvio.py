"""CSV in and out, the way Excel on a Taiwanese Windows PC writes and reads it.

Reading accepts UTF-8 (with or without the byte-order mark Excel writes for "CSV UTF-8") and
cp950, the Big5 code page Excel uses for plain "CSV" on zh-TW Windows. Nothing is ever decoded
with replacement characters: a file that is neither is refused, naming the row and the first byte
that cannot be read.

Writing produces UTF-8 with a byte-order mark (so Excel shows the Chinese text correctly when the
file is double-clicked) and CRLF line ends. Every text cell that a spreadsheet would take for a
formula is prefixed with an apostrophe, as the OWASP CSV injection guidance recommends;
``read_csv`` removes that prefix again, so ``+886912345678`` or ``-3`` survive a round trip.

``atomic_output`` is the temporary-file-then-rename writer shared with ``reports.xlsx``: a crash
or a full disk never leaves half a file where the clerk expects one.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import io
import math
import os
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

from schoolhr.errors import UserFileError
from schoolhr.text import human_size

MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula."""

# One or more apostrophes followed by a trigger: neutralize adds one apostrophe, restore removes
# one, so text that really starts with "'=" also survives the round trip.
_NEUTRALIZED = re.compile(r"'+[=+\-@\t\r]")

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SAVE_AS_UTF8 = "Excel 選「另存新檔」→「CSV UTF-8（逗號分隔）」後再匯入。"

Cell = str | int | float | date | None


@dataclass
class CsvTable:
    """A CSV file as text.

    ``headers`` is the first record that is not empty (surrounding spaces removed); ``rows`` are
    the records after it, each padded with ``""`` to the same width as the widest record or the
    header. Empty records between data are kept (as rows of ``""``) so that ``rows[i]`` is the
    row Excel shows as number ``first_row_number + i``; empty records at the end are dropped.
    ``encoding`` is ``"utf-8-sig"``, ``"utf-8"`` or ``"cp950"``.
    """

    headers: list[str]
    rows: list[list[str]]
    encoding: str
    first_row_number: int = 2


def neutralize(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (``=1+1`` -> ``'=1+1``)."""
    if text.startswith(FORMULA_TRIGGERS) or _NEUTRALIZED.match(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo ``neutralize``: remove the one ``'`` it put before a formula character."""
    if _NEUTRALIZED.match(text):
        return text[1:]
    return text


def cell_text(value: Cell) -> str:
    """A value as the text written to a CSV cell (dates as yyyy-mm-dd, 3.0 as ``3``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        spec = "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec=spec)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to a spreadsheet cell")


def number_text(value: float) -> str:
    """A float the way a clerk expects it: ``3.0`` -> ``3``, ``0.1 + 0.2`` -> ``0.3``."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return format(value, ".15g")


# ---------------------------------------------------------------------------------------------
# reading


def read_csv(
    path: str | os.PathLike[str],
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    max_bytes: int = MAX_CSV_BYTES,
) -> CsvTable:
    """Read a CSV file written by Excel (UTF-8, UTF-8 with BOM or cp950) into text cells.

    Formula-protection apostrophes added by ``write_csv`` are removed (``restore``). Raises
    ``UserFileError`` (zh-TW) when the file is missing, unreadable, larger than ``max_bytes``, in
    another encoding, malformed, or has more than ``max_rows`` data rows or a row with a value
    beyond column ``max_columns``.
    """
    source = Path(path)
    data = read_limited(source, max_bytes, kind="CSV")
    text, encoding = _decode(source, data)
    records = _parse(source, text)
    return _table(source, records, encoding, max_rows=max_rows, max_columns=max_columns)


def read_limited(source: Path, max_bytes: int, *, kind: str) -> bytes:
    """The bytes of a file the user chose, refusing folders, missing files and large files."""
    name = source.name
    try:
        with source.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise UserFileError(
                    f"檔案「{name}」有 {human_size(size)}，超過 {kind} 匯入上限 "
                    f"{human_size(max_bytes)}。請把資料分成幾個較小的檔案再匯入。"
                )
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise UserFileError(f"找不到檔案「{name}」，請確認檔案位置後再試一次。") from exc
    except IsADirectoryError as exc:
        raise UserFileError(f"「{name}」是資料夾，不是檔案，請選擇要匯入的檔案。") from exc
    except PermissionError as exc:
        raise UserFileError(
            f"無法讀取檔案「{name}」：沒有權限，或檔案正在其他程式（例如 Excel）中開啟。"
            "請關閉該程式後再試一次。"
        ) from exc
    except OSError as exc:
        raise UserFileError(f"無法讀取檔案「{name}」：{exc.strerror or exc}。") from exc
    if len(data) > max_bytes:  # the file grew while we read it
        raise UserFileError(
            f"檔案「{name}」超過 {kind} 匯入上限 {human_size(max_bytes)}。"
            "請把資料分成幾個較小的檔案再匯入。"
        )
    return data


def _decode(source: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(_UTF16_BOMS):
        raise UserFileError(
            f"檔案「{source.name}」是 Unicode 文字檔（UTF-16），不是 CSV。請在 {_SAVE_AS_UTF8}"
        )
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(source, data, exc.start + len(_UTF8_BOM)) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp950"), "cp950"
        except UnicodeDecodeError as cp950_error:
            # Report where the encoding that read further stopped: the file is most likely in it.
            user_defined = is_big5_user_defined(data[cp950_error.start : cp950_error.start + 2])
            if cp950_error.start >= utf8_error.start and user_defined:
                advice = f"這裡可能是自行造字的字元：請把它換成一般字，或在 {_SAVE_AS_UTF8}"
                raise _undecodable(source, data, cp950_error.start, advice) from cp950_error
            offset = max(utf8_error.start, cp950_error.start)
            raise _undecodable(source, data, offset) from utf8_error


def _undecodable(
    source: Path, data: bytes, offset: int, advice: str = f"請在 {_SAVE_AS_UTF8}"
) -> UserFileError:
    line = data.count(b"\n", 0, offset) + 1
    return UserFileError(
        f"檔案「{source.name}」第 {line:,} 列有無法辨識的文字（第 {offset + 1:,} 個位元組，"
        f"值為 0x{data[offset]:02X}）：檔案既不是 UTF-8 也不是 Big5（cp950）編碼。{advice}"
    )


def is_big5_user_defined(pair: bytes) -> bool:
    """Big5 code points in the ranges Windows reserves for 造字 (end-user-defined characters)."""
    if len(pair) < 2:
        return False
    lead, trail = pair[0], pair[1]
    return (
        0xFA <= lead <= 0xFE
        or 0x81 <= lead <= 0xA0
        or lead in (0xC7, 0xC8)
        or (lead == 0xC6 and trail >= 0xA1)
    )


def _parse(source: Path, text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as exc:
        raise UserFileError(
            f"檔案「{source.name}」第 {reader.line_num:,} 列的格式不正確（{exc}），"
            "無法當作 CSV 讀取。"
            "請在 Excel 開啟後另存為「CSV UTF-8（逗號分隔）」再匯入。"
        ) from exc


def _table(
    source: Path, records: list[list[str]], encoding: str, *, max_rows: int, max_columns: int
) -> CsvTable:
    name = source.name
    header_index = next((i for i, record in enumerate(records) if any(record)), None)
    if header_index is None:
        return CsvTable(headers=[], rows=[], encoding=encoding, first_row_number=2)
    rows: list[list[str]] = []
    width = 0
    last_filled = -1
    for index in range(header_index, len(records)):
        record = records[index]
        used = _used_width(record)
        if used > max_columns:
            raise UserFileError(
                f"檔案「{name}」第 {index + 1:,} 列超過 {max_columns:,} 欄。"
                "請刪除多餘的欄位後再匯入。"
            )
        if used and index - header_index > max_rows:
            raise UserFileError(
                f"檔案「{name}」的資料超過 {max_rows:,} 列（第 {index + 1:,} 列仍有資料）。"
                "請把資料分成幾個檔案再匯入。"
            )
        if used:
            last_filled = index
        width = max(width, used)
        rows.append([restore(cell) for cell in record[:used]])
    del rows[last_filled - header_index + 1 :]
    headers = [cell.strip() for cell in rows[0]] + [""] * (width - len(rows[0]))
    body = [row + [""] * (width - len(row)) for row in rows[1:]]
    return CsvTable(headers, body, encoding, first_row_number=header_index + 2)


def _used_width(record: Sequence[str]) -> int:
    """How many fields up to the last one that is not empty."""
    for position in range(len(record), 0, -1):
        if record[position - 1]:
            return position
    return 0


# ---------------------------------------------------------------------------------------------
# writing


def write_csv(
    path: str | os.PathLike[str], headers: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> None:
    """Write a CSV file for Excel: UTF-8 with BOM, CRLF, formula-looking text neutralised.

    The file appears complete or not at all (a temporary file beside it is renamed at the end).
    Raises ``UserFileError`` when the folder cannot be written or the file is open in another
    program.
    """
    with atomic_output(Path(path)) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)  # excel dialect: comma, minimal quoting, "\r\n"
        writer.writerow([neutralize(header) for header in headers])
        for row in rows:
            writer.writerow(
                [neutralize(value) if isinstance(value, str) else cell_text(value) for value in row]
            )
        text.flush()
        text.detach()


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """A binary file that replaces ``target`` only once everything was written and synced.

    The temporary file lives beside the target (same folder, so the rename is atomic) and is
    removed if anything goes wrong. ``OSError`` becomes ``UserFileError`` in zh-TW.
    """
    name = target.name
    partial = target.with_name(f".{name}.{secrets.token_hex(4)}.partial")
    try:
        handle = partial.open("xb")
    except OSError as exc:
        raise _write_error(target, exc) from exc
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from exc
        raise
    _fsync_dir(target.parent)


def _write_error(target: Path, exc: OSError) -> UserFileError:
    name = target.name
    if isinstance(exc, FileNotFoundError):
        return UserFileError(
            f"無法儲存「{name}」：資料夾「{target.parent}」不存在。請選擇其他位置。"
        )
    if isinstance(exc, PermissionError):
        return UserFileError(
            f"無法儲存「{name}」：檔案可能正在 Excel 或其他程式中開啟，或這個資料夾不允許寫入。"
            "請關閉該檔案或選擇其他位置後再試一次。"
        )
    if exc.errno == errno.ENOSPC:
        return UserFileError(f"無法儲存「{name}」：磁碟空間不足。請清出空間或選擇其他位置。")
    return UserFileError(f"無法儲存「{name}」：{exc.strerror or exc}。請選擇其他位置後再試一次。")


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS journals the rename
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
