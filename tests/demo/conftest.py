"""Demo profiles built once per module (each build takes a few seconds) and a canonical dump
that compares two databases record by record."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from schoolhr.demo.builder import DemoResult, build_demo
from schoolhr.paths import DataPaths

TODAY = date(2025, 3, 10)  # a fixed day, so the expected demo does not move with the calendar


@pytest.fixture(scope="module")
def school_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoResult]:
    root = tmp_path_factory.mktemp("school-demo") / "demo"
    yield build_demo(DataPaths(root), reset=False, today=TODAY)


@pytest.fixture(scope="module")
def county_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoResult]:
    root = tmp_path_factory.mktemp("county-demo") / "demo"
    yield build_demo(DataPaths(root), reset=False, today=TODAY, role="county")


def canonical_dump(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order. A pack's id and creation time are fresh for
    every pack written, so those two fields of the export history are left out."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        dump: dict[str, list[tuple[object, ...]]] = {}
        for table in tables:
            if table == "sync_exchange":
                query = (
                    "SELECT id, at, direction, kind, site_uuid, site_name, content_version, "
                    "signer, file_name, summary, counts, "
                    "CASE direction WHEN 'export' THEN '' ELSE pack_id END, "
                    "CASE direction WHEN 'export' THEN '' ELSE pack_created_at END "
                    "FROM sync_exchange ORDER BY id"
                )
            else:
                has_rowid = not connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%'",
                    (table,),
                ).fetchone()
                query = f'SELECT * FROM "{table}"' + (" ORDER BY rowid" if has_rowid else "")
            dump[table] = [tuple(row) for row in connection.execute(query)]
        return dump
    finally:
        connection.close()
