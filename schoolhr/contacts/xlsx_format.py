"""Contacts in an Excel workbook (.xlsx): the first sheet with a header row is read.

Reading and writing go through ``schoolhr.reports.xlsx`` (limits, defusedxml, text cells that
never become formulas). The header row is row 1 when the sheet starts at the top; row numbers in
``Rejected`` are the ones Excel shows.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from schoolhr.contacts.records import ContactRecord
from schoolhr.contacts.tabular import (
    ReadResult,
    cells_for,
    guess_mapping,
    headers_for,
    records_from_table,
)
from schoolhr.errors import UserFileError
from schoolhr.reports.xlsx import Sheet, read_xlsx, write_xlsx

__all__ = ["SHEET_TITLE", "guess_mapping", "read", "write"]

SHEET_TITLE = "聯絡人"


def read(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> ReadResult:
    try:
        tables = read_xlsx(path)
    except NotImplementedError as exc:
        # zipfile refuses a zip it cannot read ("zip file version 9.9" in the directory) with
        # NotImplementedError, which read_xlsx lets through: the file's fault, not a bug.
        raise UserFileError(
            f"檔案「{Path(path).name}」使用了無法讀取的壓縮格式，可能不是 Excel 存的檔案。"
            "請在 Excel 開啟後選「另存新檔」→「Excel 活頁簿（*.xlsx）」，再匯入新檔案。"
        ) from exc
    table = next((t for t in tables if t.headers), None)
    if table is None:
        return ReadResult(headers=[], rows=[], rejected=[], mapping={})
    return records_from_table(table.headers, table.rows, table.first_row_number, mapping)


def write(
    path: str | os.PathLike[str], records: Sequence[ContactRecord], fields: Sequence[str]
) -> None:
    def as_date(value: date) -> date:
        return value

    rows = (cells_for(record, fields, as_date) for record in records)
    write_xlsx(path, [Sheet(SHEET_TITLE, headers_for(fields), rows)])
