"""Alembic migrations shipped inside the package, run from code (no alembic.ini needed).

Each migration file is named after its revision id (``0002_operation_log.py`` holds revision
``0002_operation_log``) and the history is one straight line, so the list of known revisions
is read from the file names; alembic itself (about 0.1 s to import) is loaded only when a
database actually needs upgrading. A test checks the file names against alembic's own view.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from schoolhr.errors import DatabaseDamagedError, DatabaseNewerError
from schoolhr.store.sqlite_files import is_sqlite_file, open_readonly, read_schema_revision

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def known_revisions() -> list[str]:
    """Every revision this version knows, oldest first."""
    return sorted(p.stem for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def revisions_after(current: str | None) -> list[str]:
    """The revisions ``upgrade`` would apply to a database at ``current``, oldest first."""
    known = known_revisions()
    if current is None:
        return known
    return known[known.index(current) + 1 :]


def database_revision(database: Path) -> str | None:
    """The schema revision of a database file, read without writing to it.

    Raises ``DatabaseNewerError`` when a newer version of SchoolHR wrote it and
    ``DatabaseDamagedError`` when it is not a readable SQLite database.
    """
    if not database.exists() or database.stat().st_size == 0:
        return None
    if not is_sqlite_file(database):
        raise DatabaseDamagedError(f"「{database}」不是資料庫檔案，或檔案開頭已損毀。")
    try:
        with open_readonly(database) as connection:
            revision = read_schema_revision(connection)
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(f"無法讀取資料庫「{database.name}」（{exc}）。") from exc
    refuse_if_newer(revision, database)
    return revision


def refuse_if_newer(revision: str | None, database: Path) -> None:
    if revision is None or revision in known_revisions():
        return
    raise DatabaseNewerError(
        f"資料庫「{database.name}」是由較新版本的學校人事小幫手建立的（結構版本 {revision}），"
        "此版本無法開啟，檔案未做任何變更。請安裝最新版本後再開啟。"
    )


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Leave the FTS5 search table and its shadow tables out of autogenerate: SQLAlchemy does
    not model virtual tables; migration 0003 creates it by hand."""
    return not (type_ == "table" and name is not None and name.startswith("search_index"))


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the database behind ``engine`` to ``target``, one transaction per step."""
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
        connection.commit()
