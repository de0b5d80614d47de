"""``schoolhr content check | stats``: the content folder (FAQ, guides, checklists, reward
rules) checked and counted; needs no profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from schoolhr.cli.common import Subcommands, print_json
from schoolhr.errors import ExitCode
from schoolhr.paths import DataPaths


def register(sub: Subcommands) -> None:
    actions = sub.group("content", "內容（常見問答等）的檢查")
    for name, help, func in (
        ("check", "檢查內容資料夾，逐項列出「檔案:行: 問題」", check),
        ("stats", "內容統計：問答、指引、檢核表的數量，逾一年未檢閱與待複查的項目", stats),
    ):
        parser = actions.command(name, help, func=func, needs_data_dir=False)
        parser.add_argument(
            "directory", nargs="?", type=Path, metavar="資料夾", help="預設為內建內容"
        )
        if name == "stats":
            parser.json_option()


def check(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.content.files import read_content
    from schoolhr.content.install import bundled_content_dir

    directory = args.directory or bundled_content_dir()
    content, problems = read_content(directory)
    for problem in problems:
        print(problem)
    if content is None:
        print(f"共 {len(problems)} 個問題。", file=sys.stderr)
        return int(ExitCode.UNHEALTHY)
    print(
        f"內容 {content.manifest.version} 檢查通過：{len(content.faq)} 則問答、"
        f"{len(content.synonyms)} 組同義詞、{len(content.categories)} 個分類、"
        f"{len(content.checklists)} 份檢核表、{len(content.guides)} 份操作指引"
        + (f"、積點規則第 {content.rewards.version} 版" if content.rewards is not None else "")
        + "。"
    )
    return int(ExitCode.OK)


def stats(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.content.stats import content_stats, format_stats

    found = content_stats(args.directory)
    if args.json:
        print_json(found.as_dict())
    else:
        print(format_stats(found))
    return int(ExitCode.OK)
