"""A plain start of the window (no arguments, or only --data-dir) skips building the parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PLAIN_START = """
import gc, json, sys
from schoolhr import cli
args = cli._plain_start(json.loads(sys.argv[1]))
loaded = sorted(m for m in sys.modules if m.startswith(("schoolhr.cli.", "argparse",
    "sqlalchemy", "PySide6")))
if args is None:
    print(json.dumps(None))
else:
    from schoolhr.cli.app import start_window
    print(json.dumps({"data_dir": args.data_dir, "gui": args.func is start_window,
        "gc": gc.isenabled(), "loaded": loaded}))
"""


def plain_start(argv: list[str]) -> object:
    import json

    done = subprocess.run(
        [sys.executable, "-c", PLAIN_START, json.dumps(argv)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("argv", "data_dir"),
    [([], None), (["--data-dir", "D:/人事"], "D:/人事"), (["--data-dir=/srv/x"], "/srv/x")],
)
def test_a_plain_start_opens_the_window_with_the_collector_held_off(
    argv: list[str], data_dir: str | None
) -> None:
    # (only the window's module of the command line is loaded: no parser, no command group)
    assert plain_start(argv) == {
        "data_dir": data_dir,
        "gui": True,
        "gc": False,
        "loaded": ["schoolhr.cli.app"],
    }


@pytest.mark.parametrize(
    "argv",
    [
        ["doctor"],
        ["--version"],
        ["--data-dir"],
        ["--data-dir", "x", "doctor"],
        ["--data-dir", "--version"],
        ["--data-dir="],
        ["--data", "x"],
    ],
)
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert plain_start(argv) is None


def test_the_plain_path_and_the_parser_agree(tmp_path: Path) -> None:
    from schoolhr.cli import build_parser
    from schoolhr.cli.app import start_window

    parsed = build_parser().parse_args(["--data-dir", str(tmp_path)])
    assert parsed.func is start_window and parsed.data_dir == str(tmp_path)
    assert build_parser().parse_args([]).data_dir is None
