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
    with store.read() as session:
        session.execute(text("SELECT count(*) FROM site"))
        other = sqlite3.connect(store.paths.database, timeout=0.1)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    before = len(read_status(store.paths, 100).operations)
    with pytest.raises(RuntimeError), store.write() as session:
        session.add(OperationLog(kind="test", summary="half"))
        session.flush()
        raise RuntimeError("power cut")
    assert len(read_status(store.paths, 100).operations) == before
