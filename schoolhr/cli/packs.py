"""``schoolhr pack …``: the exchange files — the county's signed content packs, the schools'
data packs — exported and imported, and the signing keys they are checked with."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from schoolhr.cli.common import Subcommands, passphrase, print_json, profile, record_id
from schoolhr.errors import ExitCode, UserError, UserFileError
from schoolhr.paths import DataPaths


def register(sub: Subcommands) -> None:
    actions = sub.group("pack", "交換檔：縣市內容包、學校資料包的匯出與匯入")
    exporting = actions.command("export", "匯出內容包（縣市，需私鑰）或資料包", func=export)
    exporting.add_argument(
        "--kind", choices=("content", "data"), required=True, help="content 內容包；data 資料包"
    )
    exporting.output_option("交換檔路徑（.zip）")
    exporting.add_argument(
        "--key",
        type=Path,
        metavar="私鑰檔",
        help="私鑰檔（預設為資料夾的 keys/county-private.pem）",
    )
    exporting.add_argument("--content-version", type=record_id, metavar="版本", help="內容版本")
    exporting.add_argument("--title", default="", metavar="標題", help="內容包標題")
    exporting.add_argument(
        "--for-school",
        metavar="學校",
        help="縣市人事處：資料包要寄給哪一所學校（校名或單位編號；只含該校自己的資料）",
    )
    importing = actions.command(
        "import",
        "匯入交換檔（先驗證，再備份後一次寫入）；給資料夾則逐一匯入其中的交換檔",
        func=import_pack,
    )
    importing.add_argument(
        "file", type=Path, metavar="檔案或資料夾", help="交換檔，或放交換檔的資料夾"
    )
    importing.add_argument("--dry-run", action="store_true", help="只列出將變更的內容")
    importing.json_option()
    making = actions.command("keygen", "產生縣市人事處的簽章金鑰（私鑰以密碼保護）", func=keygen)
    making.output_option("存放資料夾", metavar="資料夾", required=False)
    trusting = actions.command("trust", "信任縣市人事處的公鑰（會顯示指紋請您確認）", func=trust)
    trusting.add_argument("public_key", type=Path, metavar="公鑰檔", help="縣市人事處寄來的公鑰檔")
    trusting.add_argument("--yes", action="store_true", help="已核對指紋，不再詢問")
    listing = actions.command(
        "keys", "列出接受交換檔的金鑰（縣市公鑰、已綁定的學校金鑰）", func=keys
    )
    listing.json_option()
    untrusting = actions.command(
        "untrust", "停止信任一把金鑰（金鑰遺失或更換、學校換了電腦）", func=untrust
    )
    untrusting.add_argument("fingerprint", metavar="指紋", help="指紋（至少前 8 碼）")
    untrusting.add_argument("--yes", action="store_true", help="不再詢問，直接停止信任")


class NotConfirmedError(UserError):
    """A command that asks before it acts, run where nobody can answer (no --yes)."""

    exit_code = ExitCode.CANCELLED


def _confirmed(prompt: str, unattended: UserError) -> bool:
    """Whether the clerk types yes at ``prompt``; ``unattended`` is raised where nobody can
    answer (no terminal)."""
    if not sys.stdin.isatty():
        raise unattended
    return input(prompt).strip().lower() in ("y", "yes")


def keygen(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.sync import service, signing

    folder = args.output or paths.root / "keys"
    private, public, value = service.keygen(folder, passphrase("私鑰密碼：", confirm=True))
    print(f"已產生金鑰：私鑰 {private}（請妥善保管，勿寄出）；公鑰 {public}。")
    print(f"公鑰指紋：{signing.fingerprint_text(value)}（學校信任公鑰時請核對）")
    return int(ExitCode.OK)


def keys(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.sync import service

    with profile(paths) as store:
        views = service.signing_keys(store)
    if args.json:
        print_json([v.as_dict() for v in views])
        return int(ExitCode.OK)
    for v in views:
        print(f"{v.fingerprint_text}\t{v.kind}\t{v.name}")
    return int(ExitCode.OK)


def untrust(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.sync import service

    with profile(paths) as store:
        if not args.yes and not _confirmed(
            "停止信任後，以這把金鑰簽署的檔案都會被拒絕。輸入 yes 確定：",
            NotConfirmedError("停止信任後，以這把金鑰簽署的檔案都會被拒絕；確定時請加上 --yes。"),
        ):
            print("未變更。")
            return int(ExitCode.CANCELLED)
        view = service.untrust_key(store, args.fingerprint)
    print(f"已停止信任{view.kind}「{view.name}」（{view.fingerprint_text}）。")
    return int(ExitCode.OK)


def trust(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.sync import service

    info = service.key_info(args.public_key)
    print(f"公鑰「{args.public_key.name}」的指紋：{info.fingerprint_text}")
    if not args.yes and not _confirmed(
        "與縣市人事處提供的指紋相同嗎？輸入 yes 信任：",
        UserError("請以電話等方式向縣市人事處核對指紋後，加上 --yes 再執行。"),
    ):
        print("未信任此公鑰。")
        return int(ExitCode.CANCELLED)
    with profile(paths) as store:
        view = service.trust_key(store, args.public_key)
    print(f"已信任公鑰「{view.name}」（{view.fingerprint_text}）。")
    return int(ExitCode.OK)


def export(args: argparse.Namespace, paths: DataPaths) -> int:
    """Content packs and the county's data packs (its decisions) are signed with the county's
    private key; a school's data pack with the school's own site key, without asking."""
    from schoolhr.site import SiteRole
    from schoolhr.sync import service, signing

    with profile(paths) as store:
        county = store.site().role == SiteRole.COUNTY.value
        key = None
        if args.kind == "content" or county:
            key_file = args.key or paths.root / "keys" / "county-private.pem"
            if not key_file.is_file():
                raise UserFileError(f"找不到私鑰檔「{key_file}」；請先執行 schoolhr pack keygen。")
            key = signing.load_private_key(key_file, passphrase("私鑰密碼："))
        result = service.export_pack(
            store,
            args.kind,
            args.output,
            private_key=key,
            content_version=args.content_version,
            title=args.title,
            for_school=args.for_school,
        )
    print(result.summary())
    return int(ExitCode.OK)


def import_pack(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.sync import service

    if args.file.is_dir():
        return _import_folder(args, paths)
    with profile(paths) as store:
        plan = service.plan_import(store, args.file)
        result = None if args.dry_run else service.apply_import(store, plan)
    if args.json:
        print_json({**plan.as_dict(), "applied": None if result is None else result.as_dict()})
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


def _import_folder(args: argparse.Namespace, paths: DataPaths) -> int:
    """County view: every pack in a folder, each on its own."""
    import signal
    import threading

    from schoolhr.errors import Cancelled
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

    with profile(paths) as store:
        try:
            # Ctrl+C stops between schools: the packs already imported stay
            previous = signal.signal(signal.SIGINT, on_interrupt)
        except ValueError:  # not the main thread: no Ctrl+C to catch
            previous = None
        try:
            outcomes = service.import_folder(
                store, args.file, dry_run=args.dry_run, progress=progress
            )
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
    cancelled = [o for o in outcomes if o.cancelled]
    if args.json:
        print_json([o.as_dict() for o in outcomes])
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
