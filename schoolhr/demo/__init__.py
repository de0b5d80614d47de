"""The workshop demo profile: a fictional county (範例縣) in its own data folder.

``is_demo_profile`` is one file-system look (the window calls it at start-up to show
「示範模式」); ``build_demo`` imports the database layer only when called.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from schoolhr.demo.marker import default_demo_dir, is_demo_profile
from schoolhr.paths import DataPaths

if TYPE_CHECKING:
    from schoolhr.demo.builder import DemoResult

__all__ = ["build_demo", "default_demo_dir", "is_demo_profile"]


def build_demo(
    paths: DataPaths,
    *,
    reset: bool,
    today: date | None = None,
    role: str | None = None,
    protect: tuple[Path, ...] = (),
) -> DemoResult:
    """Create (or with ``reset`` rebuild) the demo profile in ``paths.root``; ``role`` None
    keeps the role of the demo being reset. See ``schoolhr.demo.builder.build_demo``."""
    from schoolhr.demo import builder

    return builder.build_demo(paths, reset=reset, today=today, role=role, protect=protect)
