import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from schoolhr import __version__
from schoolhr.cli import main
from schoolhr.errors import ExitCode
from schoolhr.paths import ENV_DATA_DIR, DataPaths
from schoolhr.store.backup import list_backups
from schoolhr.store.database import open_store, update_site
from tests.helpers import fill_operation_log, flip_bytes


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"schoolhr {__version__}"


def test_doctor_on_a_new_data_folder_creates_a_healthy_database(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", "--json"]) == ExitCode.OK
    report = json.loads(capsys.readouterr().out)
    assert report["healthy"] is True
    assert report["integrity_check"] == [] and report["quick_check"] == []
    assert report["schema_revision"] == report["schema_head"]
    assert report["role"] == "school" and len(report["site_uuid"]) == 36
    assert report["data_dir"] == str(data_paths.root)


def test_doctor_reports_a_damaged_database(
    data_paths: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a copy of a real database with bytes flipped, as a failing disk would leave it
    store = open_store(data_paths)
    store.close()
    fill_operation_log(data_paths.database)
    damaged = DataPaths(tmp_path / "damaged")
    damaged.root.mkdir()
    shutil.copy(data_paths.database, damaged.database)
    flip_bytes(damaged.database)
    before = damaged.database.read_bytes()

    # WHEN the doctor looks at it
    code = main(["--data-dir", str(damaged.root), "doctor"])

    # THEN it says so in zh-TW, exits non-zero, and has not written to the file
    out = capsys.readouterr().out
    assert code == ExitCode.UNHEALTHY
    assert "狀態：有問題" in out and "還原" in out
    assert damaged.database.read_bytes() == before


def test_backup_then_restore_round_trip(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(data_paths)
    update_site(store, name="嘉義縣立甲國小")
    store.close()
    assert main(["backup"]) == ExitCode.OK
    backup = list_backups(data_paths)[0]
    assert str(backup.path) in capsys.readouterr().out

    store = open_store(data_paths)
    update_site(store, name="改過的名字")
    store.close()
    assert main(["restore", str(backup.path)]) == ExitCode.OK
    assert "已由" in capsys.readouterr().out

    store = open_store(data_paths)
    assert store.site().name == "嘉義縣立甲國小"
    store.close()


def test_a_newer_schema_database_is_refused_with_a_clear_message(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(data_paths).close()
    connection = sqlite3.connect(data_paths.database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999_future'")
    connection.close()

    assert main(["backup"]) == ExitCode.DATABASE_NEWER
    err = capsys.readouterr().err
    assert "較新版本" in err and "Traceback" not in err
    assert err.count("\n") == 1, "one sentence, no traceback"


def test_restore_of_a_missing_file_says_so_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["restore", str(tmp_path / "nope.sqlite3")]) == ExitCode.FILE
    err = capsys.readouterr().err
    assert "找不到備份檔" in err and "Traceback" not in err


def test_a_data_dir_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert main(["--data-dir", str(blocker), "doctor"]) == ExitCode.DATA_DIR
    assert "不是資料夾" in capsys.readouterr().err


def test_site_command_sets_name_and_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "--name", "  花蓮縣  人事處 ", "--role", "county"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "單位：花蓮縣 人事處" in out and "角色：縣市人事處" in out


def test_an_unexpected_error_is_logged_not_shown(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(paths: DataPaths) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("schoolhr.doctor.run_doctor", broken)
    assert main(["doctor"]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "記錄檔" in err and "Traceback" not in err
    assert "RuntimeError: a bug" in data_paths.log_file.read_text(encoding="utf-8")


def test_self_test_runs_headless_in_a_fresh_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schoolhr", "--data-dir", str(tmp_path / "st"), "self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "主視窗：正常開啟與關閉" in result.stdout and "狀態：正常" in result.stdout
    assert "內嵌字型" in result.stdout and "QtPdf" in result.stdout


def test_a_command_leaves_the_data_folder_variable_alone(
    data_paths: DataPaths, tmp_path: Path
) -> None:
    # WHEN a command runs on another profile than SCHOOLHR_DATA_DIR names
    assert main(["--data-dir", str(tmp_path / "other"), "site"]) == ExitCode.OK
    # THEN the variable still names the one the user chose: the profile travels as DataPaths
    assert os.environ[ENV_DATA_DIR] == str(data_paths.root)
