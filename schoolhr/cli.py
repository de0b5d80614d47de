"""The ``schoolhr`` command: no arguments opens the window; subcommands work headless.

Exit codes are those of ``schoolhr.errors.ExitCode`` (listed in README.md). A mistake the user
can fix prints one zh-TW sentence to stderr; a bug prints where the log file is and logs the
traceback there.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from schoolhr import APP_NAME, __version__
from schoolhr.errors import ExitCode, UserError, UserFileError
from schoolhr.logs import current_log_file, setup_logging
from schoolhr.paths import ENV_DATA_DIR, DataPaths, prepare_data_dir, resolve_data_dir
from schoolhr.rocdates import DateError, parse_date
from schoolhr.text import roc_date, roc_datetime

if TYPE_CHECKING:
    import argparse

log = logging.getLogger(__name__)

Command = Callable[["argparse.Namespace", DataPaths], int]


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="schoolhr",
        description=f"{APP_NAME}：不加參數即開啟主視窗；子命令可在沒有螢幕時使用。",
    )
    parser.add_argument("--version", action="version", version=f"schoolhr {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"資料夾（預設為使用者的應用程式資料夾；亦可用環境變數 {ENV_DATA_DIR}）",
    )
    parser.set_defaults(func=_cmd_gui)
    sub = parser.add_subparsers(title="子命令", metavar="COMMAND")

    doctor = sub.add_parser("doctor", help="檢查資料庫與備份的健康狀態")
    doctor.add_argument("--json", action="store_true", help="以 JSON 輸出")
    doctor.set_defaults(func=_cmd_doctor)

    backup = sub.add_parser("backup", help="立即備份資料庫到資料夾的 backups/")
    backup.add_argument("--list", action="store_true", help="列出現有的備份，不做新的備份")
    backup.set_defaults(func=_cmd_backup)

    restore = sub.add_parser("restore", help="由備份檔還原資料庫（會先備份目前的資料庫）")
    restore.add_argument("file", type=Path, help="備份檔路徑")
    restore.set_defaults(func=_cmd_restore)

    site = sub.add_parser("site", help="顯示或設定本單位的名稱與角色")
    site.add_argument("--name", help="校名或單位名稱")
    site.add_argument("--role", choices=["school", "county"], help="school 學校；county 人事處")
    site.set_defaults(func=_cmd_site)

    content = sub.add_parser("content", help="內容（常見問答等）的檢查")
    content_sub = content.add_subparsers(title="內容子命令", metavar="ACTION", required=True)
    check = content_sub.add_parser("check", help="檢查內容資料夾，逐項列出「檔案:行: 問題」")
    check.add_argument("directory", nargs="?", type=Path, help="預設為內建內容")
    check.set_defaults(func=_cmd_content_check, needs_data_dir=False)
    stats = content_sub.add_parser(
        "stats", help="內容統計：問答、指引、檢核表的數量，逾一年未檢閱與待複查的項目"
    )
    stats.add_argument("directory", nargs="?", type=Path, help="預設為內建內容")
    stats.add_argument("--json", action="store_true", help="以 JSON 輸出")
    stats.set_defaults(func=_cmd_content_stats, needs_data_dir=False)

    faq = sub.add_parser("faq", help="常見問答：搜尋、顯示、未解答問題")
    faq_sub = faq.add_subparsers(title="問答子命令", metavar="ACTION", required=True)
    search = faq_sub.add_parser("search", help="搜尋常見問答")
    search.add_argument("query", help="問題或關鍵字")
    search.add_argument("--limit", type=_count, default=10, help="最多列出幾筆（預設 10）")
    search.add_argument("--json", action="store_true", help="以 JSON 輸出")
    search.set_defaults(func=_cmd_faq_search)
    show = faq_sub.add_parser("show", help="顯示一則問答")
    show.add_argument("id", help="問答編號")
    show.set_defaults(func=_cmd_faq_show)
    unanswered = faq_sub.add_parser("unanswered", help="列出找不到答案的問題（最常問的在前）")
    unanswered.add_argument("--json", action="store_true", help="以 JSON 輸出")
    unanswered.add_argument("--all", action="store_true", help="包含已標示解答的問題")
    unanswered.set_defaults(func=_cmd_faq_unanswered)
    answer = faq_sub.add_parser("answer", help="把未解答問題標示為已由某則問答解答")
    answer.add_argument("question_id", type=_record_id, help="未解答問題的編號")
    answer.add_argument("entry_id", help="問答編號")
    answer.set_defaults(func=_cmd_faq_answer)

    checklist = sub.add_parser("checklist", help="檢核表：列出、列印")
    checklist_sub = checklist.add_subparsers(title="檢核表子命令", metavar="ACTION", required=True)
    listing = checklist_sub.add_parser("list", help="列出檢核表與填寫紀錄")
    listing.add_argument("--json", action="store_true", help="以 JSON 輸出")
    listing.set_defaults(func=_cmd_checklist_list)
    printing = checklist_sub.add_parser("print", help="把檢核表存成 PDF（空白或已填寫）")
    printing.add_argument("template_id", help="檢核表編號")
    printing.add_argument("--run", type=_record_id, help="填寫紀錄編號（不填則印空白表）")
    printing.add_argument("-o", "--output", type=Path, required=True, help="PDF 檔案路徑")
    printing.set_defaults(func=_cmd_checklist_print)

    guides = sub.add_parser("guides", help="操作指引：列出、列印")
    guides_sub = guides.add_subparsers(title="操作指引子命令", metavar="ACTION", required=True)
    guide_list = guides_sub.add_parser("list", help="依系統列出操作指引")
    guide_list.add_argument("--json", action="store_true", help="以 JSON 輸出")
    guide_list.set_defaults(func=_cmd_guides_list)
    guide_print = guides_sub.add_parser("print", help="把操作指引存成 PDF（含圖片）")
    guide_print.add_argument("guide_id", help="操作指引編號")
    guide_print.add_argument("-o", "--output", type=Path, required=True, help="PDF 檔案路徑")
    guide_print.set_defaults(func=_cmd_guides_print)

    contacts = sub.add_parser("contacts", help="聯絡人：匯入、匯出（Excel、CSV、vCard）")
    contacts_sub = contacts.add_subparsers(title="聯絡人子命令", metavar="ACTION", required=True)
    contacts_import = contacts_sub.add_parser(
        "import", help="匯入聯絡人（.xlsx、.csv、.txt、.tsv、.vcf）：先列出新增、重複與有問題的列"
    )
    contacts_import.add_argument("file", type=Path, help="要匯入的檔案")
    contacts_import.add_argument("--dry-run", action="store_true", help="只列出結果，不寫入")
    contacts_import.add_argument("--json", action="store_true", help="以 JSON 輸出")
    contacts_import.add_argument(
        "--merge", action="store_true", help="重複的人以檔案中有填的欄位更新（預設略過）"
    )
    contacts_import.set_defaults(func=_cmd_contacts_import)
    contacts_export = contacts_sub.add_parser(
        "export", help="匯出聯絡人（只含選擇的欄位；未同意分享者預設不匯出；會留下紀錄）"
    )
    contacts_export.add_argument("--format", choices=["vcf", "xlsx", "csv"], required=True)
    contacts_export.add_argument("-o", "--output", type=Path, required=True, help="輸出檔案路徑")
    contacts_export.add_argument(
        "--fields", help="以逗號分隔的欄位，例如 name,school,office_phone,email（姓名一定包含）"
    )
    contacts_export.add_argument("--purpose", required=True, help="匯出用途（會記錄）")
    contacts_export.add_argument(
        "--include-without-consent", action="store_true", help="連同未記錄同意日期的人一起匯出"
    )
    contacts_export.set_defaults(func=_cmd_contacts_export)

    # -- contacts groups: the 安心培力小群組 builder (added to the contacts parser above) --------
    groups = contacts_sub.add_parser("groups", help="安心培力小群組：自動分組、名冊")
    groups_sub = groups.add_subparsers(title="小群組子命令", metavar="ACTION", required=True)
    groups_build = groups_sub.add_parser(
        "build", help="依區域、業務、年資與專兼任混搭重新分組（保留固定成員）並儲存"
    )
    groups_build.add_argument("--min", type=_count, default=7, help="每組最少人數（預設 7）")
    groups_build.add_argument("--max", type=_count, default=9, help="每組最多人數（預設 9）")
    groups_build.add_argument(
        "--seed",
        type=_bounded(0, 2**32 - 1, "亂數種子"),
        default=0,
        help="換一個數字可得到另一種分法",
    )
    groups_build.add_argument("--json", action="store_true", help="以 JSON 輸出")
    groups_build.set_defaults(func=_cmd_contacts_groups_build)
    groups_roster = groups_sub.add_parser("roster", help="把小群組名冊存成 PDF 或 Excel（.xlsx）")
    groups_roster.add_argument(
        "-o", "--output", type=Path, required=True, help="檔案路徑（.pdf 或 .xlsx）"
    )
    groups_roster.set_defaults(func=_cmd_contacts_groups_roster)

    rewards = sub.add_parser("rewards", help="獎勵積點：登錄、核定、年度統計、報表、獎狀")
    rewards_sub = rewards.add_subparsers(title="積點子命令", metavar="ACTION", required=True)
    rewards_add = rewards_sub.add_parser("add", help="登錄一筆積點（待縣市人事處核定）")
    rewards_add.add_argument("contact_id", type=_record_id, help="人員（聯絡人）編號")
    rewards_add.add_argument("--kind", required=True, help="積點類別，例如 outstanding-case")
    rewards_add.add_argument(
        "--date", required=True, type=_day, help="日期，例如 115/6/15 或 2026-06-15"
    )
    rewards_add.add_argument("--points", type=_points, help="積點（不填則依規則）")
    rewards_add.add_argument("--reason", required=True, help="事由")
    rewards_add.add_argument("--evidence", default="", help="佐證（文號或說明）")
    rewards_add.add_argument("--json", action="store_true", help="以 JSON 輸出")
    rewards_add.set_defaults(func=_cmd_rewards_add)
    for action, verb in (("approve", "核定"), ("reject", "退回")):
        decide = rewards_sub.add_parser(action, help=f"{verb}積點紀錄（縣市人事處；可一次多筆）")
        decide.add_argument(
            "entry_ids", type=_record_id, nargs="+", metavar="ENTRY", help="紀錄編號"
        )
        decide.add_argument("--reason", required=True, help=f"{verb}理由")
        decide.set_defaults(func=_cmd_rewards_decide, action=action)
    rewards_reverse = rewards_sub.add_parser("reverse", help="沖銷一筆已核定的紀錄（更正）")
    rewards_reverse.add_argument("entry_id", type=_record_id, help="紀錄編號")
    rewards_reverse.add_argument("--reason", required=True, help="沖銷理由")
    rewards_reverse.set_defaults(func=_cmd_rewards_reverse)
    rewards_adjust = rewards_sub.add_parser(
        "adjust", help="調整一個人某年度的敘獎建議（縣市人事處）"
    )
    rewards_adjust.add_argument("contact_id", type=_record_id, metavar="PERSON_ID", help="人員編號")
    rewards_adjust.add_argument("--year", type=_calendar_year, required=True, help="年度（西元年）")
    rewards_adjust.add_argument(
        "--proposal", required=True, help="敘獎建議：嘉獎一次、嘉獎二次、記功一次… 或 不予敘獎"
    )
    rewards_adjust.add_argument("--reason", required=True, help="調整理由")
    rewards_adjust.set_defaults(func=_cmd_rewards_adjust)
    rewards_history = rewards_sub.add_parser("history", help="一個人的積點紀錄與累計")
    rewards_history.add_argument("contact_id", type=_record_id, help="人員（聯絡人）編號")
    rewards_history.set_defaults(func=_cmd_rewards_history)
    rewards_summary = rewards_sub.add_parser("summary", help="年度積點統計與敘獎建議")
    rewards_summary.add_argument(
        "--year", type=_calendar_year, required=True, help="西元年，例如 2024"
    )
    rewards_summary.add_argument("--json", action="store_true", help="以 JSON 輸出")
    rewards_summary.set_defaults(func=_cmd_rewards_summary)
    rewards_report = rewards_sub.add_parser(
        "report", help="年度報表：.xlsx（縣市存查）或 .csv（對照輸入 WebHR 獎懲用，非匯入格式）"
    )
    rewards_report.add_argument(
        "--year", type=_calendar_year, required=True, help="西元年，例如 2024"
    )
    rewards_report.add_argument("-o", "--output", type=Path, required=True, help=".xlsx 或 .csv")
    rewards_report.set_defaults(func=_cmd_rewards_report)
    rewards_cert = rewards_sub.add_parser("certificate", help="把一個人的年度獎狀存成 PDF")
    rewards_cert.add_argument("person_id", type=_record_id, help="人員（聯絡人）編號")
    rewards_cert.add_argument(
        "--year", type=_calendar_year, required=True, help="西元年，例如 2024"
    )
    rewards_cert.add_argument("-o", "--output", type=Path, required=True, help="PDF 檔案路徑")
    rewards_cert.set_defaults(func=_cmd_rewards_certificate)

    pack = sub.add_parser("pack", help="交換檔：縣市內容包、學校資料包的匯出與匯入")
    pack_sub = pack.add_subparsers(title="交換檔子命令", metavar="ACTION", required=True)
    pack_export = pack_sub.add_parser("export", help="匯出內容包（縣市，需私鑰）或資料包")
    pack_export.add_argument("--kind", choices=("content", "data"), required=True)
    pack_export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    pack_export.add_argument(
        "--key", type=Path, metavar="FILE", help="私鑰檔（預設為資料夾的 keys/county-private.pem）"
    )
    pack_export.add_argument("--content-version", type=_record_id, metavar="N", help="內容版本")
    pack_export.add_argument("--title", default="", help="內容包標題")
    pack_export.add_argument(
        "--for-school",
        metavar="SCHOOL",
        help="縣市人事處：資料包要寄給哪一所學校（校名或單位編號；只含該校自己的資料）",
    )
    pack_export.set_defaults(func=_cmd_pack_export)
    pack_import = pack_sub.add_parser(
        "import", help="匯入交換檔（先驗證，再備份後一次寫入）；給資料夾則逐一匯入其中的交換檔"
    )
    pack_import.add_argument("file", type=Path, metavar="FILE")
    pack_import.add_argument("--dry-run", action="store_true", help="只列出將變更的內容")
    pack_import.add_argument("--json", action="store_true", help="以 JSON 輸出")
    pack_import.set_defaults(func=_cmd_pack_import)
    pack_keygen = pack_sub.add_parser("keygen", help="產生縣市人事處的簽章金鑰（私鑰以密碼保護）")
    pack_keygen.add_argument("-o", "--output", type=Path, metavar="DIR", help="存放資料夾")
    pack_keygen.set_defaults(func=_cmd_pack_keygen)
    pack_trust = pack_sub.add_parser("trust", help="信任縣市人事處的公鑰（會顯示指紋請您確認）")
    pack_trust.add_argument("public_key", type=Path, metavar="PUBLIC_KEY_FILE")
    pack_trust.add_argument("--yes", action="store_true", help="已核對指紋，不再詢問")
    pack_trust.set_defaults(func=_cmd_pack_trust)
    pack_keys = pack_sub.add_parser(
        "keys", help="列出接受交換檔的金鑰（縣市公鑰、已綁定的學校金鑰）"
    )
    pack_keys.add_argument("--json", action="store_true", help="以 JSON 輸出")
    pack_keys.set_defaults(func=_cmd_pack_keys)
    pack_untrust = pack_sub.add_parser(
        "untrust", help="停止信任一把金鑰（金鑰遺失或更換、學校換了電腦）"
    )
    pack_untrust.add_argument("fingerprint", metavar="FINGERPRINT", help="指紋（至少前 8 碼）")
    pack_untrust.add_argument("--yes", action="store_true", help="不再詢問，直接停止信任")
    pack_untrust.set_defaults(func=_cmd_pack_untrust)

    demo = sub.add_parser(
        "demo", help="建立或重設研習用的示範資料（虛構的範例縣，放在獨立的資料夾）"
    )
    demo.add_argument(
        "--reset", action="store_true", help="刪除並重建示範資料（只限有示範標記的資料夾）"
    )
    demo.add_argument(
        "--role",
        choices=["school", "county"],
        help="school 學校（新建時的預設）；county 縣市人事處；重設時不填則沿用原本的角色",
    )
    demo.add_argument(
        "--data-dir",
        dest="demo_dir",
        metavar="DIR",
        help="示範資料夾（預設為正式資料夾旁的「…-demo」資料夾）",
    )
    demo.set_defaults(func=_cmd_demo, needs_data_dir=False)

    diagnostics = sub.add_parser(
        "diagnostics", help="存成診斷檔 .zip（記錄、版本、健康檢查；不含資料庫與個人資料）"
    )
    diagnostics.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.zip", help="診斷檔路徑"
    )
    diagnostics.set_defaults(func=_cmd_diagnostics)

    selftest = sub.add_parser(
        "self-test", help="在背景開啟主視窗、以內嵌字型列印測試 PDF，並檢查資料庫"
    )
    selftest.set_defaults(func=_cmd_self_test)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _plain_start(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        if getattr(args, "needs_data_dir", True):
            paths = prepare_data_dir(resolve_data_dir(args.data_dir))
            setup_logging(paths)
            # code that has no DataPaths at hand (guide pictures brought by county packs)
            # finds this profile's folder through the environment
            os.environ[ENV_DATA_DIR] = str(paths.root)
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
        log.exception("unexpected error in %s", command.__name__)
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

    gc.disable()
    return cast("argparse.Namespace", SimpleNamespace(data_dir=data_dir, func=_cmd_gui))


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


def _cmd_content_check(args: argparse.Namespace, paths: DataPaths) -> int:
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


def _cmd_content_stats(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.content.stats import content_stats, format_stats

    stats = content_stats(args.directory)
    if args.json:
        print(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_stats(stats))
    return int(ExitCode.OK)


def _cmd_faq_search(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.search.engine import Searcher
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        outcome = Searcher(store.engine).search(
            args.query, limit=max(1, args.limit), kinds=("faq",)
        )
    finally:
        store.close()
    if args.json:
        results = [
            {
                "id": hit.ref,
                "title": hit.title,
                "category": hit.subtitle,
                "score": hit.score,
                "matched": list(hit.matched),
            }
            for hit in outcome.hits
        ]
        print(
            json.dumps(
                {
                    "query": args.query,
                    "results": results,
                    "skipped": list(outcome.skipped),
                    "suggestions": outcome.suggestions,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
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


def _cmd_faq_show(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.faq.service import published
    from schoolhr.faq.text import plain_text
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        with store.read() as session:
            view = published(session, args.id)
    finally:
        store.close()
    if view is None:
        raise UserFileError(f"找不到編號「{args.id}」的問答；可用 schoolhr faq search 查詢編號。")
    print(plain_text(view))
    return int(ExitCode.OK)


def _cmd_faq_unanswered(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.faq.unanswered import list_unanswered
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        rows = list_unanswered(store, include_answered=args.all)
    finally:
        store.close()
    if args.json:
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return int(ExitCode.OK)
    if not rows:
        print("目前沒有未解答的問題。")
    for row in rows:
        answered = f"\t已由 {row.answered_entry_id} 解答" if row.answered_entry_id else ""
        note = f"\t備註：{row.note}" if row.note else ""
        print(f"{row.id}\t{row.count} 次\t{row.query}{answered}{note}")
    return int(ExitCode.OK)


def _cmd_faq_answer(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.faq.unanswered import mark_answered
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        row = mark_answered(store, args.question_id, args.entry_id)
    finally:
        store.close()
    print(f"已將「{row.query}」標示為由問答 {args.entry_id} 解答。")
    return int(ExitCode.OK)


def _cmd_checklist_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.checklists import service
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        with store.read() as session:
            templates = service.templates(session)
            runs = service.runs(session)
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                {
                    "templates": [
                        {"id": t.id, "title": t.title, "period": t.period, "items": len(t.items())}
                        for t in templates
                    ],
                    "runs": [
                        {
                            "id": r.id,
                            "template_id": r.template.id,
                            "title": r.title,
                            "period": r.period,
                            "person": r.person,
                            "due_date": r.due_date.isoformat() if r.due_date else None,
                            "done": r.progress[0],
                            "total": r.progress[1],
                            "completed": r.completed_at is not None,
                        }
                        for r in runs
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return int(ExitCode.OK)
    for t in templates:
        print(f"{t.id}\t{t.title}\t{len(t.items())} 項")
    if runs:
        print("\n填寫紀錄：")
    for r in runs:
        done, total = r.progress
        due = f"\t期限 {roc_date(r.due_date)}" if r.due_date else ""
        print(f"{r.id}\t{r.title}\t{r.period}\t{done}/{total}{due}")
    return int(ExitCode.OK)


def _cmd_checklist_print(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.checklists import service
    from schoolhr.checklists.printing import form_document
    from schoolhr.reports.pdf import render_form
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        with store.read() as session:
            run = service.run_view(session, args.run) if args.run else None
            template = run.template if run else service.template(session, args.template_id)
            if run is not None and run.template.id != args.template_id:
                raise UserError(f"填寫紀錄 {args.run} 不是檢核表「{args.template_id}」的紀錄。")
        site_name = store.site().name
    finally:
        store.close()
    document = form_document(template, run, site_name, date.today())
    target = args.output
    if not target.parent.exists():
        raise UserFileError(f"資料夾「{target.parent}」不存在；請確認輸出路徑。")
    result = render_form(document, target)
    print(f"已存成 {target}（{result.pages} 頁）")
    if result.missing_characters:
        print("注意：下列字元沒有字型可印，已以□代替：" + "".join(result.missing_characters))
    return int(ExitCode.OK)


def _cmd_guides_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.guides import service
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        with store.read() as session:
            guides = service.guides(session)
            systems = {s.code: s for s in service.systems(session)}
    finally:
        store.close()
    if args.json:
        rows = []
        for guide in guides:
            system = systems.get(guide.system)
            rows.append(
                {
                    "id": guide.id,
                    "title": guide.title,
                    "system": guide.system,
                    "system_name": system.name if system else guide.system,
                    "url": system.url if system else None,
                    "steps": len(guide.steps),
                    "needs_screen_check": guide.needs_screen_check,
                    "checked": guide.checked.isoformat(),
                }
            )
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return int(ExitCode.OK)
    for guide in guides:
        system = systems.get(guide.system)
        name = system.name if system else guide.system
        print(f"{guide.id}\t{name}\t{guide.title}\t{len(guide.steps)} 步")
    return int(ExitCode.OK)


def _cmd_guides_print(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.content.install import bundled_content_dir
    from schoolhr.guides import service
    from schoolhr.guides.printing import guide_document
    from schoolhr.reports.pdf import render_form
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        with store.read() as session:
            guide = service.guide(session, args.guide_id)
            system = service.system(session, guide.system)
        site_name = store.site().name
    finally:
        store.close()
    if not args.output.parent.exists():
        raise UserFileError(f"資料夾「{args.output.parent}」不存在；請確認輸出路徑。")
    document = guide_document(guide, system, bundled_content_dir(), site_name, date.today())
    result = render_form(document, args.output)
    print(f"已存成 {args.output}（{result.pages} 頁）")
    return int(ExitCode.OK)


def _cmd_contacts_import(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts import service
    from schoolhr.startup import open_profile

    result = service.read_import_file(args.file)
    store = open_profile(paths)
    try:
        with store.read() as session:
            plan = service.plan_import(session, result.rows, result.rejected)
        summary = None if args.dry_run else service.apply_import(store, plan, args.merge)
    finally:
        store.close()
    if args.json:
        output: dict[str, object] = {"file": str(args.file), **plan.as_dict()}
        output["applied"] = (
            None
            if summary is None
            else {
                "added": summary.added,
                "merged": summary.merged,
                "skipped": summary.skipped,
                "rejected": summary.rejected,
                "backup": str(summary.backup) if summary.backup else None,
            }
        )
        print(json.dumps(output, ensure_ascii=False, indent=2))
        return int(ExitCode.OK)
    print(
        f"{args.file.name}：新增 {len(plan.adds)} 人、重複 {len(plan.duplicates)} 人、"
        f"有問題 {len(plan.rejected)} 列。"
    )
    for add in plan.adds:
        print(f"新增\t第 {add.row} 列\t{add.record.name}\t{add.record.school}")
    for dup in plan.duplicates:
        where = f"編號 {dup.existing_id}" if dup.existing_id else f"檔案第 {dup.existing_row} 列"
        changes = "、".join(
            f"{d.label}：{d.existing or '（空白）'} → {d.incoming}" for d in dup.differences
        )
        print(
            f"重複\t第 {dup.row.row} 列\t{dup.row.record.name}\t與{where}{dup.matched_label}"
            + (f"\t不同：{changes}" if changes else "")
        )
    for bad in plan.rejected:
        print(f"有問題\t第 {bad.row} 列\t{bad.field}\t{bad.reason}")
    if summary is None:
        print("（試算，未寫入資料庫）")
    else:
        print(
            f"已匯入：新增 {summary.added}、合併 {summary.merged}、略過 {summary.skipped} 人。"
            + (f"匯入前的備份：{summary.backup}" if summary.backup else "沒有寫入任何資料。")
        )
    return int(ExitCode.OK)


def _cmd_contacts_export(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts import service
    from schoolhr.startup import open_profile

    fields = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
    if not args.output.parent.exists():
        raise UserFileError(f"資料夾「{args.output.parent}」不存在；請確認輸出路徑。")
    store = open_profile(paths)
    try:
        result = service.export_contacts(
            store,
            None,
            fields,
            args.purpose,
            args.format,
            args.output,
            args.include_without_consent,
        )
    finally:
        store.close()
    print(f"已匯出 {result.count} 人到 {result.path}")
    if result.left_out_without_consent:
        print(
            f"有 {result.left_out_without_consent} 人沒有同意紀錄，未匯出"
            "（需要時加上 --include-without-consent）。"
        )
    return int(ExitCode.OK)


# -- contacts groups (安心培力小群組) ---------------------------------------------------------


def _cmd_contacts_groups_build(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts.peer_groups import service as groups
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        result = groups.regroup(store, args.min, args.max, args.seed)
        with store.read() as session:
            views = groups.list_groups(session)
            unassigned = groups.list_unassigned(session)
    finally:
        store.close()
    if args.json:
        output = {
            "groups": [
                {
                    "id": view.id,
                    "name": view.name,
                    "explanation": view.explanation,
                    "members": [
                        {"id": m.contact_id, "name": m.name, "locked": m.locked}
                        for m in view.members
                    ],
                }
                for view in views
            ],
            "unassigned": [{"id": m.contact_id, "name": m.name} for m in unassigned],
            "message": result.message,
        }
        print(json.dumps(output, ensure_ascii=False, indent=2))
        return int(ExitCode.OK)
    for view in views:
        print(f"{view.name}（{len(view.members)} 人）：{view.explanation}")
        for m in view.members:
            mark = "（固定）" if m.locked else ""
            print(f"\t{m.contact_id}\t{m.name}{mark}\t{m.school}\t{m.region}\t{m.role}")
    if unassigned:
        print(f"未分組 {len(unassigned)} 人：" + "、".join(m.name for m in unassigned))
    print(result.message)
    return int(ExitCode.OK)


def _cmd_contacts_groups_roster(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts.peer_groups import service as groups
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        result = groups.export_roster(store, args.output)
    finally:
        store.close()
    summary = f"{result.pages} 頁" if result.pages else f"{result.people} 人"
    print(f"已存成 {result.path}（{result.groups} 組，{summary}）")
    return int(ExitCode.OK)


# -- rewards (獎勵積點) -------------------------------------------------------------------------


SQLITE_MAX_ID = 2**63 - 1  # the largest row id SQLite stores


def _bounded(lowest: int, highest: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number in ``lowest..highest``, refused with a zh-TW sentence
    (exit 2) before it reaches the database, where a number beyond 64 bits cannot be bound."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise _argument_error(f"「{text[:40]}」不是整數（{what}）") from None
        if not lowest <= value <= highest:
            raise _argument_error(f"{what}「{text[:40]}」超出範圍（{lowest:,}～{highest:,}）")
        return value

    parse.__name__ = what  # argparse names the type in its own messages
    return parse


_record_id = _bounded(1, SQLITE_MAX_ID, "編號")
_calendar_year = _bounded(1912, 9999, "西元年")
_count = _bounded(1, 1_000_000, "數量")
_points = _bounded(-1_000_000, 1_000_000, "積點")


def _day(text: str) -> date:
    try:
        return parse_date(text)
    except DateError as exc:
        raise _argument_error(exc.message) from None


def _argument_error(message: str) -> Exception:
    """argparse's error for a value it cannot take (argparse is loaded only to parse)."""
    import argparse

    return argparse.ArgumentTypeError(message)


