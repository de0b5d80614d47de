"""Contacts in a CSV file as Excel writes it on zh-TW Windows (UTF-8, UTF-8 with BOM or cp950).

Reading and writing go through ``schoolhr.reports.csvio`` (encodings, limits, formula
neutralising). The header is row 1 when the file starts with it.
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
from schoolhr.reports.csvio import read_csv, write_csv

__all__ = ["guess_mapping", "read", "write"]


def read(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> ReadResult:
    table = read_csv(path)
    return records_from_table(table.headers, table.rows, table.first_row_number, mapping)


def write(
    path: str | os.PathLike[str], records: Sequence[ContactRecord], fields: Sequence[str]
) -> None:
    def as_text(value: date) -> str:
        return value.isoformat()

    rows = (cells_for(record, fields, as_text) for record in records)
    write_csv(path, headers_for(fields), rows, private=True)
