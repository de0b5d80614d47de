"""The ``schoolhr`` command: no arguments opens the window; subcommands work headless.

Exit codes are those of ``schoolhr.errors.ExitCode`` (listed in README.md). A mistake the user
can fix prints one zh-TW sentence to stderr; a bug prints where the log file is and logs the
traceback there.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from schoolhr import APP_NAME, __version__
from schoolhr.errors import ExitCode, UserError
from schoolhr.logs import setup_logging
from schoolhr.paths import ENV_DATA_DIR, DataPaths, prepare_data_dir, resolve_data_dir

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace, DataPaths], int]


def build_parser() -> argparse.ArgumentParser:
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

    selftest = sub.add_parser("self-test", help="在背景開啟並關閉主視窗，並檢查資料庫")
    selftest.set_defaults(func=_cmd_self_test)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        paths = prepare_data_dir(resolve_data_dir(args.data_dir))
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return int(exc.exit_code)
    setup_logging(paths)
    command: Command = args.func
    try:
        return command(args, paths)
    except UserError as exc:
        log.warning("%s: %s", type(exc).__name__, exc.message)
        print(exc.message, file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("已中斷。", file=sys.stderr)
        return int(ExitCode.CANCELLED)
    except Exception:
        log.exception("unexpected error in %s", command.__name__)
        print(f"發生未預期的錯誤，詳細內容已寫入記錄檔：{paths.log_file}", file=sys.stderr)
        return int(ExitCode.INTERNAL)


def _cmd_gui(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.ui.app import run_gui

    return run_gui(paths)


def _cmd_self_test(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.ui.app import self_test

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
                f"{backup.taken_at:%Y-%m-%d %H:%M:%S}\t{backup.reason_label}\t"
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


if __name__ == "__main__":
    sys.exit(main())
