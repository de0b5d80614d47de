"""Exit codes mean what README.md says: a refused input is 11 (or a more specific code), 10 is
a bug and nothing else, a closed output pipe is a normal end, and a log that cannot be written
says so once, in one line, instead of a traceback per record.

Most cases run the real command in a child process, as a clerk or a script calls it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from schoolhr.cli import main
from schoolhr.errors import ExitCode, UserError, UserFileError
from schoolhr.paths import ENV_DATA_DIR, DataPaths

BEYOND_INT64 = str(2**63)  # one more than SQLite's largest integer


def run(
    data_dir: Path, *args: str, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV_DATA_DIR: str(data_dir), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "schoolhr", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_plain_user_error_is_refused_not_a_bug() -> None:
    assert UserError("x").exit_code == ExitCode.REFUSED
    assert int(ExitCode.REFUSED) == 11
    assert UserFileError("x").exit_code == ExitCode.FILE
    assert int(ExitCode.INTERNAL) == 10


def test_a_refused_value_exits_11_with_one_sentence(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["rewards", "add", "424242", "--kind", "x", "--date", "2025-03-01", "--reason", "r"]
    )
    err = capsys.readouterr().err
    assert code == ExitCode.REFUSED, err
    assert "Traceback" not in err and err.strip().count("\n") == 0


@pytest.mark.parametrize(
    "args",
    [
        ("rewards", "add", BEYOND_INT64, "--kind", "x", "--date", "2025-03-01", "--reason", "r"),
        ("rewards", "history", BEYOND_INT64),
        ("rewards", "approve", "1", BEYOND_INT64, "--reason", "r"),
        ("rewards", "summary", "--year", "99999999999999999999999"),
        ("faq", "answer", BEYOND_INT64, "leave-1"),
        ("checklist", "print", "any", "--run", BEYOND_INT64, "-o", "x.pdf"),
        ("faq", "search", "請假", "--limit", "-5"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_numbers_beyond_their_range_are_usage_errors(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    err = capsys.readouterr().err
    assert exit_info.value.code == ExitCode.USAGE
    assert "超出範圍" in err or "不是整數" in err
    assert "Traceback" not in err and "OverflowError" not in err


def test_an_id_beyond_64_bits_in_a_real_process(tmp_path: Path) -> None:
    result = run(tmp_path / "data", "rewards", "history", BEYOND_INT64)
    assert result.returncode == ExitCode.USAGE
    assert "超出範圍" in result.stderr and "Traceback" not in result.stderr


def test_a_closed_output_pipe_is_a_normal_end(tmp_path: Path) -> None:
    # GIVEN a reader that goes away before the command writes (`… --json | head -c 0`)
    env = {**os.environ, ENV_DATA_DIR: str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}
    for _ in range(3):
        child = subprocess.Popen(
            [sys.executable, "-m", "schoolhr", "faq", "search", "請假", "--json", "--limit", "50"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()  # every write now fails with EPIPE
        err = child.stderr.read().decode("utf-8")
        # THEN the command ends as any Unix tool does: exit 0, nothing on stderr
        assert child.wait(timeout=120) == ExitCode.OK, err
        assert err == ""


def test_a_pipe_closed_midway_in_process(
    data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    class ClosedPipe:
        def write(self, _text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise ValueError("not a real file")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["faq", "search", "請假", "--json"]) == ExitCode.OK


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_log_that_cannot_be_written_says_so_once(tmp_path: Path) -> None:
    # GIVEN a profile whose log file sits on a full disk
    data = tmp_path / "data"
    assert run(data, "site").returncode == ExitCode.OK
    log_file = data / "logs" / "schoolhr.log"
    log_file.unlink()
    log_file.symlink_to("/dev/full")

    # WHEN commands that log warnings run (a refused value is logged as a warning)
    for _ in range(2):
        result = run(
            data, "rewards", "add", "424242", "--kind", "x", "--date", "2025-03-01", "--reason", "r"
        )
        # THEN each says once, in one line, that the log cannot be written; no traceback
        assert result.returncode == ExitCode.REFUSED
        assert result.stderr.count("無法寫入記錄檔") == 1, result.stderr
        assert "Traceback" not in result.stderr and "Logging error" not in result.stderr


def test_a_bug_without_a_log_file_does_not_claim_the_log_has_it(tmp_path: Path) -> None:
    # GIVEN a command that needs no data folder (so no log file) and fails on a bug
    script = (
        "import sys, schoolhr.content.files as f\n"
        "def broken(directory):\n"
        "    raise RuntimeError('a bug')\n"
        "f.read_content = broken\n"
        "from schoolhr.cli import main\n"
        f"sys.exit(main(['content', 'check', {str(tmp_path)!r}]))\n"
    )
    env = {**os.environ, ENV_DATA_DIR: str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    # THEN exit 10 (a bug), the traceback is shown, and no log file is named
    assert result.returncode == ExitCode.INTERNAL
    assert "RuntimeError: a bug" in result.stderr
    assert "記錄檔無法使用" in result.stderr and "已寫入記錄檔" not in result.stderr
