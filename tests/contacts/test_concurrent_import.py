"""Two imports of one file at the same moment (the window and the command line, two staff at
the county): each person ends up once. The plan is made again inside the write transaction;
an import whose preview no longer holds writes nothing and says so. Two real processes at once:
tests/reliability/test_two_writers.py."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from schoolhr.contacts import service
from schoolhr.contacts.formats import xlsx_format
from schoolhr.contacts.records import FIELD_LABELS, validate
from schoolhr.errors import ExitCode
from schoolhr.store.database import Store
from tests.benchmarks.bench_contacts_import import people

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 600
ROUNDS = int(os.environ.get("SCHOOLHR_CONCURRENCY_ROUNDS", "3"))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("workbook") / "contacts.xlsx"
    xlsx_format.write(target, [validate(p) for p in people(PEOPLE, 11)], list(FIELD_LABELS))
    return target


def contacts_in(database: Path) -> int:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM contact").fetchone()[0])
    finally:
        connection.close()


def plan(store: Store, workbook: Path) -> service.ImportPlan:
    read = service.read_import_file(workbook)
    with store.read() as session:
        return service.plan_import(session, read.rows, read.rejected)


def test_two_previews_then_two_imports_add_each_person_once(store: Store, workbook: Path) -> None:
    first, second = plan(store, workbook), plan(store, workbook)
    assert len(first.adds) == len(second.adds) == PEOPLE
    service.apply_import(store, first, merge_duplicates=False)
    before = sorted(store.paths.backups.iterdir())
    with pytest.raises(service.PlanChangedError, match="預覽之後已有變動") as caught:
        service.apply_import(store, second, merge_duplicates=False)
    assert caught.value.exit_code == ExitCode.CANCELLED
    assert contacts_in(store.paths.database) == PEOPLE
    assert sorted(store.paths.backups.iterdir()) == before  # refused before its backup
    again = plan(store, workbook)  # the new preview: everyone is there already
    assert (len(again.adds), len(again.duplicates)) == (0, PEOPLE)


def test_a_preview_that_still_holds_goes_in(store: Store, workbook: Path) -> None:
    earlier = plan(store, workbook)
    with store.write() as session:  # someone else's change that does not touch this import
        session.execute(text("UPDATE site SET name = '松風國小'"))
    summary = service.apply_import(store, earlier, merge_duplicates=False)
    assert summary.added == PEOPLE
