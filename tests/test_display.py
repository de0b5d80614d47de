"""Starting the window where there is no desktop: one zh-TW sentence and exit code 8, never
Qt's abort; the commands that need no window keep working."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from schoolhr.display import NO_DISPLAY_MESSAGE, display_problem
from schoolhr.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", NO_DISPLAY_MESSAGE),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", NO_DISPLAY_MESSAGE),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", NO_DISPLAY_MESSAGE),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"DISPLAY": "remote-host:10.0"}, "linux", None),  # ssh -X: Qt's to try
        ({"DISPLAY": ":4242"}, "linux", NO_DISPLAY_MESSAGE),  # no X server answers there
        ({}, "win32", None),
        ({}, "darwin", None),
    ],
)
def test_display_problem(environ: dict[str, str], platform: str, expected: str | None) -> None:
    assert display_problem(environ, platform) == expected


def test_a_local_x_display_that_answers_is_accepted(tmp_path: Path, monkeypatch) -> None:
    number = 4243
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(f"\0/tmp/.X11-unix/X{number}")  # the abstract socket X servers offer
        listener.listen(1)
        assert display_problem({"DISPLAY": f":{number}.0"}, "linux") is None
    finally:
        listener.close()


def test_the_sentence_says_a_desktop_is_needed_and_how_to_try_it() -> None:
    assert "桌面" in NO_DISPLAY_MESSAGE and "xvfb-run" in NO_DISPLAY_MESSAGE


def _run_window(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environ.pop("QT_QPA_PLATFORM", None)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "schoolhr", "--data-dir", str(tmp_path / "data")],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="always a desktop there")
def test_the_window_without_a_display_says_so_and_exits_8(tmp_path: Path) -> None:
    done = _run_window(tmp_path)
    assert done.returncode == ExitCode.NO_DISPLAY == 8
    assert done.stderr.strip() == NO_DISPLAY_MESSAGE


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="always a desktop there")
def test_a_platform_qt_cannot_start_gets_the_same_sentence_not_an_abort(tmp_path: Path) -> None:
    done = _run_window(tmp_path, QT_QPA_PLATFORM="no-such-platform")
    assert done.returncode == 8, done.stderr
    assert NO_DISPLAY_MESSAGE in done.stderr
    assert "Aborted" not in done.stderr and "core dumped" not in done.stderr
    log = (tmp_path / "data" / "logs" / "schoolhr.log").read_text(encoding="utf-8")
    assert "Qt could not start" in log  # Qt's own English words go to the log


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="always a desktop there")
def test_commands_without_a_window_still_work_without_a_display(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-m", "schoolhr", "--data-dir", str(tmp_path / "data"), "doctor"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
