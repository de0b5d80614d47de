"""Where SchoolHR keeps its data and finds its bundled resources.

The data folder is, in order: ``--data-dir``, the ``SCHOOLHR_DATA_DIR`` environment variable,
or the user's local application-data folder (platformdirs; on Windows
``%LOCALAPPDATA%\\SchoolHR``). It is never the install folder, and the live database is never
kept on a network share, where SQLite's locking cannot be trusted.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from schoolhr import APP_ID
from schoolhr.errors import DataDirError

ENV_DATA_DIR = "SCHOOLHR_DATA_DIR"
DATABASE_NAME = "schoolhr.sqlite3"

# File-system types whose locking SQLite's WAL mode cannot rely on.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "davfs",
        "webdav",
    }
)


class _Below:
    """A path below the profile's root: ``paths.logs`` is ``paths.root / "logs"``."""

    def __init__(self, *parts: str) -> None:
        self.parts = parts

    def __get__(self, paths: DataPaths, owner: type[DataPaths]) -> Path:
        return paths.root.joinpath(*self.parts)


@dataclass(frozen=True)
class DataPaths:
    """Every file the app writes, below one data folder (one profile)."""

    root: Path

    database = _Below(DATABASE_NAME)
    backups = _Below("backups")
    logs = _Below("logs")
    log_file = _Below("logs", "schoolhr.log")
    settings_file = _Below("settings.ini")
    lock_file = _Below("schoolhr.lock")
    # Files that live only while the window shows them (the PDF behind a print preview). They
    # hold names and answers, so they stay in the profile and are removed when done.
    temporary = _Below("tmp")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data folder chosen by the command line, the environment or the platform."""
    chosen = cli_value or os.environ.get(ENV_DATA_DIR) or default_data_dir()
    return Path(chosen).expanduser().resolve()


def prepare_data_dir(root: Path) -> DataPaths:
    """Create the data folder if needed and check that the live database may live there."""
    if root.exists() and not root.is_dir():
        raise DataDirError(f"資料夾路徑「{root}」是一個檔案，不是資料夾；請改用其他路徑。")
    if is_network_path(root):
        raise DataDirError(
            f"資料夾「{root}」位於網路磁碟。資料庫放在網路磁碟上可能損毀，"
            "請改用本機資料夾（例如預設的使用者資料夾）。"
        )
    paths = DataPaths(root)
    make_folder(root, "資料夾")
    make_folder(paths.backups, "備份資料夾")
    make_folder(paths.logs, "記錄資料夾")
    if not os.access(root, os.W_OK):
        raise DataDirError(f"資料夾「{root}」沒有寫入權限；請改用其他資料夾或洽電腦管理人員。")
    return paths


def make_folder(folder: Path, label: str) -> None:
    """Create ``folder`` (a folder of the profile, called ``label`` in messages) if needed;
    ``DataDirError`` naming that very folder when a file is in its place or it cannot be made."""
    if folder.exists() and not folder.is_dir():
        raise DataDirError(
            f"{label}「{folder}」的位置上是一個檔案，不是資料夾，學校人事小幫手無法在裡面存放檔案；"
            f"沒有任何資料被變更。請把這個檔案改名或移到別處（程式會重新建立{label}）後再試一次。"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"無法建立{label}「{folder}」（{exc.strerror or exc}）；請確認路徑正確且有寫入權限。"
        ) from exc


def require_writable(paths: DataPaths) -> None:
    """``DataDirError`` (exit code 3) when ``read_only_problem`` finds something read-only."""
    problem = read_only_problem(paths)
    if problem is not None:
        raise DataDirError(problem)


def read_only_problem(paths: DataPaths) -> str | None:
    """A zh-TW sentence when something the app must write is read-only: the data folder, the
    database file (or its -wal/-shm beside it), the backups or logs folder. None when all of
    it can be written."""
    candidates = [
        (paths.root, "資料夾"),
        (paths.database, "資料庫檔案"),
        (Path(f"{paths.database}-wal"), "資料庫的記錄檔"),
        (Path(f"{paths.database}-shm"), "資料庫的共用檔"),
        (paths.backups, "備份資料夾"),
        (paths.logs, "記錄資料夾"),
    ]
    for path, label in candidates:
        if path.exists() and not os.access(path, os.W_OK):
            return (
                f"{label}「{path}」是唯讀的，學校人事小幫手無法寫入，沒有任何資料被變更。"
                "請在檔案總管對它按右鍵 →「內容」，取消勾選「唯讀」；"
                "若是公用電腦的權限設定，請洽電腦管理人員。"
            )
    return None


def is_network_path(path: Path) -> bool:
    """True when ``path`` (or the nearest existing parent) lies on a network share."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        return _windows_drive_is_remote(path)
    mounts = Path("/proc/self/mounts")
    if mounts.exists():
        try:
            return network_fs_type(path, mounts.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return False
    return False


def network_fs_type(path: Path, mounts_text: str) -> bool:
    """Whether the mount holding ``path`` in a ``/proc/mounts`` listing is a network one."""
    best_point, best_type = "", ""
    target = str(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best_point):
            best_point, best_type = point, fields[2]
    return best_type in NETWORK_FS_TYPES


def _windows_drive_is_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = path.drive or str(path)[:2]
    if not drive:
        return False
    drive_remote = 4
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return bool(kernel32.GetDriveTypeW(drive + "\\") == drive_remote)


def resources_dir() -> Path:
    """The bundled ``resources/`` folder: in a PyInstaller bundle or beside the package."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
