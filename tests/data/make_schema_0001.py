"""How ``schema_0001.sqlite3.bin`` was made (kept for the record; the file itself is committed).

It is a real database of the first schema (revision 0001_site) holding a named site, as a
school running the first release would have it. Run: ``python tests/data/make_schema_0001.py``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from schoolhr.store import migrate
from schoolhr.store.engine import make_engine

TARGET = Path(__file__).with_name("schema_0001.sqlite3.bin")
SITE_UUID = "5f0c3d52-9d1e-4c43-9a57-0f6a3c1e2b11"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    engine = make_engine(TARGET)
    migrate.upgrade(engine, "0001_site")
    engine.dispose()
    connection = sqlite3.connect(TARGET)
    with connection:
        connection.execute(
            "INSERT INTO site (id, site_uuid, name, role, created_at) VALUES (1, ?, ?, ?, ?)",
            (SITE_UUID, "宜蘭縣立示範國民小學", "school", "2026-11-01 08:00:00.000000"),
        )
    connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
    connection.close()


if __name__ == "__main__":
    main()
