"""``schoolhr contacts import | export | groups``: the contact list in and out of files, and the
安心培力小群組 (peer groups) formed from it."""

from __future__ import annotations

import argparse
from pathlib import Path

from schoolhr.cli.common import Subcommands, check_output_folder, count, print_json, profile, seed
from schoolhr.errors import ExitCode
from schoolhr.paths import DataPaths


def register(sub: Subcommands) -> None:
    actions = sub.group("contacts", "聯絡人：匯入、匯出（Excel、CSV、vCard）")
    importing = actions.command(
        "import",
        "匯入聯絡人（.xlsx、.csv、.txt、.tsv、.vcf）：先列出新增、重複與有問題的列",
        func=import_contacts,
    )
    importing.add_argument("file", type=Path, metavar="檔案", help="要匯入的檔案")
    importing.add_argument("--dry-run", action="store_true", help="只列出結果，不寫入")
    importing.json_option()
    importing.add_argument(
        "--merge", action="store_true", help="重複的人以檔案中有填的欄位更新（預設略過）"
    )
    exporting = actions.command(
        "export",
        "匯出聯絡人（只含選擇的欄位；未同意分享者預設不匯出；會留下紀錄）",
        func=export_contacts,
    )
    exporting.add_argument(
        "--format", choices=["vcf", "xlsx", "csv"], required=True, help="檔案格式"
    )
    exporting.output_option("輸出檔案路徑")
    exporting.add_argument(
        "--fields",
        metavar="欄位",
        help="以逗號分隔的欄位，例如 name,school,office_phone,email（姓名一定包含）",
    )
    exporting.add_argument("--purpose", required=True, metavar="用途", help="匯出用途（會記錄）")
    exporting.add_argument(
        "--include-without-consent", action="store_true", help="連同未記錄同意日期的人一起匯出"
    )

    groups = actions.group("groups", "安心培力小群組：自動分組、名冊")
    building = groups.command(
        "build",
        "依區域、業務、年資與專兼任混搭重新分組（保留固定成員）並儲存",
        func=build_groups,
    )
    building.add_argument(
        "--min", type=count, default=7, metavar="人數", help="每組最少人數（預設 7）"
    )
    building.add_argument(
        "--max", type=count, default=9, metavar="人數", help="每組最多人數（預設 9）"
    )
    building.add_argument(
        "--seed",
        type=seed,
        default=0,
        metavar="數字",
        help="換一個數字可得到另一種分法",
    )
    building.json_option()
    roster = groups.command("roster", "把小群組名冊存成 PDF 或 Excel（.xlsx）", func=save_roster)
    roster.output_option("檔案路徑（.pdf 或 .xlsx）")


def import_contacts(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts import service

    result = service.read_import_file(args.file)
    with profile(paths) as store:
        with store.read() as session:
            plan = service.plan_import(session, result.rows, result.rejected)
        summary = None if args.dry_run else service.apply_import(store, plan, args.merge)
    if args.json:
        print_json(
            {
                "file": str(args.file),
                **plan.as_dict(),
                "applied": None if summary is None else summary.as_dict(),
            }
        )
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


def export_contacts(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts import service

    fields = [f.strip() for f in args.fields.split(",") if f.strip()] if args.fields else None
    check_output_folder(args.output)
    with profile(paths) as store:
        result = service.export_contacts(
            store,
            None,
            fields,
            args.purpose,
            args.format,
            args.output,
            args.include_without_consent,
        )
    print(f"已匯出 {result.count} 人到 {result.path}")
    if result.left_out_without_consent:
        print(
            f"有 {result.left_out_without_consent} 人沒有同意紀錄，未匯出"
            "（需要時加上 --include-without-consent）。"
        )
    return int(ExitCode.OK)


# -- 安心培力小群組 ------------------------------------------------------------------------------


def build_groups(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts.peer_groups import service as groups

    with profile(paths) as store:
        result = groups.regroup(store, args.min, args.max, args.seed)
        with store.read() as session:
            views = groups.list_groups(session)
            unassigned = groups.list_unassigned(session)
    if args.json:
        print_json(
            {
                "groups": [view.as_dict() for view in views],
                "unassigned": [m.as_dict(in_group=False) for m in unassigned],
                "message": result.message,
            }
        )
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


def save_roster(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.contacts.peer_groups import service as groups

    with profile(paths) as store:
        result = groups.export_roster(store, args.output)
    summary = f"{result.pages} 頁" if result.pages else f"{result.people} 人"
    print(f"已存成 {result.path}（{result.groups} 組，{summary}）")
    return int(ExitCode.OK)
