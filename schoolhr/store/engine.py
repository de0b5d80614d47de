"""The SQLite engine: WAL, synchronous=FULL, foreign keys, a busy timeout, BEGIN IMMEDIATE.

pysqlite starts transactions lazily and on its own terms; we switch that off and emit BEGIN
ourselves (the recipe in SQLAlchemy's SQLite dialect notes) so that a write transaction takes
the write lock up front and never fails half-way with "database is locked". Read-only work uses
``read_engine(...)``, which begins DEFERRED so it never waits for a writer (WAL readers don't).

The store is SQLite only (one file per profile, county and school alike): the pragmas and
BEGIN IMMEDIATE are SQLite's.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

BUSY_TIMEOUT_MS = 10_000
_BEGIN_OPTION = "schoolhr_begin"

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)


def make_engine(database: Path) -> Engine:
    """An engine for the database file at ``database`` (created if missing)."""
    engine = create_engine(
        f"sqlite:///{database}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def read_engine(engine: Engine) -> Engine:
    """The same engine, beginning its transactions DEFERRED: for work that only reads."""
    return engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")