def _check_year(year: int) -> None:
    if not 2000 <= year <= date.today().year + 1:
        raise UserError(f"年度 {year} 不合理；請用西元年，例如 2024。")


def _check_output(target: Path) -> None:
    if not target.parent.exists():
        raise UserFileError(f"資料夾「{target.parent}」不存在；請確認輸出路徑。")


def _cmd_rewards_add(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        entry = service.claim(
            store,
            args.contact_id,
            args.kind,
            args.date,
            args.reason,
            points=args.points,
            evidence=args.evidence,
        )
    finally:
        store.close()
    if args.json:
        print(json.dumps(_entry_json(entry), ensure_ascii=False, indent=2))
    else:
        print(
            f"已登錄紀錄 {entry.id}：{entry.name} {roc_date(entry.date)} {entry.kind_label} "
            f"{entry.points} 點（規則第 {entry.rule_version} 版），待縣市人事處核定。"
        )
    return int(ExitCode.OK)


def _entry_json(entry: Any) -> dict[str, object]:
    return {
        "id": entry.id,
        "uuid": entry.uuid,
        "contact_id": entry.contact_id,
        "name": entry.name,
        "school": entry.school,
        "date": entry.date.isoformat(),
        "kind": entry.kind,
        "points": entry.points,
        "rule_version": entry.rule_version,
        "status": entry.status,
        "reason": entry.reason,
        "reverses": entry.reverses,
    }


def _cmd_rewards_decide(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        result = service.decide_claims(store, args.entry_ids, args.action == "approve", args.reason)
    finally:
        store.close()
    print(result.summary("核定" if args.action == "approve" else "退回") + "。")
    return int(ExitCode.OK)


def _cmd_rewards_reverse(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        entry = service.reverse_entry(store, args.entry_id, args.reason)
    finally:
        store.close()
    print(f"已以紀錄 {entry.id} 沖銷紀錄 {args.entry_id}（{entry.points} 點）。")
    return int(ExitCode.OK)


def _cmd_rewards_adjust(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service
    from schoolhr.startup import open_profile

    _check_year(args.year)
    store = open_profile(paths)
    try:
        adjustment = service.set_proposal(
            store, args.year, args.contact_id, args.proposal, args.reason
        )
    finally:
        store.close()
    print(f"已將 {args.year} 年的敘獎建議調整為「{adjustment.proposal}」。")
    return int(ExitCode.OK)


def _cmd_rewards_history(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service
    from schoolhr.startup import open_profile

    store = open_profile(paths)
    try:
        with store.read() as session:
            lines = service.history(session, args.contact_id)
    finally:
        store.close()
    if not lines:
        print("沒有積點紀錄。")
    for line in lines:
        e = line.entry
        mark = "（沖銷）" if e.reverses else ""
        print(
            f"{e.id}\t{roc_date(e.date)}\t{e.kind_label}{mark}\t{e.points:+d}\t"
            f"{e.status_label}\t累計 {line.running_total}\t{e.reason}"
        )
    return int(ExitCode.OK)


def _cmd_rewards_summary(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import service
    from schoolhr.startup import open_profile

    _check_year(args.year)
    store = open_profile(paths)
    try:
        with store.read() as session:
            summary = service.year_summary(session, args.year)
            found = service.proposals(session, args.year)
    finally:
        store.close()
    if args.json:
        output = {
            "year": summary.year,
            "rule_version": summary.rule_version,
            "note": summary.note,
            "entries": summary.entries,
            "approved_total": summary.approved_total,
            "claimed_total": summary.claimed_total,
            "by_school": summary.by_school,
            "by_kind": summary.by_kind,
            "people": [
                {
                    "contact_id": p.contact_id,
                    "name": p.name,
                    "school": p.school,
                    "approved": p.approved,
                    "claimed": p.claimed,
                    "rejected": p.rejected,
                }
                for p in summary.people
            ],
            "proposals": [
                {
                    "contact_id": p.contact_id,
                    "name": p.name,
                    "school": p.school,
                    "approved_points": p.approved_points,
                    "counted_points": p.counted_points,
                    "multiplier": service.points_text(p.multiplier),
                    "weighted": service.points_text(p.weighted),
                    "computed": p.computed,
                    "adjusted": p.adjustment.proposal if p.adjustment else None,
                    "adjustment_reason": p.adjustment.reason if p.adjustment else None,
                    "final": p.final,
                    "entries": [e.id for e in p.entries],
                    "notes": p.notes,
                }
                for p in found
            ],
        }
        print(json.dumps(output, ensure_ascii=False, indent=2))
        return int(ExitCode.OK)
    print(
        f"{args.year} 年：{len(summary.people)} 人、{summary.entries} 筆紀錄；"
        f"已核定 {summary.approved_total} 點，待核定 {summary.claimed_total} 點"
        f"（規則第 {summary.rule_version} 版）。"
    )
    print(summary.note)
    for p in found:
        print(
            f"{p.contact_id}\t{p.name}\t{p.school}\t{p.counted_points} 點 × "
            f"{service.points_text(p.multiplier)} = {service.points_text(p.weighted)}\t"
            f"{p.final or '未達門檻'}"
            + (f"\t（縣市調整：{p.adjustment.reason}）" if p.adjustment else "")
        )
    return int(ExitCode.OK)


def _cmd_rewards_report(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards import exports
    from schoolhr.startup import open_profile

    _check_year(args.year)
    target: Path = args.output
    kind = target.suffix.lower()
    if kind not in (".xlsx", ".csv"):
        raise UserFileError(f"報表只能存成 .xlsx 或 .csv，「{target.name}」不是這兩種。")
    _check_output(target)
    store = open_profile(paths)
    try:
        with store.read() as session:
            if kind == ".xlsx":
                count = exports.write_report_xlsx(session, args.year, target)
                summary = f"{count} 筆紀錄"
            else:
                count = exports.write_webhr_csv(session, args.year, target)
                summary = f"{count} 人；供對照輸入 WebHR 獎懲，不是 WebHR 的匯入格式"
    finally:
        store.close()
    print(f"已存成 {target}（{summary}）")
    return int(ExitCode.OK)


def _cmd_rewards_certificate(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.rewards.certificate import certificate_for, render_certificate
    from schoolhr.startup import open_profile

    _check_year(args.year)
    _check_output(args.output)
    store = open_profile(paths)
    try:
        issuer = store.site().name
        with store.read() as session:
            certificate = certificate_for(session, args.person_id, args.year, issuer)
    finally:
        store.close()
    result = render_certificate(certificate, args.output)
    print(f"已存成 {args.output}（{certificate.name}，{certificate.proposal}）")
    if result.missing_characters:
        print("注意：下列字元沒有字型可印，已以□代替：" + "".join(result.missing_characters))
    return int(ExitCode.OK)


def _cmd_gui(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.display import display_problem

    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return int(ExitCode.NO_DISPLAY)
    from schoolhr.store.checks import BackgroundCheck

    checks = BackgroundCheck(paths)  # plain sqlite3, while Qt loads
    from schoolhr.ui.app import run_gui

    return run_gui(paths, checks)


def _cmd_self_test(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.ui.selftest import self_test

    return self_test(paths)


def _cmd_doctor(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.doctor import run_doctor
    from schoolhr.store.database import open_store

    if not paths.database.exists():
        open_store(paths).close()  # first run: create the database, as opening the app would
    report = run_doctor(paths)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.to_text())
    return int(ExitCode.OK if report.healthy else ExitCode.UNHEALTHY)


def _cmd_backup(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.store.backup import list_backups
    from schoolhr.store.database import open_store
    from schoolhr.text import human_size

    if args.list:
        for backup in list_backups(paths):
            print(
                f"{roc_datetime(backup.taken_at)}\t{backup.reason_label}\t"
                f"{human_size(backup.size)}\t{backup.path}"
            )
        return int(ExitCode.OK)
    store = open_store(paths, daily_backup=False)
    try:
        info = store.backup("manual")
    finally:
        store.close()
    print(f"已備份並通過檢查：{info.path}")
    return int(ExitCode.OK)


def _cmd_restore(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.store.database import restore_backup

    safety = restore_backup(paths, args.file)
    print(f"已由「{args.file}」還原資料庫。")
    if safety is not None:
        print(f"還原前的資料庫已另存為：{safety}")
    return int(ExitCode.OK)


def _cmd_site(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.site import SiteRole
    from schoolhr.store.database import open_store, update_site

    store = open_store(paths)
    try:
        if args.name is not None or args.role is not None:
            update_site(store, name=args.name, role=args.role)
        site = store.site()
    finally:
        store.close()
    print(f"單位：{site.name or '（未設定校名）'}")
    print(f"角色：{SiteRole(site.role).label}")
    print(f"識別碼：{site.site_uuid}")
    return int(ExitCode.OK)


# -- demo (workshops) and diagnostics (help desk) ----------------------------------------------


def _cmd_demo(args: argparse.Namespace, paths: DataPaths) -> int:
    """The demo folder is --data-dir (after or before ``demo``), else beside the real profile;
    the real profile (SCHOOLHR_DATA_DIR or the platform's folder) is never written to."""
    import shlex
    import subprocess

    from schoolhr.demo import builder, default_demo_dir

    real = resolve_data_dir()
    chosen = args.demo_dir or args.data_dir
    root = resolve_data_dir(chosen) if chosen else default_demo_dir(real)
    try:
        builder.check_demo_folder(root, (real,))
    except UserError as exc:
        # Refused before anything is created: not even a log file in a folder that is not ours.
        print(exc.message, file=sys.stderr)
        return int(exc.exit_code)
    demo_paths = prepare_data_dir(root)
    setup_logging(demo_paths)
    result = builder.build_demo(demo_paths, reset=args.reset, role=args.role, protect=(real,))
    quoted = subprocess.list2cmdline([str(root)]) if os.name == "nt" else shlex.quote(str(root))
    print(result.summary())
    print(f"示範資料夾：{result.root}")
    print(f"內容包：{result.content_pack}")
    if result.private_key is not None:
        print(f"簽章私鑰：{result.private_key}（示範密碼：{builder.DEMO_PASSPHRASE}）")
    print(f"開啟示範資料：schoolhr --data-dir {quoted}")
    print(f"研習結束後重設：schoolhr demo --reset --data-dir {quoted}")
    return int(ExitCode.OK)


def _cmd_diagnostics(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.support.diagnostics import write_diagnostics_zip

    result = write_diagnostics_zip(paths, args.output)
    print(result.summary())
    return int(ExitCode.OK)


if __name__ == "__main__":
    sys.exit(main())


# -- pack -------------------------------------------------------------------------------------

ENV_PASSPHRASE = "SCHOOLHR_KEY_PASSPHRASE"


def _passphrase(prompt: str, confirm: bool = False) -> str:
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


def _cmd_pack_keygen(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.sync import service, signing

    folder = args.output or paths.root / "keys"
    private, public, value = service.keygen(folder, _passphrase("私鑰密碼：", confirm=True))
    print(f"已產生金鑰：私鑰 {private}（請妥善保管，勿寄出）；公鑰 {public}。")
    print(f"公鑰指紋：{signing.fingerprint_text(value)}（學校信任公鑰時請核對）")
    return int(ExitCode.OK)


class NotConfirmedError(UserError):
    """A command that asks before it acts, run where nobody can answer (no --yes)."""

    exit_code = ExitCode.CANCELLED


def _cmd_pack_keys(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.startup import open_profile
    from schoolhr.sync import service

    store = open_profile(paths)
    try:
        views = service.signing_keys(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps([v.__dict__ for v in views], ensure_ascii=False, indent=2))
        return int(ExitCode.OK)
    for v in views:
        print(f"{v.fingerprint_text}\t{v.kind}\t{v.name}")
    return int(ExitCode.OK)


def _cmd_pack_untrust(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.startup import open_profile
    from schoolhr.sync import service

    store = open_profile(paths)
    try:
        if not args.yes:
            if not sys.stdin.isatty():
                raise NotConfirmedError(
                    "停止信任後，以這把金鑰簽署的檔案都會被拒絕；確定時請加上 --yes。"
                )
            answer = input("停止信任後，以這把金鑰簽署的檔案都會被拒絕。輸入 yes 確定：")
            if answer.strip().lower() not in ("y", "yes"):
                print("未變更。")
                return int(ExitCode.CANCELLED)
        view = service.untrust_key(store, args.fingerprint)
    finally:
        store.close()
    print(f"已停止信任{view.kind}「{view.name}」（{view.fingerprint_text}）。")
    return int(ExitCode.OK)


def _cmd_pack_trust(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.startup import open_profile
    from schoolhr.sync import service

    info = service.key_info(args.public_key)
    print(f"公鑰「{args.public_key.name}」的指紋：{info.fingerprint_text}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("請以電話等方式向縣市人事處核對指紋後，加上 --yes 再執行。")
        answer = input("與縣市人事處提供的指紋相同嗎？輸入 yes 信任：").strip().lower()
        if answer not in ("y", "yes"):
            print("未信任此公鑰。")
            return int(ExitCode.CANCELLED)
    store = open_profile(paths)
    try:
        view = service.trust_key(store, args.public_key)
    finally:
        store.close()
    print(f"已信任公鑰「{view.name}」（{view.fingerprint_text}）。")
    return int(ExitCode.OK)


def _cmd_pack_export(args: argparse.Namespace, paths: DataPaths) -> int:
    """Content packs and the county's data packs (its decisions) are signed with the county's
    private key; a school's data pack with the school's own site key, without asking."""
    from schoolhr.site import SiteRole
    from schoolhr.startup import open_profile
    from schoolhr.sync import service, signing

    store = open_profile(paths)
    try:
        county = store.site().role == SiteRole.COUNTY.value
        key = None
        if args.kind == "content" or county:
            key_file = args.key or paths.root / "keys" / "county-private.pem"
            if not key_file.is_file():
                raise UserFileError(f"找不到私鑰檔「{key_file}」；請先執行 schoolhr pack keygen。")
            key = signing.load_private_key(key_file, _passphrase("私鑰密碼："))
        result = service.export_pack(
            store,
            args.kind,
            args.output,
            private_key=key,
            content_version=args.content_version,
            title=args.title,
            for_school=args.for_school,
        )
    finally:
        store.close()
    print(result.summary())
    return int(ExitCode.OK)


def _cmd_pack_import(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.startup import open_profile
    from schoolhr.sync import service

    if args.file.is_dir():
        return _pack_import_folder(args, paths)
    store = open_profile(paths)
    try:
        plan = service.plan_import(store, args.file)
        result = None if args.dry_run else service.apply_import(store, plan)
    finally:
        store.close()
    if args.json:
        output = plan.as_dict()
        output["applied"] = (
            None if result is None else {"summary": result.summary, "backup": str(result.backup)}
        )
        print(json.dumps(output, ensure_ascii=False, indent=2))
        return int(ExitCode.OK)
    origin = plan.site_name or plan.site_uuid
    print(f"{args.file.name}（{origin}，{plan.created_at[:10]}）：{plan.summary()}。")
    for item in plan.items:
        print(f"{item.action_label}\t{item.label}")
    if result is None:
        print("（試算，未寫入資料庫）")
    else:
        print(f"{result.summary}。匯入前的備份：{result.backup}")
    return int(ExitCode.OK)


def _pack_import_folder(args: argparse.Namespace, paths: DataPaths) -> int:
    """County view: every pack in a folder, each on its own."""
    import signal
    import threading

    from schoolhr.errors import Cancelled
    from schoolhr.startup import open_profile
    from schoolhr.sync import service

    stop = threading.Event()
    shown: set[tuple[int, str]] = set()

    def progress(done: int, total: int, text: str = "") -> None:
        if stop.is_set():
            raise Cancelled()
        if text and done < total and (done, text) not in shown:  # the file, then its school
            shown.add((done, text))
            print(f"（{done + 1}/{total}）{text}", file=sys.stderr, flush=True)

    def on_interrupt(_signum: int, _frame: object) -> None:
        if not stop.is_set():
            print("已要求停止：目前這個學校處理完就停。", file=sys.stderr, flush=True)
        stop.set()

    store = open_profile(paths)
    try:
        # Ctrl+C stops between schools: the packs already imported stay
        previous = signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread: no Ctrl+C to catch
        previous = None
    try:
        outcomes = service.import_folder(store, args.file, dry_run=args.dry_run, progress=progress)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        store.close()
    cancelled = [o for o in outcomes if o.cancelled]
    if args.json:
        rows = [
            {
                "file": str(o.path),
                "summary": o.result.summary if o.result else None,
                "error": o.error if o.result is None else None,
                "cancelled": o.cancelled,
            }
            for o in outcomes
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for o in outcomes:
            print(f"{o.path.name}\t{o.result.summary if o.result else o.error}")
        if cancelled:
            imported = sum(1 for o in outcomes if o.result is not None)
            print(
                f"已取消：已匯入 {imported} 個交換檔，{len(cancelled)} 個未匯入"
                f"（{'、'.join(o.path.name for o in cancelled)}）。"
            )
    if cancelled:
        return int(ExitCode.CANCELLED)
    refused = sum(1 for o in outcomes if o.result is None and not args.dry_run)
    return int(ExitCode.FILE if refused else ExitCode.OK)
