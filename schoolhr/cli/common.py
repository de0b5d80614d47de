"""What the command groups share: the profile opened for one command, JSON output, the
argument parser in zh-TW with its shared options (--json, -o, --role, --data-dir), the
subcommands a group registers, the argument types (numbers, dates) and the key passphrase.

Loaded only to parse a command line: a plain start of the window never imports it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schoolhr.errors import UserError, UserFileError
from schoolhr.rocdates import DateError, parse_date
from schoolhr.text import display_width

if TYPE_CHECKING:
    from schoolhr.paths import DataPaths
    from schoolhr.store.database import Store

Command = Callable[[argparse.Namespace, "DataPaths"], int]

SQLITE_MAX_ID = 2**63 - 1  # the largest row id SQLite stores
ENV_PASSPHRASE = "SCHOOLHR_KEY_PASSPHRASE"


@contextmanager
def profile(paths: DataPaths) -> Iterator[Store]:
    """The profile's store, opened as the window opens it (bundled content up to date, search
    index sound) and closed when the block ends, however it ends."""
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        yield store
    finally:
        store.close()


def print_json(value: object) -> None:
    """``value`` as indented JSON with the Chinese as written (not ``\\u`` escapes)."""
    print(json.dumps(value, ensure_ascii=False, indent=2))


def check_output_folder(target: Path) -> None:
    """``UserFileError`` before any work when the folder ``target`` is to be written in is
    missing."""
    if not target.parent.exists():
        raise UserFileError(f"資料夾「{target.parent}」不存在；請確認輸出路徑。")


# -- the parser in zh-TW ----------------------------------------------------------------------


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with the usage line headed in zh-TW, and its columns lined up by the
    width a terminal gives the text (a Chinese character takes two columns, where argparse
    counts one)."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            width = display_width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        wide = display_width(header)
        help_position = min(self._action_max_length + 2, self._max_help_position)
        action_width = help_position - self._current_indent - 2
        if wide == len(header) or not action.help or len(header) > action_width:
            return text  # argparse's own layout is right (or already on two lines)
        first, _, rest = text.partition("\n")
        start = " " * self._current_indent + header
        help_text = first[len(start) :].lstrip(" ")
        if wide <= action_width:
            first = start + " " * (action_width - wide + 2) + help_text
        else:
            first = start + "\n" + " " * help_position + help_text
        return first + "\n" + rest


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words (headings, ``-h``) are zh-TW, with the options the
    commands share; the subcommands' parsers are of this class too (``add_subparsers`` makes
    them of the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置參數"
        self._optionals.title = "選項"
        self.add_argument("-h", "--help", action="help", help="顯示這段說明後結束")

    def json_option(self) -> None:
        self.add_argument("--json", action="store_true", help="以 JSON 輸出")

    def output_option(self, help: str, *, metavar: str = "檔案", required: bool = True) -> None:
        self.add_argument(
            "-o", "--output", type=Path, required=required, metavar=metavar, help=help
        )

    def data_dir_option(self, help: str, *, dest: str = "data_dir") -> None:
        self.add_argument("--data-dir", dest=dest, metavar="資料夾", help=help)

    def role_option(self, help: str) -> None:
        self.add_argument("--role", choices=["school", "county"], help=help)


class Subcommands:
    """The subcommands of ``schoolhr`` or of one of its command groups."""

    def __init__(self, parser: Parser, metavar: str, *, required: bool = False) -> None:
        self._choices = parser.add_subparsers(title="子命令", metavar=metavar, required=required)

    def command(self, name: str, help: str, *, func: Command, **defaults: Any) -> Parser:
        """A subcommand ``name`` run by ``func``; ``help`` is both its line in the parent's list
        and the description its own ``--help`` starts with."""
        parser = self._choices.add_parser(name, help=help, description=help)
        parser.set_defaults(func=func, **defaults)
        return parser

    def group(self, name: str, help: str) -> Subcommands:
        """A command group ``name`` (``schoolhr faq …``): the subcommands to add its actions
        to."""
        parser = self._choices.add_parser(name, help=help, description=help)
        return Subcommands(parser, "動作", required=True)


# -- values -----------------------------------------------------------------------------------


def bounded(lowest: int, highest: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number in ``lowest..highest``, refused with a zh-TW sentence
    (exit 2) before it reaches the database, where a number beyond 64 bits cannot be bound."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"「{text[:40]}」不是整數（{what}）") from None
        if not lowest <= value <= highest:
            raise argparse.ArgumentTypeError(
                f"{what}「{text[:40]}」超出範圍（{lowest:,}～{highest:,}）"
            )
        return value

    parse.__name__ = what  # argparse names the type in its own messages
    return parse


record_id = bounded(1, SQLITE_MAX_ID, "編號")
calendar_year = bounded(1912, 9999, "西元年")
count = bounded(1, 1_000_000, "數量")
points = bounded(-1_000_000, 1_000_000, "積點")
seed = bounded(0, 2**32 - 1, "亂數種子")


def day(text: str) -> date:
    """An argparse type: a date, ROC (115/6/15) or Western (2026-06-15)."""
    try:
        return parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


# -- asking -----------------------------------------------------------------------------------


def passphrase(prompt: str, confirm: bool = False) -> str:
    """The signing key's passphrase: from ``SCHOOLHR_KEY_PASSPHRASE``, else typed (twice with
    ``confirm``) at the terminal."""
    import getpass
    import os

    value = os.environ.get(ENV_PASSPHRASE)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"請在終端機輸入密碼，或設定環境變數 {ENV_PASSPHRASE}。")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("再輸入一次：") != value:
        raise UserError("兩次輸入的密碼不同，未產生金鑰。")
    return value
