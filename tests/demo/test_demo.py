"""The workshop demo: built the same way every time, reset in one step, kept apart from the
real profile, and filled with fictional but usable data."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from schoolhr.cli import main
from schoolhr.contacts import service as contacts
from schoolhr.contacts.records import ContactRecord
from schoolhr.demo import default_demo_dir, is_demo_profile
from schoolhr.demo.builder import DemoResult, build_demo
from schoolhr.demo.marker import MARKER_NAME, STATE_BUILDING, write_marker
from schoolhr.errors import DataDirError, ExitCode, UserError
from schoolhr.faq.unanswered import record_unanswered
from schoolhr.logs import setup_logging
from schoolhr.paths import DataPaths, prepare_data_dir
from schoolhr.startup import open_profile
from schoolhr.store.database import open_store
from schoolhr.support.county import county_work
from schoolhr.sync import service as sync
from tests.demo.conftest import TODAY, canonical_dump


def _files(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file below ``root``."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _close_log_files() -> None:
    import logging

    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_schoolhr", False):
            root.removeHandler(handler)
            handler.close()


# -- deterministic -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["school", "county"])
def test_two_builds_from_the_same_day_hold_the_same_records(
    role: str, school_demo: DemoResult, county_demo: DemoResult, tmp_path: Path
) -> None:
    first = school_demo if role == "school" else county_demo
    second = build_demo(DataPaths(tmp_path / "again"), reset=False, today=TODAY, role=role)

    assert canonical_dump(second.root / "schoolhr.sqlite3") == canonical_dump(
        first.root / "schoolhr.sqlite3"
    )
    assert second == DemoResult(
        **{
            **first.__dict__,
            "root": second.root,
            "content_pack": second.content_pack,
            "data_pack": second.data_pack,
            "public_key": second.public_key,
            "private_key": second.private_key,
        }
    )
    assert second.public_key.read_bytes() == first.public_key.read_bytes()
    assert set(_files(second.root)) == set(_files(first.root))


def test_reset_brings_back_the_initial_state_and_keeps_log_and_display_settings(
    tmp_path: Path,
) -> None:
    # GIVEN a demo a workshop has used: records added, a pack imported, a file dropped in
    paths = DataPaths(tmp_path / "demo")
    built = build_demo(paths, reset=False, today=TODAY)
    initial = canonical_dump(paths.database)
    store = open_profile(paths)
    try:
        with store.write() as session:
            contacts.save_contact(session, ContactRecord(name="研習學員"))
        record_unanswered(store, "研習時隨手問的問題")
        sync.import_pack(store, built.content_pack)
    finally:
        store.close()
    (paths.root / "學員的筆記.txt").write_text("筆記", encoding="utf-8")
    paths.settings_file.write_text("[ui]\nzoom=200\n", encoding="utf-8")
    (paths.logs / "schoolhr.log").write_text("研習時的記錄\n", encoding="utf-8")
    assert canonical_dump(paths.database) != initial

    # WHEN it is reset
    again = build_demo(paths, reset=True, today=TODAY)

    # THEN the records are as first built, the extra file is gone, log and zoom stay
    assert again.replaced is True
    assert canonical_dump(paths.database) == initial
    assert not (paths.root / "學員的筆記.txt").exists()
    assert paths.settings_file.read_text(encoding="utf-8") == "[ui]\nzoom=200\n"
    assert "研習時的記錄" in (paths.logs / "schoolhr.log").read_text(encoding="utf-8")
    assert list(paths.backups.iterdir()) == []  # the import's backup went with the rest


def test_building_over_an_existing_demo_needs_reset(school_demo: DemoResult) -> None:
    before = _files(school_demo.root)
    with pytest.raises(DataDirError, match="--reset"):
        build_demo(DataPaths(school_demo.root), reset=False, today=TODAY)
    assert _files(school_demo.root) == before


def test_a_build_that_stopped_half_way_is_redone_without_reset(tmp_path: Path) -> None:
    # GIVEN a folder where a build was interrupted after the database was created
    root = tmp_path / "demo"
    store = open_store(prepare_data_dir(root))  # a random site UUID, as before the demo's own
    store.close()
    write_marker(root, {"state": STATE_BUILDING, "role": "school"})

    result = build_demo(DataPaths(root), reset=False, today=TODAY)

    assert result.replaced and result.contacts == 60


# -- isolated from the real profile --------------------------------------------------------


def _real_profile(paths: DataPaths) -> None:
    store = open_store(prepare_data_dir(paths.root))
    try:
        with store.write() as session:
            contacts.save_contact(session, ContactRecord(name="真實的人", mobile="0912345678"))
    finally:
        store.close()


def test_the_real_profile_folder_is_refused_and_left_alone(data_paths: DataPaths) -> None:
    _real_profile(data_paths)
    before = _files(data_paths.root)
    for reset in (False, True):
        with pytest.raises(DataDirError, match="正式資料夾"):
            build_demo(DataPaths(data_paths.root), reset=reset, today=TODAY)
    with pytest.raises(DataDirError, match="位於正式資料夾"):
        build_demo(DataPaths(data_paths.root / "demo"), reset=True, today=TODAY)
    with pytest.raises(DataDirError, match="裡面有正式資料夾"):
        build_demo(DataPaths(data_paths.root.parent), reset=True, today=TODAY)
    assert _files(data_paths.root) == before


def test_a_folder_that_is_not_a_demo_is_refused_and_left_alone(tmp_path: Path) -> None:
    # GIVEN another profile (not SCHOOLHR_DATA_DIR) and a folder of someone's files
    other = DataPaths(tmp_path / "other-profile")
    _real_profile(other)
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "名冊.xlsx").write_bytes(b"not really a workbook")
    for folder in (other.root, papers):
        before = _files(folder)
        with pytest.raises(DataDirError, match="不是示範資料夾"):
            build_demo(DataPaths(folder), reset=True, today=TODAY)
        assert _files(folder) == before


def test_a_marker_dropped_into_a_real_profile_does_not_make_it_resettable(
    tmp_path: Path,
) -> None:
    other = DataPaths(tmp_path / "other-profile")
    _real_profile(other)
    write_marker(other.root, {"state": "ready", "role": "school"})
    before = _files(other.root)
    with pytest.raises(DataDirError, match="不是示範資料"):
        build_demo(DataPaths(other.root), reset=True, today=TODAY)
    assert _files(other.root) == before


def test_building_the_demo_leaves_the_real_profile_byte_identical(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a real profile in SCHOOLHR_DATA_DIR, with data and a log
    _real_profile(data_paths)
    setup_logging(data_paths)
    _close_log_files()
    before = _files(data_paths.root)
    mtimes = {p: p.stat().st_mtime_ns for p in data_paths.root.rglob("*")}

    # WHEN the demo is built (and reset) in its default place, beside it
    try:
        assert main(["demo", "--role", "county"]) == ExitCode.OK
        capsys.readouterr()
        assert main(["demo", "--reset"]) == ExitCode.OK
    finally:
        _close_log_files()

    # THEN the real profile is exactly as it was, and the demo is where the output says
    demo = default_demo_dir(data_paths.root)
    out = capsys.readouterr().out
    assert out.startswith("已重設示範資料（範例縣政府人事處，縣市人事處）")  # the role is kept
    assert f"示範資料夾：{demo}" in out and f"schoolhr --data-dir {demo}" in out
    assert _files(data_paths.root) == before
    assert {p: p.stat().st_mtime_ns for p in data_paths.root.rglob("*")} == mtimes
    assert demo == data_paths.root.parent / "data-demo"
    assert is_demo_profile(DataPaths(demo)) and not is_demo_profile(data_paths)


def test_cli_refuses_the_real_profile_with_a_clear_message(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _real_profile(data_paths)
    before = _files(data_paths.root)
    assert main(["demo", "--reset", "--data-dir", str(data_paths.root)]) == ExitCode.DATA_DIR
    assert main(["--data-dir", str(data_paths.root), "demo"]) == ExitCode.DATA_DIR
    err = capsys.readouterr().err
    assert err.count("正式資料夾") == 2 and "Traceback" not in err
    assert _files(data_paths.root) == before


@pytest.mark.skipif(sys.platform == "win32", reason="the lock's process is probed on POSIX")
def test_reset_is_refused_while_another_process_has_the_demo_open(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "demo")
    build_demo(paths, reset=False, today=TODAY)
    # Qt's lock file: the holder's process id first; the parent process is alive
    paths.lock_file.write_text(f"{os.getppid()}\nschoolhr\nhost\n", encoding="utf-8")
    before = _files(paths.root)
    with pytest.raises(DataDirError, match="使用中"):
        build_demo(paths, reset=True, today=TODAY)
    assert _files(paths.root) == before


# -- what is in it ---------------------------------------------------------------------------


def _rows(database: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return list(connection.execute(query))
    finally:
        connection.close()


def test_school_demo_has_fictional_clerks_and_unreachable_contact_details(
    school_demo: DemoResult,
) -> None:
    database = school_demo.root / "schoolhr.sqlite3"
    people = _rows(database, "SELECT name, school, office_phone, mobile, email FROM contact")
    assert len(people) == 60 and len({p[0] for p in people}) == 60
    assert {p[1] for p in people} == {p[1] for p in people if str(p[1]).startswith("範例縣")}
    assert len({p[1] for p in people}) == 12
    for _name, _school, office, mobile, email in people:
        assert re.fullmatch(r"02-0000\d{4}", str(office)), office
        assert re.fullmatch(r"0900-000\d{3}", str(mobile)), mobile
        assert str(email).endswith("@example.org")
    assert school_demo.site_name == "範例縣松風國小" and school_demo.role == "school"
    assert is_demo_profile(DataPaths(school_demo.root))
    assert (school_demo.root / MARKER_NAME).read_text(encoding="utf-8").count("state=ready") == 1


def test_school_demo_has_work_to_show(school_demo: DemoResult) -> None:
    database = school_demo.root / "schoolhr.sqlite3"
    assert school_demo.overdue >= 2 and school_demo.runs > school_demo.overdue
    overdue = _rows(
        database,
        "SELECT due_date FROM checklist_run WHERE completed_at IS NULL "
        f"AND due_date < '{TODAY.isoformat()}'",
    )
    assert len(overdue) == school_demo.overdue
    assert school_demo.questions == 6 and school_demo.entries > 0
    statuses = {s for (s,) in _rows(database, "SELECT status FROM reward_entry")}
    assert {"claimed", "approved"} <= statuses
    dates = [str(d) for (d,) in _rows(database, "SELECT date FROM reward_entry")]
    assert max(dates) <= TODAY.isoformat()
    exported = _rows(database, "SELECT kind, at FROM sync_exchange WHERE direction = 'export'")
    assert [kind for kind, _at in exported] == ["data"]
    assert school_demo.data_pack is not None and school_demo.data_pack.is_file()


def test_school_demo_content_pack_is_signed_by_the_trusted_demo_county(
    school_demo: DemoResult, tmp_path: Path
) -> None:
    # A copy, so the shared demo stays as built.
    import shutil

    copy = DataPaths(tmp_path / "copy")
    shutil.copytree(school_demo.root, copy.root)
    store = open_store(copy)  # not open_profile: the demo's content stays as it was built
    try:
        plan = sync.plan_import(store, copy.root / "packs" / school_demo.content_pack.name)
        assert plan.kind == "content" and plan.signer_name == "範例縣政府人事處"
        assert [i.label for i in plan.items] == ["最新消息：【示範】範例縣兼任人事研習報名"]
        sync.apply_import(store, plan)
        assert [a.title for a in sync.unseen_announcements(store)] == [
            "【示範】範例縣兼任人事研習報名"
        ]
    finally:
        store.close()


def test_county_demo_shows_the_county_its_work(county_demo: DemoResult, tmp_path: Path) -> None:
    import shutil

    copy = DataPaths(tmp_path / "copy")
    shutil.copytree(county_demo.root, copy.root)
    store = open_store(copy)  # not open_profile: the demo's content stays as it was built
    try:
        work = county_work(store, TODAY)
        keys = sync.trusted_keys(store)
    finally:
        store.close()
    assert county_demo.site_name == "範例縣政府人事處" and county_demo.contacts == 60
    assert sorted(s.name for s in work.missing_packs) == [
        "範例縣星河國小",
        "範例縣石泉國小",
        "範例縣荷塘國小",
        "範例縣雲梯國小",
    ]
    assert len(work.claims) == county_demo.claims > 0
    assert len(work.questions) == county_demo.questions
    assert len({q.school for q in work.questions}) == 10
    assert all(q.school.startswith("範例縣") for q in work.questions)
    assert county_demo.private_key is not None and county_demo.private_key.is_file()
    assert not any(k.name == "範例縣政府人事處" for k in keys)  # a county trusts no own key
    [(groups,)] = _rows(county_demo.root / "schoolhr.sqlite3", "SELECT count(*) FROM peer_group")
    assert isinstance(groups, int) and groups >= 6  # 60 people in groups of 7 to 9


def test_demo_day_must_not_be_in_the_future(tmp_path: Path) -> None:
    from datetime import date

    with pytest.raises(UserError, match="晚於今天"):
        build_demo(DataPaths(tmp_path / "d"), reset=False, today=date.today() + timedelta(1))
    assert not (tmp_path / "d").exists()
