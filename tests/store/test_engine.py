import sqlite3

import pytest
from sqlalchemy import text

from schoolhr.status import read_status
from schoolhr.store.database import Store
from schoolhr.store.models import OperationLog


def _pragma(store: Store, name: str) -> object:
    with store.read() as session:
        return session.connection().exec_driver_sql(f"PRAGMA {name}").scalar()


def test_pragmas_are_in_force_on_every_connection(store: Store) -> None:
    assert _pragma(store, "journal_mode") == "wal"
    assert _pragma(store, "synchronous") == 2  # FULL
    assert _pragma(store, "foreign_keys") == 1
    assert _pragma(store, "busy_timeout") == 10_000


def test_a_write_transaction_takes_the_write_lock_at_begin(store: Store) -> None:
    # GIVEN a write session that has begun but not yet written anything
    with store.write() as session:
        session.execute(text("SELECT 1"))
        # WHEN another connection asks for the write lock
        other = sqlite3.connect(store.paths.database, timeout=0.1)
        # THEN it is refused: BEGIN IMMEDIATE already holds it
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_a_read_session_does_not_block_a_writer(store: Store) -> None:
    count = text("SELECT count(*) FROM operation_log")
    with store.read() as session:
        before = session.execute(count).scalar_one()
        # another connection writes and commits while the read is open (it would wait 0.1 s
        # for a lock and fail); the reader keeps seeing what it began with
        other = sqlite3.connect(store.paths.database, timeout=0.1)
        with other:
            other.execute("BEGIN IMMEDIATE")
            other.execute(
                "INSERT INTO operation_log (at, kind, summary, ok) "
                "VALUES ('2026-01-05 08:00:00', 'test', 'written beside a reader', 1)"
            )
        other.close()
        assert session.execute(count).scalar_one() == before
    with store.read() as session:
        assert session.execute(count).scalar_one() == before + 1


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    before = len(read_status(store.paths, 100).operations)
    with pytest.raises(RuntimeError), store.write() as session:
        session.add(OperationLog(kind="test", summary="half"))
        session.flush()
        raise RuntimeError("power cut")
    assert len(read_status(store.paths, 100).operations) == before
