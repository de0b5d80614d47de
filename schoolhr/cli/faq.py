"""``schoolhr faq search | show | unanswered | answer``: the FAQ as the search box finds it,
and the questions it found no answer to."""

from __future__ import annotations

import argparse

from schoolhr.cli.common import Subcommands, count, print_json, profile, record_id
from schoolhr.errors import ExitCode, UserFileError
from schoolhr.paths import DataPaths


def register(sub: Subcommands) -> None:
    actions = sub.group("faq", "常見問答：搜尋、顯示、未解答問題")
    searching = actions.command("search", "搜尋常見問答", func=search)
    searching.add_argument("query", metavar="問題", help="問題或關鍵字")
    searching.add_argument(
        "--limit", type=count, default=10, metavar="筆數", help="最多列出幾筆（預設 10）"
    )
    searching.json_option()
    showing = actions.command("show", "顯示一則問答", func=show)
    showing.add_argument("id", metavar="問答編號", help="問答編號")
    listing = actions.command("unanswered", "列出找不到答案的問題（最常問的在前）", func=unanswered)
    listing.json_option()
    listing.add_argument("--all", action="store_true", help="包含已標示解答的問題")
    answering = actions.command("answer", "把未解答問題標示為已由某則問答解答", func=answer)
    answering.add_argument(
        "question_id", type=record_id, metavar="問題編號", help="未解答問題的編號"
    )
    answering.add_argument("entry_id", metavar="問答編號", help="問答編號")


def search(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.search.engine import Searcher

    with profile(paths) as store:
        outcome = Searcher(store.engine).search(
            args.query, limit=max(1, args.limit), kinds=("faq",)
        )
    if args.json:
        print_json(outcome.as_dict())
        return int(ExitCode.OK)
    if not outcome.hits:
        print("找不到符合的問答。")
        if outcome.suggestions:
            print("您是不是要找：" + "、".join(outcome.suggestions))
    elif outcome.skipped:
        print(f"沒有完全符合的問答；以下略過「{'、'.join(outcome.skipped)}」。")
    for hit in outcome.hits:
        print(f"{hit.ref}\t{hit.title}\t[{hit.subtitle}]\t符合：{'、'.join(hit.matched)}")
    return int(ExitCode.OK)


def show(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.faq.service import published
    from schoolhr.faq.text import plain_text

    with profile(paths) as store, store.read() as session:
        view = published(session, args.id)
    if view is None:
        raise UserFileError(f"找不到編號「{args.id}」的問答；可用 schoolhr faq search 查詢編號。")
    print(plain_text(view))
    return int(ExitCode.OK)


def unanswered(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.faq.unanswered import list_unanswered

    with profile(paths) as store:
        rows = list_unanswered(store, include_answered=args.all)
    if args.json:
        print_json([row.as_dict() for row in rows])
        return int(ExitCode.OK)
    if not rows:
        print("目前沒有未解答的問題。")
    for row in rows:
        answered = f"\t已由 {row.answered_entry_id} 解答" if row.answered_entry_id else ""
        note = f"\t備註：{row.note}" if row.note else ""
        print(f"{row.id}\t{row.count} 次\t{row.query}{answered}{note}")
    return int(ExitCode.OK)


def answer(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.faq.unanswered import mark_answered

    with profile(paths) as store:
        row = mark_answered(store, args.question_id, args.entry_id)
    print(f"已將「{row.query}」標示為由問答 {args.entry_id} 解答。")
    return int(ExitCode.OK)
