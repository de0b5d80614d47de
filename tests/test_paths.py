from pathlib import Path

import pytest

from schoolhr.errors import DataDirError
from schoolhr.paths import (
    ENV_DATA_DIR,
    is_network_path,
    network_fs_type,
    prepare_data_dir,
    resolve_data_dir,
)

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/hr /mnt/county cifs rw,vers=3.0 0 0
server:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/county/local ext4 rw 0 0
"""


def test_the_command_line_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "cli") == (tmp_path / "cli").resolve()
    assert resolve_data_dir(None) == (tmp_path / "env").resolve()


def test_without_settings_the_platform_user_folder_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR)
    chosen = resolve_data_dir(None)
    assert "SchoolHR" in str(chosen)
    assert Path(__file__).resolve().parents[1] not in chosen.parents  # never the install folder


def test_network_mounts_are_recognised() -> None:
    assert network_fs_type(Path("/mnt/county/2026"), MOUNTS)
    assert network_fs_type(Path("/mnt/nfs"), MOUNTS)
    assert not network_fs_type(Path("/home/clerk/data"), MOUNTS)
    assert not network_fs_type(Path("/mnt/county/local/data"), MOUNTS)  # a local disk inside


def test_unc_paths_are_network_paths() -> None:
    assert is_network_path(Path("//fileserver/share/SchoolHR"))


def test_a_data_folder_on_a_network_share_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("schoolhr.paths.is_network_path", lambda path: True)
    with pytest.raises(DataDirError, match="網路磁碟"):
        prepare_data_dir(Path("/mnt/county/SchoolHR"))


def test_prepare_creates_the_folders(tmp_path: Path) -> None:
    paths = prepare_data_dir(tmp_path / "new")
    assert paths.backups.is_dir() and paths.logs.is_dir()
