"""A damaged search index is found (doctor runs FTS5's own check, which integrity_check
skips) and made again from the indexed documents at the next start; search then answers as
before."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from schoolhr.doctor import run_doctor
from schoolhr.paths import DataPaths
from schoolhr.search.engine import Searcher
from schoolhr.startup import heal_search_index, open_profile
from schoolhr.store.models import OperationLog

QUERIES = ("補休", "請假", "休", "考績", "國民旅遊卡")


def answers(paths: DataPaths) -> dict[str, list[str]]:
    store = open_profile(paths)
    try:
        searcher = Searcher(store.engine)
        return {q: [hit.ref for hit in searcher.search(q).hits] for q in QUERIES}
    finally:
        store.close()


def damage_index(paths: DataPaths, pages: int = 3) -> None:
    """Overwrite some of the index's data blocks, as a bad sector or a crashed tool would."""
    connection = sqlite3.connect(paths.database)
    try:
        connection.execute(
            "UPDATE search_index_data SET block = randomblob(length(block)) "
            "WHERE id IN (SELECT id FROM search_index_data WHERE id > 10 LIMIT ?)",
            (pages,),
        )
        connection.commit()
    finally:
        connection.close()


def test_doctor_finds_a_damaged_index_and_the_next_start_rebuilds_it(
    data_paths: DataPaths, caplog: pytest.LogCaptureFixture
) -> None:
    before = answers(data_paths)
    assert all(before.values())
    assert run_doctor(data_paths).search_index == []

    damage_index(data_paths)
    report = run_doctor(data_paths)
    assert report.search_index and not report.healthy
    assert report.quick_check == [] and report.integrity_check == []  # SQLite's own see nothing
    assert "搜尋索引已損壞" in report.to_text()

    assert answers(data_paths) == before  # open_profile healed it first
    assert run_doctor(data_paths).healthy
    store = open_profile(data_paths)
    try:
        with store.read() as session:
            logged = session.scalars(
                select(OperationLog.summary).where(OperationLog.kind == "search-index")
            ).all()
        assert len(logged) == 1 and "重新建立" in logged[0]
        assert heal_search_index(store) is False  # sound now: nothing done
    finally:
        store.close()
    log_text = (
        data_paths.log_file.read_text(encoding="utf-8") if data_paths.log_file.exists() else ""
    )
    assert "search index is damaged" in log_text or logged


@pytest.mark.parametrize("pages", [1, 8])
def test_search_is_right_after_any_amount_of_damage(data_paths: DataPaths, pages: int) -> None:
    before = answers(data_paths)
    damage_index(data_paths, pages)
    assert answers(data_paths) == before


def test_the_index_check_copies_the_database_to_a_file_not_to_memory(
    data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy in memory held the whole database (100 MB at 10,000 FAQ entries) while the
    window ran; a damaged index is found on the copy in a file as well."""
    answers(data_paths)  # the database made
    opened: list[str] = []
    connect = sqlite3.connect

    def recorded(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        opened.append(str(database))
        return connect(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", recorded)
    monkeypatch.setattr("schoolhr.doctor.fts5_available", lambda: True)  # its probe: in memory
    assert run_doctor(data_paths).search_index == []
    damage_index(data_paths)
    assert run_doctor(data_paths).search_index
    assert ":memory:" not in opened
    assert any(o.endswith("check.sqlite3") for o in opened)
