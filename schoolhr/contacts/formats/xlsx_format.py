"""Contacts in an Excel workbook (.xlsx): the first sheet with a header row is read.

Reading and writing go through ``schoolhr.reports.xlsx`` (limits, defusedxml, text cells that
never become formulas). The header row is row 1 when the sheet starts at the top; row numbers in
``Rejected`` are the ones Excel shows.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

from schoolhr.contacts.formats.tabular import (
    ReadResult,
    cells_for,
    guess_mapping,
    headers_for,
    records_from_table,
)
from schoolhr.contacts.records import ContactRecord
from schoolhr.reports.xlsx import Sheet, read_xlsx, write_xlsx

__all__ = ["SHEET_TITLE", "guess_mapping", "read", "write"]

SHEET_TITLE = "聯絡人"


def read(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> ReadResult:
    tables = read_xlsx(path)
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
    write_xlsx(path, [Sheet(SHEET_TITLE, headers_for(fields), rows)], private=True)
