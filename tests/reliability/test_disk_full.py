"""Disk full: the database may grow by only so many pages (``PRAGMA max_page_count`` on every
connection, as a full disk would stop it), tried at every limit from 0 pages up during an
import until the import fits. At each point the user gets one clear zh-TW sentence
(``DiskFullError``), nothing of the import is written, and the database stays sound and usable:
once there is room, the same import goes through.

Figure: points tried, failures with the clear message (all of them), 0 partial writes, 0
unusable databases. The backup written to a full disk is checked the same way.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from schoolhr.contacts import service as contacts
from schoolhr.contacts.models import Contact
from schoolhr.contacts.records import ContactRecord
from schoolhr.errors import DiskFullError, UserError
from schoolhr.paths import DataPaths
from schoolhr.rewards.models import RewardEntry
from schoolhr.store import backup as backups
from schoolhr.store.database import Store, open_store
from schoolhr.store.models import OperationLog
from schoolhr.sync import service as sync
from tests.data.hostile.make_hostile import contact_record, entry_record, new_uuid, write_pack
from tests.reliability.support import (
    SEED,
    Figures,
    content_digest,
    integrity_problems,
    make_county,
    readonly,
)

PEOPLE = 200
POINTS = 20  # limits tried per import


def page_count(path: Path) -> int:
    connection = readonly(path)
    try:
        return int(connection.execute("PRAGMA page_count").fetchone()[0])
    finally:
        connection.close()


@contextmanager
def room_for(store: Store, pages: int) -> Iterator[None]:
    """Every new connection of ``store`` may grow the database by at most ``pages`` pages."""
    store.engine.dispose()
    limit = page_count(store.paths.database) + pages

    def limited(connection: sqlite3.Connection, _record: Any) -> None:
        connection.execute(f"PRAGMA max_page_count = {limit}")

    event.listen(store.engine, "connect", limited)
    try:
        yield
    finally:
        event.remove(store.engine, "connect", limited)
        store.engine.dispose()


def counts(store: Store) -> tuple[int, int]:
    with store.read() as session:
        return (
            int(session.scalar(select(func.count()).select_from(Contact)) or 0),
            int(session.scalar(select(func.count()).select_from(RewardEntry)) or 0),
        )


def backup_lines(store: Store) -> int:
    with store.read() as session:
        query = select(func.count()).where(OperationLog.kind == "backup")
        return int(session.scalar(query) or 0)


def pages_needed(profile: DataPaths, attempt: Callable[[Store], object]) -> int:
    """How many pages ``attempt`` grows a copy of the profile's database by, with room."""
    trial = DataPaths(profile.root.with_name(profile.root.name + "-trial"))
    trial.backups.mkdir(parents=True)
    shutil.copyfile(profile.database, trial.database)
    store = open_store(trial, daily_backup=False)
    try:
        before = page_count(trial.database)
        attempt(store)
        return page_count(trial.database) - before
    finally:
        store.close()


