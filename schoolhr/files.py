"""Safe file writing: a file appears complete or not at all, and personal data is never readable
by others, not even for a moment.

Every write goes to a temporary file beside the target (same folder, so the rename is atomic),
which is synced and then renamed over the target; anything going wrong removes the temporary
file and leaves the old target as it was. With ``private=True`` the temporary file is created
readable and writable by its owner only (0o600 on POSIX; Windows has no such mode bits) before
a byte is written, so the finished file never had a moment of being world-readable. Every
export of personal data (contacts, peer groups, rewards, certificates, the diagnostic zip,
backups, packs, private keys) is written private.

- ``atomic_output``: a binary handle to stream into; errors become ``UserFileError`` (zh-TW).
- ``write_atomically``: the same for bytes already in memory.
- ``atomic_path``: the temporary file's path, for writers that take a path (SQLite's backup
  API, ``zipfile``); errors are raised as they are, for the caller to explain.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from schoolhr.errors import UserFileError

__all__ = ["atomic_output", "atomic_path", "write_atomically", "write_error"]

PRIVATE_MODE = 0o600
_SHARED_MODE = 0o666  # less the umask, as open() does
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


@contextlib.contextmanager
def atomic_path(
    target: Path, *, private: bool = False, partial: Path | None = None
) -> Iterator[Path]:
    """The path of an empty temporary file (``partial``, or a hidden name beside ``target``)
    to write by path; once the block ends without an exception it is synced and replaces
    ``target``. On any exception the temporary file is removed and the exception raised."""
    partial = partial or _partial_for(target)
    mode = PRIVATE_MODE if private else _SHARED_MODE
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, mode))
    try:
        yield partial
        _fsync(partial)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    _fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_output(target: Path, *, private: bool = False) -> Iterator[BinaryIO]:
    """A binary file that replaces ``target`` only once everything was written and synced.
    ``OSError`` becomes ``UserFileError`` in zh-TW (``write_error``)."""
    try:
        with atomic_path(target, private=private) as partial, partial.open("r+b") as handle:
            yield handle
    except OSError as exc:
        raise write_error(target, exc) from exc


def write_atomically(target: Path, data: bytes, *, private: bool = False) -> None:
    """Replace ``target`` with ``data`` (see ``atomic_output``)."""
    with atomic_output(target, private=private) as handle:
        handle.write(data)


def write_error(target: Path, exc: OSError) -> UserFileError:
    """What went wrong saving ``target``, in zh-TW, with what to do about it."""
    name = target.name
    if isinstance(exc, FileNotFoundError):
        return UserFileError(
            f"無法儲存「{name}」：資料夾「{target.parent}」不存在。請選擇其他位置。"
        )
    if isinstance(exc, PermissionError):
        return UserFileError(
            f"無法儲存「{name}」：檔案可能正在 Excel 或其他程式中開啟，或這個資料夾不允許寫入。"
            "請關閉該檔案或選擇其他位置後再試一次。"
        )
    if exc.errno == errno.ENOSPC:
        return UserFileError(f"無法儲存「{name}」：磁碟空間不足。請清出空間或選擇其他位置。")
    return UserFileError(f"無法儲存「{name}」：{exc.strerror or exc}。請選擇其他位置後再試一次。")


def _partial_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS journals the rename
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
