"""The window: what ``schoolhr`` with no subcommand starts.

A plain start imports this module and nothing else of the command line (see ``_plain_start``
in ``schoolhr.cli``): keep it free of argparse, SQLAlchemy and Qt at import time.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from schoolhr.errors import ExitCode

if TYPE_CHECKING:
    import argparse

    from schoolhr.paths import DataPaths


def start_window(args: argparse.Namespace, paths: DataPaths) -> int:
    """Open the main window on the profile ``paths``; the pre-window checks of the database
    run in plain sqlite3 on their own thread while Qt loads."""
    from schoolhr.display import display_problem

    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return int(ExitCode.NO_DISPLAY)
    from schoolhr.store.checks import BackgroundCheck

    checks = BackgroundCheck(paths)  # plain sqlite3, while Qt loads
    from schoolhr.ui.app import run_gui

    return run_gui(paths, checks)
