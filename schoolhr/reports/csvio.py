"""CSV in and out, the way Excel on a Taiwanese Windows PC writes and reads it.

Reading accepts UTF-8 (with or without the byte-order mark Excel writes for "CSV UTF-8") and
cp950, the Big5 code page Excel uses for plain "CSV" on zh-TW Windows. Nothing is ever decoded
with replacement characters: a file that is neither is refused, naming the row and the first byte
that cannot be read. Bytes that happen to decode as Big5 are not trusted blindly either
(``legacy_chinese``): Simplified Chinese GBK text, Excel's plain "CSV" on a zh-CN PC, often
decodes as Big5 into rare characters, and such a file is refused naming the rows it affects
instead of being imported as mojibake. The delimiter is sniffed from the header (comma, tab as
in Excel's 「文字檔（Tab 字元分隔）」, or semicolon as Excel writes where the decimal mark is a
comma), outside quoted cells.

Writing produces UTF-8 with a byte-order mark (so Excel shows the Chinese text correctly when the
file is double-clicked) and CRLF line ends. Every text cell that a spreadsheet would take for a
formula is prefixed with an apostrophe, as the OWASP CSV injection guidance recommends;
``read_csv`` removes that prefix again, so ``+886912345678`` or ``-3`` survive a round trip.

Files are written through ``schoolhr.files.atomic_output`` (a temporary file, then a rename): a
crash or a full disk never leaves half a file where the clerk expects one.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Literal

from schoolhr.budget import Deadline
from schoolhr.errors import UserFileError
from schoolhr.files import atomic_output
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
DELIMITERS = (",", "\t", ";")
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 10

Cell = str | int | float | date | None


@dataclass
class CsvTable:
    """A CSV file as text.

    ``headers`` is the first record that is not empty (surrounding spaces removed); ``rows`` are
    the records after it, each padded with ``""`` to the same width as the widest record or the
    header. Empty records between data are kept (as rows of ``""``) so that ``rows[i]`` is the
    row Excel shows as number ``first_row_number + i``; empty records at the end are dropped.
    ``encoding`` is ``"utf-8-sig"``, ``"utf-8"`` or ``"cp950"``; ``delimiter`` the one sniffed
    (comma, tab or semicolon).
    """

    headers: list[str]
    rows: list[list[str]]
    encoding: str
    first_row_number: int = 2
    delimiter: str = ","


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
    """Read a CSV file written by Excel (UTF-8, UTF-8 with BOM or cp950; comma, tab or
    semicolon separated) into text cells.

    Formula-protection apostrophes added by ``write_csv`` are removed (``restore``). Raises
    ``UserFileError`` (zh-TW) when the file is missing, unreadable, larger than ``max_bytes``, in
    another encoding (also one that decodes as Big5 into unlikely text, see
    ``legacy_chinese``), malformed, or has more than ``max_rows`` data rows or a row with a
    value beyond column ``max_columns``.
    """
    source = Path(path)
    data = read_limited(source, max_bytes, kind="CSV")
    text, encoding = _decode(source, data)
    delimiter = sniff_delimiter(text)
    records = _parse(source, text, delimiter)
    table = _table(source, records, encoding, max_rows=max_rows, max_columns=max_columns)
    table.delimiter = delimiter
    return table


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
        verdict = legacy_chinese(data)
        if verdict == "cp950":
            return data.decode("cp950"), "cp950"
        if verdict is not None:
            raise _wrong_encoding(source, data, verdict) from utf8_error
        # Neither: report where the encoding that read further stopped (most likely the file's).
        cp950_stop = _first_undecodable(data, "cp950")
        user_defined = is_big5_user_defined(data[cp950_stop : cp950_stop + 2])
        if cp950_stop >= utf8_error.start and user_defined:
            advice = f"這裡可能是自行造字的字元：請把它換成一般字，或在 {_SAVE_AS_UTF8}"
            raise _undecodable(source, data, cp950_stop, advice) from utf8_error
        raise _undecodable(source, data, max(utf8_error.start, cp950_stop)) from utf8_error


def _first_undecodable(data: bytes, encoding: str) -> int:
    """The offset of the first byte ``encoding`` cannot decode (``len(data)`` if none)."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return len(data)


def _undecodable(
    source: Path, data: bytes, offset: int, advice: str = f"請在 {_SAVE_AS_UTF8}"
) -> UserFileError:
    line = data.count(b"\n", 0, offset) + 1
    return UserFileError(
        f"檔案「{source.name}」第 {line:,} 列有無法辨識的文字（第 {offset + 1:,} 個位元組，"
        f"值為 0x{data[offset]:02X}）：檔案既不是 UTF-8 也不是 Big5（cp950）編碼。{advice}"
    )


