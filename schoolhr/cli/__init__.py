"""The ``schoolhr`` command: no arguments opens the window; subcommands work headless.

One module per command group (``admin``, ``content``, ``faq``, ``checklists``, ``guides``,
``contacts``, ``rewards``, ``packs``), each with ``register(sub)`` beside its handlers;
``common`` holds what they share, ``app`` starts the window. A plain start of the window
(``_plain_start``) imports none of them and builds no parser.

Exit codes are those of ``schoolhr.errors.ExitCode`` (listed in README.md). A mistake the user
can fix prints one zh-TW sentence to stderr; a bug prints where the log file is and logs the
traceback there.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from schoolhr.errors import ExitCode, UserError
from schoolhr.logs import current_log_file, setup_logging
from schoolhr.paths import DataPaths, prepare_data_dir, resolve_data_dir

if TYPE_CHECKING:
    import argparse

    from schoolhr.cli.common import Command

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    from schoolhr import APP_NAME, __version__
    from schoolhr.cli import (
        admin,
        checklists,
        contacts,
        content,
        faq,
        guides,
        packs,
        rewards,
    )
    from schoolhr.cli.app import start_window
    from schoolhr.cli.common import Parser, Subcommands
    from schoolhr.paths import ENV_DATA_DIR

    parser = Parser(
        prog="schoolhr",
        description=f"{APP_NAME}：不加參數即開啟主視窗；子命令可在沒有螢幕時使用。",
    )
    parser.add_argument(
        "--version", action="version", version=f"schoolhr {__version__}", help="顯示版本後結束"
    )
    parser.data_dir_option(f"資料夾（預設為使用者的應用程式資料夾；亦可用環境變數 {ENV_DATA_DIR}）")
    parser.set_defaults(func=start_window)
    sub = Subcommands(parser, "命令")
    for commands in (admin, content, faq, checklists, guides, contacts, rewards, packs):
        commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _plain_start(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        if getattr(args, "needs_data_dir", True):
            paths = prepare_data_dir(resolve_data_dir(args.data_dir))
            setup_logging(paths)
        else:
            paths = DataPaths(resolve_data_dir(args.data_dir))
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return int(exc.exit_code)
    command: Command = args.func
    try:
        code = command(args, paths)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at interpreter exit
        return code
    except BrokenPipeError:
        return _output_closed()
    except UserError as exc:
        log.warning("%s: %s", type(exc).__name__, exc.message)
        print(exc.message, file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("已中斷。", file=sys.stderr)
        return int(ExitCode.CANCELLED)
    except Exception:
        log.exception("unexpected error in %s.%s", command.__module__, command.__name__)
        log_file = current_log_file()
        if log_file is not None:
            print(f"發生未預期的錯誤，詳細內容已寫入記錄檔：{log_file}", file=sys.stderr)
        else:  # no log file (a command without a data folder, or the log cannot be written)
            print("發生未預期的錯誤（程式的問題）；記錄檔無法使用，詳細內容如上。", file=sys.stderr)
        return int(ExitCode.INTERNAL)


def _plain_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """A plain start of the window (no arguments, or only ``--data-dir``): the arguments as the
    parser would give them, without building it (it has every subcommand). The garbage
    collector is held off while the window starts; ``ui.app`` lets it run again (and freezes
    what start-up made) once the store is open. None for anything else."""
    if not argv:
        data_dir = None
    elif len(argv) == 2 and argv[0] == "--data-dir" and not argv[1].startswith("-"):
        data_dir = argv[1]
    elif len(argv) == 1 and argv[0].startswith("--data-dir=") and len(argv[0]) > 11:
        data_dir = argv[0].removeprefix("--data-dir=")
    else:
        return None
    import gc
    from types import SimpleNamespace

    from schoolhr.cli.app import start_window

    gc.disable()
    return cast("argparse.Namespace", SimpleNamespace(data_dir=data_dir, func=start_window))


def _output_closed() -> int:
    """The reader of our output went away (``schoolhr … --json | head``): a normal end, as for
    any Unix tool. What is still buffered goes nowhere instead of failing at exit."""
    log.info("standard output closed by its reader")
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass
    return int(ExitCode.OK)
