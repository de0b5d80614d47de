"""Each user action is one service function: the command line and the window leave the same
operation-log lines, the same personal-data audit rows and the same backups.

Two copies of one county profile are made; the action is done once with ``schoolhr …`` on the
first and once in the main window on the second (through the page's own method, with its
dialogs answered), and the rows they wrote are compared."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from schoolhr.cli import main as cli
from schoolhr.contacts import service as contacts
from schoolhr.contacts.peer_groups import service as groups
from schoolhr.contacts.records import ContactRecord
from schoolhr.paths import DataPaths, prepare_data_dir
from schoolhr.rewards import service as rewards
from schoolhr.startup import open_profile
from schoolhr.store.backup import list_backups
from schoolhr.store.database import update_site
from schoolhr.sync import service as sync
from schoolhr.ui.app import application, build_main_window
from schoolhr.ui.jobs import Job, wait_for_jobs
from schoolhr.ui.main_window import MainWindow
from tests.ui.conftest import reset_app_zoom

FIELDS = ["name", "school", "mobile", "email"]


@dataclass
class Profile:
    """A county with people from one school, their claims and a school pack waiting."""

    root: Path
    entry_ids: list[int]
    contact_id: int
    school_pack: Path
    backup: Path


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    base = tmp_path_factory.mktemp("one-action")
    school = open_profile(prepare_data_dir(base / "school"))
    update_site(school, name="松風國小", role="school")
    county = open_profile(prepare_data_dir(base / "county"))
    update_site(county, name="範例縣人事處", role="county")
    try:
        with school.write() as session:
            people = [
                contacts.save_contact(
                    session,
                    ContactRecord(
                        name=f"林{n}", school="松風國小", region=("北區", "南區")[n % 2],
                        role="兼任人事", years=n, consent_date=date(2026, 1, 5),
                        mobile=f"09120000{n:02d}",
                    ),
                )
                for n in range(12)
            ]  # fmt: skip
        with school.read() as session:
            kind = rewards.current_rules(session).kinds[0].id
        for person in people[:3]:
            rewards.claim(school, person, kind, date.today() - timedelta(days=3), "協助鄰校")
        first = base / "school-1.zip"
        sync.export_pack(school, "data", first)
        sync.import_pack(county, first)
        rewards.claim(school, people[3], kind, date.today() - timedelta(days=2), "支援研習")
        waiting = base / "school-2.zip"
        sync.export_pack(school, "data", waiting)
        with county.read() as session:
            entries = rewards.list_entries(session)
        entry_ids = [e.id for e in entries]
        rewards.decide_claims(county, entry_ids[2:3], True, "符合規定")  # listed in proposals
        contact_id = entries[2].contact_id
        backup = county.backup("manual").path
    finally:
        school.close()
        county.close()
    return Profile(base / "county", entry_ids, contact_id, waiting, backup)


def copy_of(profile: Profile, where: Path) -> DataPaths:
    shutil.copytree(profile.root, where)
    for lock in where.glob("schoolhr.lock"):
        lock.unlink()
    return prepare_data_dir(where)


def written_since(paths: DataPaths, marks: tuple[int, int]) -> dict[str, list[tuple[object, ...]]]:
    """Operation-log and audit rows added after ``marks`` (their row ids), with times, paths and
    backup file names (they carry the time) taken out."""
    connection = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
    try:
        log = connection.execute(
            "SELECT kind, summary, ok FROM operation_log WHERE id > ? ORDER BY id", (marks[0],)
        ).fetchall()
        audit = connection.execute(
            "SELECT who, fields, count, without_consent, purpose, file_format, file_name "
            "FROM contact_export_audit WHERE id > ? ORDER BY id",
            (marks[1],),
        ).fetchall()
    finally:
        connection.close()

    def plain(value: object) -> object:
        if not isinstance(value, str):
            return value
        value = value.replace(str(paths.root), "<資料夾>")
        return re.sub(r"schoolhr-\d{8}-\d{6}(-\d+)?-", "schoolhr-<時間>-", value)

    return {
        "log": [tuple(plain(v) for v in row) for row in log],
        "audit": [tuple(plain(v) for v in row) for row in audit],
    }


def marks(paths: DataPaths, database: Path | None = None) -> tuple[int, int]:
    source = database or paths.database
    connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        log = connection.execute("SELECT coalesce(max(id), 0) FROM operation_log").fetchone()[0]
        audit = connection.execute(
            "SELECT coalesce(max(id), 0) FROM contact_export_audit"
        ).fetchone()[0]
    finally:
        connection.close()
    return int(log), int(audit)


def backup_reasons(paths: DataPaths) -> list[str]:
    return sorted(b.reason for b in list_backups(paths))


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[[DataPaths], MainWindow]]:
    opened: list[MainWindow] = []

    def make(paths: DataPaths) -> MainWindow:
        window = build_main_window(application(), paths)
        opened.append(window)
        return window

    yield make
    assert wait_for_jobs(30_000)
    QApplication.processEvents()
    for window in opened:
        window.close()
        if window.store is not None:
            window.store.close()
        window.deleteLater()
        window.zoom.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    reset_app_zoom(application())


def run_job(qtbot: QtBot, job: Job | None) -> None:
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=30_000):
        pass


def both(
    profile: Profile,
    tmp_path: Path,
    open_window: Callable[[DataPaths], MainWindow],
    command: Callable[[DataPaths, Path], list[str]],
    in_window: Callable[[MainWindow, Path], None],
    since_backup: Path | None = None,
) -> tuple[dict[str, object], dict[str, object]]:
    """(what the command wrote, what the window wrote)."""
    outcomes = []
    for side in ("cli", "window"):
        paths = copy_of(profile, tmp_path / side / "data")
        out = tmp_path / side / "out"
        out.mkdir()
        before = backup_reasons(paths)
        if side == "cli":
            store = open_profile(paths)  # today's daily backup, as the window's start takes it
            store.close()
            before = backup_reasons(paths)
            start = marks(paths)
            assert cli(["--data-dir", str(paths.root), *command(paths, out)]) == 0
        else:
            window = open_window(paths)
            before = backup_reasons(paths)
            start = marks(paths)
            in_window(window, out)
            assert wait_for_jobs(30_000)
            QApplication.processEvents()
        if since_backup is not None:  # a restore puts back an older log: count from its end
            start = marks(DataPaths(since_backup.parent.parent), since_backup)
        rows: dict[str, object] = dict(written_since(paths, start))
        rows["new backups"] = sorted((Counter(backup_reasons(paths)) - Counter(before)).elements())
        outcomes.append(rows)
    return outcomes[0], outcomes[1]


def test_regroup(profile: Profile, tmp_path: Path, open_window, qtbot: QtBot) -> None:
    def window_side(window: MainWindow, _out: Path) -> None:
        view = window.contacts_page.groups
        view.min_size.setValue(7)
        view.max_size.setValue(9)
        run_job(qtbot, view.build())

    cli_rows, window_rows = both(
        profile, tmp_path, open_window,
        lambda _p, _o: ["contacts", "groups", "build", "--min", "7", "--max", "9"],
        window_side,
    )  # fmt: skip
    assert cli_rows == window_rows
    assert [row[0] for row in cli_rows["log"]] == ["backup", "peer-groups"]
    assert cli_rows["new backups"] == ["pre-regroup"]


def test_export_roster(profile: Profile, tmp_path: Path, open_window, qtbot: QtBot) -> None:
    def prepare(paths: DataPaths) -> None:
        store = open_profile(paths)
        try:
            groups.regroup(store)
        finally:
            store.close()

    base = tmp_path / "grouped"
    grouped = Profile(**{**profile.__dict__, "root": base})
    shutil.copytree(profile.root, base)
    prepare(prepare_data_dir(base))

    def window_side(window: MainWindow, out: Path) -> None:
        view = window.contacts_page.groups
        view.refresh()
        run_job(qtbot, view.export_roster_to(out / "名冊.pdf"))

    cli_rows, window_rows = both(
        grouped, tmp_path, open_window,
        lambda _p, out: ["contacts", "groups", "roster", "-o", str(out / "名冊.pdf")],
        window_side,
    )  # fmt: skip
    assert cli_rows == window_rows
    assert len(cli_rows["audit"]) == 1 and cli_rows["audit"][0][0] == "範例縣人事處（縣市人事處）"
    assert [row[0] for row in cli_rows["log"]] == ["roster-export"]


def test_export_contacts(profile: Profile, tmp_path: Path, open_window, qtbot: QtBot) -> None:
    def window_side(window: MainWindow, out: Path) -> None:
        page = window.contacts_page
        page.refresh()
        run_job(qtbot, page.export_to(out / "通訊錄.csv", FIELDS, "研習通知", "csv", False))

    cli_rows, window_rows = both(
        profile, tmp_path, open_window,
        lambda _p, out: [
            "contacts", "export", "--format", "csv", "-o", str(out / "通訊錄.csv"),
            "--purpose", "研習通知", "--fields", ",".join(FIELDS),
        ],
        window_side,
    )  # fmt: skip
    assert cli_rows == window_rows
    assert cli_rows["audit"][0][0] == "範例縣人事處（縣市人事處）"
    assert cli_rows["audit"][0][2] == 12
    assert [row[0] for row in cli_rows["log"]] == ["contacts-export"]


@pytest.mark.parametrize("verb", ["approve", "reject"])
def test_decide(profile: Profile, tmp_path: Path, open_window, verb: str) -> None:
    ids = profile.entry_ids[:2]

    def window_side(window: MainWindow, _out: Path) -> None:
        window.rewards_page.decide_ids(ids, verb == "approve", "依規定審查")

    cli_rows, window_rows = both(
        profile, tmp_path, open_window,
        lambda _p, _o: ["rewards", verb, *map(str, ids), "--reason", "依規定審查"],
        window_side,
    )  # fmt: skip
    assert cli_rows == window_rows
    assert [row[0] for row in cli_rows["log"]] == ["rewards-decision"]
    assert "範例縣人事處（縣市人事處）" in str(cli_rows["log"][0][1])


def test_adjust_proposal(
    profile: Profile, tmp_path: Path, open_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = date.today().year
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("記功一次", True)))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("表現優異", True)))

    def window_side(window: MainWindow, _out: Path) -> None:
        page = window.rewards_page
        page.year.setValue(year)
        page.refresh()
        shown = page.proposals_model.shown()
        rows = [r for r, proposal in enumerate(shown) if proposal.contact_id == profile.contact_id]
        assert rows, "the person is listed"
        page.proposals_table.selectRow(rows[0])
        page.adjust()

    cli_rows, window_rows = both(
        profile, tmp_path, open_window,
        lambda _p, _o: [
            "rewards", "adjust", str(profile.contact_id), "--year", str(year),
            "--proposal", "記功一次", "--reason", "表現優異",
        ],
        window_side,
    )  # fmt: skip
    assert cli_rows == window_rows
    assert [row[0] for row in cli_rows["log"]] == ["rewards-adjustment"]


def test_import_pack(profile: Profile, tmp_path: Path, open_window, qtbot: QtBot) -> None:
    def window_side(window: MainWindow, _out: Path) -> None:
        page = window.sync_page
        run_job(qtbot, page.plan_file(profile.school_pack, confirm=False))
        assert page.last_plan is not None
        run_job(qtbot, page.apply(page.last_plan))

    cli_rows, window_rows = both(
        profile, tmp_path, open_window,
        lambda _p, _o: ["pack", "import", str(profile.school_pack)],
        window_side,
    )  # fmt: skip
    assert cli_rows == window_rows
    assert [row[0] for row in cli_rows["log"]] == ["backup", "pack-import"]
    assert cli_rows["new backups"] == ["pre-import"]


def test_restore(profile: Profile, tmp_path: Path, open_window, qtbot: QtBot) -> None:
    def window_side(window: MainWindow, _out: Path) -> None:
        page = window.backups_page
        chosen = next(b for b in list_backups(window.paths) if b.path.name == profile.backup.name)
        run_job(qtbot, page.restore(chosen))

    cli_rows, window_rows = both(
        profile, tmp_path, open_window,
        lambda paths, _o: ["restore", str(paths.backups / profile.backup.name)],
        window_side,
        since_backup=profile.backup,
    )  # fmt: skip
    assert cli_rows == window_rows
    assert [row[0] for row in cli_rows["log"]][-1] == "restore"
    assert "pre-restore" in cli_rows["new backups"]