def _wrong_encoding(source: Path, data: bytes, verdict: str) -> UserFileError:
    """The refusal of a file whose text decodes, but only into mojibake (``legacy_chinese``)."""
    text = data.decode("latin-1")  # every byte one character: the structure, never the text
    records = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    affected: list[int] = []
    with contextlib.suppress(csv.Error):  # a broken quote: the rows before it are enough
        affected = [
            number
            for number, record in enumerate(records, start=1)
            if any(not cell.isascii() for cell in record)
        ]
    where = f"{rows_text(affected, '列')}的中文" if affected else "檔案裡的中文"
    return UserFileError(
        f"檔案「{source.name}」{encoding_verdict_text(verdict, where)}請在 {_SAVE_AS_UTF8}"
    )


def encoding_verdict_text(verdict: str, where: str) -> str:
    """The middle of a refusal for a ``legacy_chinese`` verdict other than cp950; ``where`` is
    what would be garbled (「第 2、3 列的中文」)."""
    if verdict == "gbk":
        return (
            f"看起來是簡體中文（GBK）編碼，不是 UTF-8 或繁體中文 Big5（cp950）：{where}讀出來會是"
            "亂碼，所以整個檔案沒有匯入。"
        )
    return (
        f"的文字編碼無法確定：當作 Big5（cp950）讀出來大多是罕用字，可能是其他編碼，{where}會是"
        "亂碼，所以整個檔案沒有匯入。"
    )


def rows_text(numbers: Sequence[int], unit: str, shown: int = 5) -> str:
    """「第 2、3、4 列」, or 「第 2、3、4、5、6 列等 40 列」 when there are more than ``shown``."""
    listed = "、".join(f"{number:,}" for number in numbers[:shown])
    more = f"等 {len(numbers):,} {unit}" if len(numbers) > shown else ""
    return f"第 {listed} {unit}{more}"


# Ideographs, and kana (which text in Big5 or GBK read the wrong way often turns into).
_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SAMPLE_IDEOGRAPHS = 20_000
# Shares of common characters (measured on names, schools and the FAQ prose): zh-TW text in
# Big5 is 90-100 % 常用字 (girls' names use 次常用字 such as 璇 蓁 瑄 most), Simplified text in
# GBK 95-100 % GB2312 characters; GBK read as Big5 is about 50 % 常用字.
BIG5_LIKELY = 0.8
BIG5_UNLIKELY = 0.6
GBK_LIKELY = 0.9  # when it also decodes as Big5 (Big5 read as GBK is 50-80 % GB2312)
GBK_ONLY_LIKELY = 0.8  # when it does not


def _characters(encoding: str, first: int, last: int, trails: range) -> frozenset[str]:
    found = set()
    for lead in range(first >> 8, (last >> 8) + 1):
        for trail in trails:
            if first <= (lead << 8 | trail) <= last:
                with contextlib.suppress(UnicodeDecodeError):
                    found.add(bytes((lead, trail)).decode(encoding))
    return frozenset(found)


@cache
def _big5_common() -> frozenset[str]:
    """Big5's 5,401 「常用字」 (A440-C67E): the characters zh-TW text is nearly all made of."""
    return _characters("cp950", 0xA440, 0xC67E, range(0x40, 0xFF))


@cache
def _gb2312_hanzi() -> frozenset[str]:
    """GB2312's 6,763 characters (B0A1-F7FE), the Simplified ones in everyday use."""
    return _characters("gbk", 0xB0A1, 0xF7FE, range(0xA1, 0xFF))


