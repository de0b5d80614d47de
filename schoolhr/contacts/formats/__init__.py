"""The contact file formats, in one registry: each format's name, zh-TW label, file
extensions, reader and writer. The service picks a format here by name or by a file's
extension; the UI's file dialogs take their filters from here.

The format modules are imported when a file is read or written, not with the registry:
``openpyxl`` and ``vobject`` take about 100 ms to load, which opening the app does not need.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from schoolhr.errors import UserFileError

if TYPE_CHECKING:
    from schoolhr.contacts.formats.tabular import ReadResult
    from schoolhr.contacts.records import ContactRecord

__all__ = [
    "FORMATS",
    "ContactFormat",
    "FormatName",
    "by_name",
    "format_of",
    "open_filter",
]

FormatName = Literal["xlsx", "csv", "vcf"]
Reader = Callable[[str | os.PathLike[str], dict[str, str] | None], "ReadResult"]
Writer = Callable[[str | os.PathLike[str], Sequence["ContactRecord"], Sequence[str]], None]


@dataclass(frozen=True)
class ContactFormat:
    name: FormatName
    label: str  # zh-TW, shown in the export dialog
    kind: str  # zh-TW, what the file dialog's filter calls the files
    extensions: tuple[str, ...]  # read by this format; the first is the one written
    module: str  # in schoolhr.contacts.formats: its read() and write()

    @property
    def suffix(self) -> str:
        return self.extensions[0]

    def save_filter(self) -> str:
        """The file dialog's filter when saving in this format: ``Excel 活頁簿 (*.xlsx)``."""
        return f"{self.kind} (*{self.suffix})"

    def reader(self) -> Reader:
        read: Reader = importlib.import_module(f"{__name__}.{self.module}").read
        return read

    def writer(self) -> Writer:
        write: Writer = importlib.import_module(f"{__name__}.{self.module}").write
        return write


FORMATS: tuple[ContactFormat, ...] = (
    ContactFormat(
        "xlsx", "Excel 活頁簿（.xlsx）", "Excel 活頁簿", (".xlsx", ".xlsm"), "xlsx_format"
    ),
    # text: comma, tab or semicolon separated (sniffed)
    ContactFormat("csv", "CSV（.csv）", "CSV", (".csv", ".txt", ".tsv"), "csv_format"),
    ContactFormat("vcf", "vCard 聯絡人（.vcf）", "vCard 聯絡人", (".vcf", ".vcard"), "vcard"),
)


def by_name(name: str) -> ContactFormat:
    """The format called ``name`` (``xlsx``, ``csv``, ``vcf``); ``KeyError`` for any other."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def format_of(path: Path) -> ContactFormat:
    """The format a file to import is in, by its extension."""
    suffix = path.suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    raise UserFileError(
        f"無法辨識「{path.name}」的格式：請選擇 Excel（.xlsx）、CSV（.csv）、"
        "Tab 分隔文字檔（.txt、.tsv）或 vCard（.vcf）檔。"
    )


def open_filter() -> str:
    """The file dialog's filter when choosing a contacts file to import: every extension."""
    patterns = " ".join(f"*{ext}" for fmt in FORMATS for ext in fmt.extensions)
    return f"通訊錄 ({patterns})"
