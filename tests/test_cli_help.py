"""Every ``--help`` of the command line is zh-TW: each command and option is described in
Chinese, the words in place of values are Chinese, and argparse's own English (``usage:``,
``options:``, ``show this help message``) does not show."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from schoolhr.cli import build_parser

CJK = re.compile(r"[\u3400-\u9fff]")
ARGPARSE_ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "show program")


def parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser below it."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from parsers(child)


ALL = list(parsers(build_parser()))


def test_every_command_is_walked() -> None:
    progs = {p.prog for p in ALL}
    assert {"schoolhr", "schoolhr faq search", "schoolhr contacts groups build"} <= progs
    assert {"schoolhr pack untrust", "schoolhr rewards certificate", "schoolhr demo"} <= progs


@pytest.mark.parametrize("parser", ALL, ids=lambda p: p.prog)
def test_help_is_in_chinese(parser: argparse.ArgumentParser) -> None:
    assert parser.description and CJK.search(parser.description), parser.prog
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue  # its commands: test_subcommand_lists_name_their_words_in_chinese
        name = "/".join(action.option_strings) or action.dest
        assert action.help and CJK.search(action.help), f"{parser.prog} {name}: {action.help!r}"
        takes_value = action.nargs != 0 and not isinstance(
            action, (argparse._HelpAction, argparse._VersionAction)
        )
        if takes_value and action.choices is None:  # a word stands in for the value
            metavar = action.metavar
            assert isinstance(metavar, str) and CJK.search(metavar), f"{parser.prog} {name}"
    text = parser.format_help()
    assert text.startswith("用法：")
    for english in ARGPARSE_ENGLISH:
        assert english not in text, f"{parser.prog}: {english}"


def test_subcommand_lists_name_their_words_in_chinese() -> None:
    for parser in ALL:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert action.metavar and CJK.search(str(action.metavar)), parser.prog
                for choice in action._choices_actions:
                    assert choice.help and CJK.search(choice.help), choice.dest
