"""Temporary files of one profile: the PDFs behind print previews.

They hold names and answers, so they are kept inside the profile's own ``tmp`` folder (never
the shared system temp folder), each in a folder of its own that is removed when the preview
closes. Folders left by a crash or a power cut are removed the next time the window starts;
only one window runs per profile (``schoolhr.lock``), so anything there at start is stale.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from schoolhr.paths import DataPaths

log = logging.getLogger(__name__)


def new_folder(paths: DataPaths, prefix: str) -> Path:
    """A new private folder below the profile's ``tmp`` folder."""
    paths.temporary.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=paths.temporary))


def remove_folder(folder: Path) -> bool:
    """Remove ``folder`` and what is in it; False (and a log line) when something stayed,
    for example a file another program still holds open on Windows."""
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        log.warning("could not remove the temporary folder %s", folder)
        return False
    return True


def remove_leftovers(paths: DataPaths) -> int:
    """Remove what earlier runs left in the profile's ``tmp`` folder; the number removed.
    Call only while holding the profile's single-instance lock."""
    folder = paths.temporary
    if not folder.is_dir():
        return 0
    removed = 0
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            removed += remove_folder(entry)
        else:
            try:
                entry.unlink()
                removed += 1
            except OSError as exc:
                log.warning("could not remove the temporary file %s: %s", entry, exc)
    if removed:
        log.info("removed %d temporary files left by an earlier run", removed)
    return removed