def full_disk_points(
    profile: DataPaths, store: Store, attempt: Callable[[Store], object]
) -> dict[str, int]:
    """Run ``attempt`` with room for 0 pages, then for more and more (about ``POINTS`` limits
    spread up to what it needs), and last with room enough; check every failure."""
    needed = pages_needed(profile, attempt)
    limits = sorted({*range(0, needed, max(1, needed // POINTS)), needed + 16})
    found = {"points": 0, "at_backup": 0, "in_transaction": 0, "fits_at": -1, "needed": needed}
    for pages in limits:
        before_rows = counts(store)
        before_lines = backup_lines(store)
        before_data = content_digest(store.paths.database, skip=("operation_log",))
        found["points"] += 1
        try:
            with room_for(store, pages):
                attempt(store)
        except DiskFullError as exc:
            assert "磁碟空間不足" in exc.message and "資料未變更" in exc.message
            assert counts(store) == before_rows, f"partial write with room for {pages} pages"
            assert content_digest(store.paths.database, skip=("operation_log",)) == before_data
            assert integrity_problems(store.paths.database) == []
            stage = "in_transaction" if backup_lines(store) > before_lines else "at_backup"
            found[stage] += 1
            continue
        found["fits_at"] = pages
        break
    return found


def test_a_contacts_import_on_a_full_disk_says_so_writes_nothing_and_the_database_stays_usable(
    profile: DataPaths,
    figures: Figures,
) -> None:
    store = open_store(profile, daily_backup=False)
    try:
        rows = [
            contacts.ImportRow(
                n + 2,
                ContactRecord(
                    name=f"王小明{n}", school="桃源國小", email=f"p{n}@school.tw", notes="備註" * 40
                ),
            )
            for n in range(PEOPLE)
        ]
        with store.read() as session:
            plan = contacts.plan_import(session, rows, [])
        found = full_disk_points(
            profile, store, lambda target: contacts.apply_import(target, plan, False)
        )
        assert found["fits_at"] > 0 and found["in_transaction"] >= POINTS // 2
        assert counts(store)[0] == PEOPLE  # it went through once there was room
        assert integrity_problems(profile.database) == []
    finally:
        store.close()
    figures.add(
        f"disk full during a contacts import of {PEOPLE}: {found['points']} points tried, "
        f"{found['points'] - 1} failed with the clear message ({found['at_backup']} while "
        f"recording the backup, {found['in_transaction']} inside the import), 0 partial "
        f"writes, 0 unusable databases; it needs {found['needed']} pages and went through "
        f"with room for {found['fits_at']}"
    )


def test_a_pack_import_on_a_full_disk_says_so_writes_nothing_and_the_database_stays_usable(
    profile: DataPaths, tmp_path: Path, figures: Figures
) -> None:
    """A school's data pack (its people and their claims) imported at the county."""
    rng = random.Random(f"{SEED}-disk-full")
    people = [new_uuid(rng) for _ in range(PEOPLE)]
    pack = write_pack(
        tmp_path / "data.zip",
        "data",
        {
            "contacts": [contact_record(u, f"人員{n}") for n, u in enumerate(people)],
            "reward_entries": [
                entry_record(new_uuid(rng), people[n % PEOPLE], 2) for n in range(2 * PEOPLE)
            ],
        },
    )
    county = open_store(profile, daily_backup=False)
    try:
        make_county(county)
    finally:
        county.close()  # written to the database file, which the trial copies
    store = open_store(profile, daily_backup=False)
    try:
        found = full_disk_points(profile, store, lambda target: sync.import_pack(target, pack))
        assert found["fits_at"] > 0 and found["in_transaction"] >= POINTS // 2
        assert counts(store) == (PEOPLE, 2 * PEOPLE)
        # and a second import is refused as a replay and changes nothing
        before = content_digest(profile.database)
        with pytest.raises(UserError, match="匯入過"):
            sync.import_pack(store, pack)
        assert content_digest(profile.database) == before
    finally:
        store.close()
    assert not (profile.root / "sync" / "staging").exists() or not any(
        (profile.root / "sync" / "staging").iterdir()
    )
    figures.add(
        f"disk full during a school's data pack import at the county ({PEOPLE} people, "
        f"{2 * PEOPLE} claims): "
        f"{found['points']} points tried, {found['points'] - 1} failed with the clear message, "
        f"0 partial writes, 0 unusable databases; it needs {found['needed']} pages and went "
        f"through with room for {found['fits_at']}"
    )


def test_a_backup_to_a_full_disk_says_so_and_leaves_no_partial_file(
    profile: DataPaths, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    store = open_store(profile, daily_backup=False)
    try:
        rows = [contacts.ImportRow(n + 2, ContactRecord(name=f"林{n}")) for n in range(PEOPLE)]
        with store.read() as session:
            contacts.apply_import(store, contacts.plan_import(session, rows, []), False)
    finally:
        store.close()
    before = content_digest(profile.database)
    kept = {p.name for p in profile.backups.iterdir()}
    connect: Callable[..., sqlite3.Connection] = sqlite3.connect

    def small_disk(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(target, *args, **kwargs)
        if str(target).endswith(".partial"):  # the backup being written, not the source
            connection.execute("PRAGMA max_page_count = 8")
        return connection

    monkeypatch.setattr("schoolhr.store.backup.sqlite3.connect", small_disk)
    with pytest.raises(DiskFullError, match="磁碟空間不足"):
        backups.create_backup(profile, "manual")
    assert {p.name for p in profile.backups.iterdir()} == kept  # no partial file left
    assert content_digest(profile.database) == before
    figures.add("disk full while writing a backup: the clear message, no partial file, 0 changes")
