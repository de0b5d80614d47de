"""Two instances, stale locks and a data folder on a network path: refused or recovered as
designed.

- Two processes writing one profile at once (the window and a command, which takes no lock)
  both finish: writes begin IMMEDIATE and wait their turn, none fails, none is lost.
- The real app started twice: the second start says the app is open and exits; after the
  first is killed (SIGKILL: its lock file and write-ahead log stay), the next start takes the
  lock over and the database opens with every committed write.
- A lock file left empty (the machine lost power while writing it) or written on another PC
  (a copied data folder) must not keep the app out for ever.
- A data folder on a network share (here: a local path whose link leads onto a CIFS mount)
  is refused before anything is created, by the command line and the window alike.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import schoolhr.paths
from schoolhr.cli import main
from schoolhr.contacts.models import Contact
from schoolhr.contacts.records import ContactRecord
from schoolhr.contacts.service import save_contact
from schoolhr.errors import ExitCode
from schoolhr.paths import DataPaths
from schoolhr.store.database import Store, open_store
from schoolhr.store.models import OperationLog
from schoolhr.ui.single_instance import SingleInstance
from tests.reliability.support import Figures, Send, integrity_problems, start_child, wait_child

WRITES = 150


def _writer(store: Store, label: str) -> Callable[[Send], None]:
    def work(_send: Send) -> None:
        for number in range(WRITES):
            store.log_operation("instances", f"{label}-{number}")
        store.close()

    return work


def test_two_processes_writing_one_profile_both_finish_and_lose_nothing(
    profile: DataPaths,
    figures: Figures,
) -> None:
    store = open_store(profile, daily_backup=False)
    store.engine.dispose()  # no connection crosses the fork
    try:
        started = time.perf_counter()
        children = [start_child(_writer(store, label)) for label in ("window", "command")]
        runs = [wait_child(pid, fd, timeout_s=60) for pid, fd in children]
        seconds = time.perf_counter() - started
        assert [run.error for run in runs] == [None, None], "a writer failed (database locked?)"
        assert [run.status for run in runs] == [0, 0]
        with store.read() as session:
            query = select(OperationLog.summary).where(OperationLog.kind == "instances")
            rows = set(session.scalars(query))
        expected = {f"{label}-{n}" for label in ("window", "command") for n in range(WRITES)}
        assert rows == expected
    finally:
        store.close()
    assert integrity_problems(profile.database) == []
    figures.add(
        f"two writers on one profile: 2 x {WRITES} transactions at once in {seconds:.1f} s, "
        "0 lock errors, 0 lost writes"
    )


def _app(data: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "schoolhr", "--data-dir", str(data), *extra]


def test_a_second_start_is_refused_and_a_killed_first_leaves_nothing_in_the_way(
    qtbot: QtBot, profile: DataPaths, figures: Figures
) -> None:
    store = open_store(profile, daily_backup=False)
    try:
        with store.write() as session:
            save_contact(session, ContactRecord(name="王小明", school="桃源國小"))
    finally:
        store.close()
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen(_app(profile.root), env=environment, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not (profile.lock_file.exists() and _usable(profile)):
            assert first.poll() is None, "the first start ended by itself"
            assert time.monotonic() < deadline, "the first start never became usable"
            time.sleep(0.1)

        second = subprocess.run(
            _app(profile.root), env=environment, capture_output=True, text=True, timeout=30
        )
        assert second.returncode == ExitCode.OK
        assert "已經開啟" in second.stderr
        assert first.poll() is None  # the first one is still running
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        if first.stderr is not None:
            first.stderr.close()
    assert profile.lock_file.exists()  # left behind, as after a crash

    instance = SingleInstance(profile)
    try:
        assert instance.acquire() is True  # taken over: its process is gone
        store = open_store(profile, daily_backup=False)
        try:
            with store.read() as session:
                assert session.scalars(select(Contact.name)).all() == ["王小明"]
        finally:
            store.close()
    finally:
        instance.release()
    assert integrity_problems(profile.database) == []
    figures.add(
        "two instances: the second start is refused with 「已經開啟」 and exits 0 while the first "
        "runs; after SIGKILL of the first, its stale lock is taken over and the database opens"
    )


def _usable(paths: DataPaths) -> bool:
    """The first start has opened its store (it logged the bundled content's installation)."""
    if not paths.database.exists():
        return False
    try:
        store = open_store(paths, daily_backup=False)
    except Exception:
        return False
    try:
        with store.read() as session:
            kinds = set(session.scalars(select(OperationLog.kind)))
        return "content" in kinds  # the bundled content is installed: the store is open
    finally:
        store.close()


@pytest.mark.parametrize(
    "content",
    [b"", f"4242\nschoolhr\nanother-pc-{socket.gethostname()}\n".encode()],
    ids=["empty lock file", "lock written on another PC"],
)
def test_a_lock_nobody_holds_does_not_keep_the_app_out(
    qtbot: QtBot, data_paths: DataPaths, content: bytes
) -> None:
    data_paths.lock_file.write_bytes(content)
    os.utime(data_paths.lock_file, (0, 0))  # old, too
    instance = SingleInstance(data_paths)
    try:
        assert instance.acquire() is True
    finally:
        instance.release()


CIFS = "//fileserver/share {mount} cifs rw,relatime 0 0\n/dev/sda1 / ext4 rw 0 0\n"


def test_a_data_folder_on_a_network_share_is_refused_before_anything_is_created(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    figures: Figures,
) -> None:
    # A local-looking path whose link leads onto a CIFS mount: the link is followed and the
    # mount recognised, for a command and for the window (no command). (UNC paths are a
    # Windows matter: tests/test_paths.py checks them; on Linux "//server" is just "/server".)
    mount = tmp_path / "mnt" / "county"
    mount.mkdir(parents=True)
    link = tmp_path / "SchoolHR"
    link.symlink_to(mount, target_is_directory=True)
    real = schoolhr.paths.network_fs_type
    mounts = CIFS.format(mount=mount)
    monkeypatch.setattr(schoolhr.paths, "network_fs_type", lambda path, _text: real(path, mounts))
    for command in (["backup"], []):
        assert main(["--data-dir", str(link / "data"), *command]) == ExitCode.DATA_DIR
        assert "網路磁碟" in capsys.readouterr().err
    assert list(mount.iterdir()) == []  # nothing created there
    figures.add(
        "network data folder: a folder reached through a link onto a CIFS mount is refused "
        "(command and window) with exit code 3 and a zh-TW sentence; 0 files created"
    )
