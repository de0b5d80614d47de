"""Shared helpers for tests: damaging database copies the way disks and USB sticks do."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

PAGE_SIZE = 4096
TEST_DATA = Path(__file__).parent / "data"


def fill_operation_log(database: Path, rows: int = 2000) -> None:
    """Give a database enough rows to span many pages."""
    connection = sqlite3.connect(database)
    with connection:
        connection.executemany(
            "INSERT INTO operation_log (at, kind, summary, ok) VALUES (?, 'test', ?, 1)",
            [
                ("2026-11-01 08:00:00.000000", f"第 {i} 筆測試紀錄 " + "資料" * 40)
                for i in range(rows)
            ],
        )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def flip_bytes(path: Path, seed: int = 1, pages: int = 4) -> None:
    """Overwrite the b-tree page headers of a few pages after the first with random bytes."""
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    page_count = len(data) // PAGE_SIZE
    assert page_count > pages, "the database is too small to damage meaningfully"
    for page in rng.sample(range(1, page_count), pages):
        start = page * PAGE_SIZE
        for offset in range(start, start + 64):
            data[offset] = rng.randrange(256)
    path.write_bytes(bytes(data))


TEST_CONTENT = TEST_DATA / "content"
