"""One running app per data folder; a second start wakes the first; a crashed run's lock is
taken over."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from schoolhr.paths import DataPaths, prepare_data_dir
from schoolhr.ui.single_instance import SingleInstance

HOLD_LOCK = """
import sys, time
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
print("locked" if lock.tryLock(0) else "not locked", flush=True)
time.sleep(60)
"""


@pytest.fixture
def instances() -> Iterator[list[SingleInstance]]:
    """Instances made by the test, released at its end whatever happened."""
    made: list[SingleInstance] = []
    yield made
    for instance in made:
        instance.release()


def test_second_start_is_refused_and_wakes_the_first(
    qtbot: QtBot, data_paths: DataPaths, instances: list[SingleInstance]
) -> None:
    first = SingleInstance(data_paths)
    second = SingleInstance(data_paths)
    instances += [first, second]
    assert first.acquire() is True

    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        assert second.acquire() is False

    assert data_paths.lock_file.exists()


def test_before_it_listens_the_lock_alone_keeps_a_second_start_out(
    qtbot: QtBot, data_paths: DataPaths, instances: list[SingleInstance]
) -> None:
    """The app takes the lock before its window shows and answers later starts only once
    shown: a start in between is refused all the same; after ``listen`` it wakes the first."""
    first = SingleInstance(data_paths)
    early = SingleInstance(data_paths)
    later = SingleInstance(data_paths)
    instances += [first, early, later]
    woken: list[bool] = []
    first.activation_requested.connect(lambda: woken.append(True))
    assert first.acquire(listen=False) is True

    assert early.acquire() is False
    QApplication.processEvents()
    assert woken == []

    first.listen()
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        assert later.acquire() is False


def test_a_different_data_folder_gets_its_own_instance(
    tmp_path: Path, data_paths: DataPaths, instances: list[SingleInstance]
) -> None:
    other_paths = prepare_data_dir(tmp_path / "other")
    first = SingleInstance(data_paths)
    other = SingleInstance(other_paths)
    instances += [first, other]

    assert first.acquire() is True
    assert other.acquire() is True


def test_released_instance_lets_the_next_start_run(
    data_paths: DataPaths, instances: list[SingleInstance]
) -> None:
    first = SingleInstance(data_paths)
    assert first.acquire() is True
    first.release()
    assert not data_paths.lock_file.exists()

    again = SingleInstance(data_paths)
    instances.append(again)
    assert again.acquire() is True


def test_lock_left_by_a_killed_process_is_taken_over(
    data_paths: DataPaths, instances: list[SingleInstance]
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(data_paths.lock_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"

        while_alive = SingleInstance(data_paths)
        instances.append(while_alive)
        assert while_alive.acquire() is False  # the lock is real while its process lives
    finally:
        holder.kill()  # SIGKILL: the process cannot clean up its lock file
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert data_paths.lock_file.exists()  # left behind, as after a crash

    after_crash = SingleInstance(data_paths)
    instances.append(after_crash)
    assert after_crash.acquire() is True
