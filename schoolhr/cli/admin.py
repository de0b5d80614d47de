"""``schoolhr doctor | backup | restore | site | demo | diagnostics | self-test``: the profile
itself — its health, backups, identity, the workshop demo and the help desk's files."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import closing
from pathlib import Path

from schoolhr.cli.common import Subcommands, print_json
from schoolhr.errors import ExitCode, UserError
from schoolhr.logs import setup_logging
from schoolhr.paths import DataPaths, prepare_data_dir, resolve_data_dir
from schoolhr.text import roc_datetime


def register(sub: Subcommands) -> None:
    sub.command("doctor", "檢查資料庫與備份的健康狀態", func=doctor).json_option()

    backups = sub.command("backup", "立即備份資料庫到資料夾的 backups/", func=backup)
    backups.add_argument("--list", action="store_true", help="列出現有的備份，不做新的備份")

    restoring = sub.command("restore", "由備份檔還原資料庫（會先備份目前的資料庫）", func=restore)
    restoring.add_argument("file", type=Path, metavar="備份檔", help="備份檔路徑")

    identity = sub.command("site", "顯示或設定本單位的名稱與角色", func=site)
    identity.add_argument("--name", metavar="名稱", help="校名或單位名稱")
    identity.role_option("school 學校；county 人事處")

    demos = sub.command(
        "demo",
        "建立或重設研習用的示範資料（虛構的範例縣，放在獨立的資料夾）",
        func=demo,
        needs_data_dir=False,
    )
    demos.add_argument(
        "--reset", action="store_true", help="刪除並重建示範資料（只限有示範標記的資料夾）"
    )
    demos.role_option("school 學校（新建時的預設）；county 縣市人事處；重設時不填則沿用原本的角色")
    demos.data_dir_option("示範資料夾（預設為正式資料夾旁的「…-demo」資料夾）", dest="demo_dir")

    diagnosing = sub.command(
        "diagnostics",
        "存成診斷檔 .zip（記錄、版本、健康檢查；不含資料庫與個人資料）",
        func=diagnostics,
    )
    diagnosing.output_option("診斷檔路徑", metavar="檔案.zip")

    sub.command(
        "self-test", "在背景開啟主視窗、以內嵌字型列印測試 PDF，並檢查資料庫", func=self_test
    )


def self_test(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.ui import selftest

    return selftest.self_test(paths)


def doctor(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.doctor import run_doctor
    from schoolhr.store.database import open_store

    if not paths.database.exists():
        open_store(paths).close()  # first run: create the database, as opening the app would
    report = run_doctor(paths)
    if args.json:
        print_json(report.to_dict())
    else:
        print(report.to_text())
    return int(ExitCode.OK if report.healthy else ExitCode.UNHEALTHY)


def backup(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.store.backup import list_backups
    from schoolhr.store.database import open_store
    from schoolhr.text import human_size

    if args.list:
        for found in list_backups(paths):
            print(
                f"{roc_datetime(found.taken_at)}\t{found.reason_label}\t"
                f"{human_size(found.size)}\t{found.path}"
            )
        return int(ExitCode.OK)
    with closing(open_store(paths, daily_backup=False)) as store:
        info = store.backup("manual")
    print(f"已備份並通過檢查：{info.path}")
    return int(ExitCode.OK)


def restore(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.store.database import restore_backup

    safety = restore_backup(paths, args.file)
    print(f"已由「{args.file}」還原資料庫。")
    if safety is not None:
        print(f"還原前的資料庫已另存為：{safety}")
    return int(ExitCode.OK)


def site(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.site import SiteRole
    from schoolhr.store.database import open_store, update_site

    with closing(open_store(paths)) as store:
        if args.name is not None or args.role is not None:
            update_site(store, name=args.name, role=args.role)
        found = store.site()
    print(f"單位：{found.name or '（未設定校名）'}")
    print(f"角色：{SiteRole(found.role).label}")
    print(f"識別碼：{found.site_uuid}")
    return int(ExitCode.OK)


def demo(args: argparse.Namespace, paths: DataPaths) -> int:
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


def diagnostics(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.support.diagnostics import write_diagnostics_zip

    result = write_diagnostics_zip(paths, args.output)
    print(result.summary())
    return int(ExitCode.OK)