def _common_share(text: str, common: frozenset[str]) -> tuple[float, int]:
    """(share of ``common`` among the first ideographs and kana, how many were looked at)."""
    found = [match.group() for match in islice(_IDEOGRAPHS.finditer(text), _SAMPLE_IDEOGRAPHS)]
    if not found:
        return 1.0, 0
    return sum(char in common for char in found) / len(found), len(found)


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def legacy_chinese(data: bytes) -> Literal["cp950", "gbk", "unlikely"] | None:
    """What bytes that are not UTF-8 are, judged by the characters they decode into.

    ``"cp950"``: Big5 text that reads as zh-TW (at least 80 % of its characters among Big5's
    5,401 常用字, or GBK no better). ``"gbk"``: Simplified Chinese GBK: at least 90 % of its
    characters among GB2312's (and more than as Big5), or 80 % when it is not Big5 at all.
    ``"unlikely"``: it decodes as Big5, but into rare characters (less than 60 % of at least
    20), so it is some other encoding. None: it cannot be decoded as either (a 造字, or not
    Chinese text). A line or two of short names can look like both; the header of a contacts
    list (「姓名」) is enough to tell them apart."""
    big5 = _decoded(data, "cp950")
    gbk = _decoded(data, "gbk")
    gbk_share, gbk_count = _common_share(gbk, _gb2312_hanzi()) if gbk is not None else (0.0, 0)
    if big5 is None:
        return "gbk" if gbk_count >= 2 and gbk_share >= GBK_ONLY_LIKELY else None
    share, count = _common_share(big5, _big5_common())
    if share >= BIG5_LIKELY:
        return "cp950"
    if gbk_count >= 2 and gbk_share >= GBK_LIKELY and gbk_share > share:
        return "gbk"
    if count >= 20 and share < BIG5_UNLIKELY:
        return "unlikely"
    return "cp950"


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


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one found most often outside quoted cells in the header (the
    first record with any text); on a tie, the one the next records agree with most, then comma
    before tab before semicolon. Only the first 64 KB are looked at."""
    counts: list[dict[str, int]] = []
    current = dict.fromkeys(DELIMITERS, 0)
    has_text = quoted = False
    for char in text[:_SNIFF_CHARS]:
        if char == '"':
            quoted = not quoted  # a doubled "" inside a quoted cell toggles twice
            has_text = True
        elif quoted:
            continue
        elif char in "\r\n":
            if has_text:
                counts.append(current)
                if len(counts) == _SNIFF_RECORDS:
                    break
            current, has_text = dict.fromkeys(DELIMITERS, 0), False
        elif char in current:
            current[char] += 1
        elif not char.isspace():
            has_text = True
    else:
        if has_text:
            counts.append(current)
    if not counts:
        return ","
    header, rest = counts[0], counts[1:]

    def score(delimiter: str) -> tuple[int, int, int]:
        agree = sum(1 for record in rest if record[delimiter] == header[delimiter])
        return header[delimiter], agree, -DELIMITERS.index(delimiter)

    return max(DELIMITERS, key=score)


MAX_RECORDS = 1_048_576
"""Lines a CSV may have, empty ones included: a sheet of Excel, which may write its formatted
but empty rows as lines of commas."""


def _parse(source: Path, text: str, delimiter: str = ",") -> Iterator[list[str]]:
    """The file's records, one at a time (a file of 20 MB of line breaks is 20 million
    records: kept as a list, they took gigabytes)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise UserFileError(
            f"檔案「{source.name}」第 {reader.line_num:,} 列的格式不正確（{exc}），"
            "無法當作 CSV 讀取。"
            "請在 Excel 開啟後另存為「CSV UTF-8（逗號分隔）」再匯入。"
        ) from exc


def _table(
    source: Path, records: Iterable[list[str]], encoding: str, *, max_rows: int, max_columns: int
) -> CsvTable:
    """The table from the header (the first record with a value) to the last filled row.
    Empty records are counted, not kept, until a filled row follows them; the time is bounded
    by a ``Deadline``."""
    name = source.name
    deadline = Deadline(name)
    rows: list[list[str]] = []
    header_index = -1
    width = 0
    empty_run = 0
    for index, record in enumerate(records):
        if index % 1024 == 0:
            deadline.check(f"第 {index + 1:,} 列")
        if index >= MAX_RECORDS:  # more lines than any spreadsheet has, filled or not
            raise UserFileError(
                f"檔案「{name}」超過 {MAX_RECORDS:,} 列（Excel 一張工作表的上限），"
                "可能是多餘的空白列。請刪除空白列，或把資料分成幾個檔案再匯入。"
            )
        used = _used_width(record)
        if used > max_columns:
            raise UserFileError(
                f"檔案「{name}」第 {index + 1:,} 列超過 {max_columns:,} 欄。"
                "請刪除多餘的欄位後再匯入。"
            )
        if not used:
            empty_run += header_index >= 0
            continue
        if header_index < 0:
            header_index = index
        elif index - header_index > max_rows:
            raise UserFileError(
                f"檔案「{name}」的資料超過 {max_rows:,} 列（第 {index + 1:,} 列仍有資料）。"
                "請把資料分成幾個檔案再匯入。"
            )
        rows.extend([] for _ in range(empty_run))  # bounded: at most max_rows in all
        empty_run = 0
        width = max(width, used)
        rows.append([restore(cell) for cell in record[:used]])
    if header_index < 0:
        return CsvTable(headers=[], rows=[], encoding=encoding, first_row_number=2)
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
    path: str | os.PathLike[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    private: bool = False,
) -> None:
    """Write a CSV file for Excel: UTF-8 with BOM, CRLF, formula-looking text neutralised.

    The file appears complete or not at all (a temporary file beside it is renamed at the end).
    Raises ``UserFileError`` when the folder cannot be written or the file is open in another
    program. ``private``: readable by its owner only (personal data; ``schoolhr.files``).
    """
    with atomic_output(Path(path), private=private) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)  # excel dialect: comma, minimal quoting, "\r\n"
        writer.writerow([neutralize(header) for header in headers])
        for row in rows:
            writer.writerow(
                [neutralize(value) if isinstance(value, str) else cell_text(value) for value in row]
            )
        text.flush()
        text.detach()
