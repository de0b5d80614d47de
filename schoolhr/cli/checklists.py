"""``schoolhr checklist list | print``: the checklist templates, their filled-in runs, and
either as a PDF form."""

from __future__ import annotations

import argparse
from datetime import date

from schoolhr.cli.common import Subcommands, check_output_folder, print_json, profile, record_id
from schoolhr.errors import ExitCode, UserError
from schoolhr.paths import DataPaths
from schoolhr.text import roc_date


def register(sub: Subcommands) -> None:
    actions = sub.group("checklist", "檢核表：列出、列印")
    actions.command("list", "列出檢核表與填寫紀錄", func=list_checklists).json_option()
    printing = actions.command("print", "把檢核表存成 PDF（空白或已填寫）", func=print_checklist)
    printing.add_argument("template_id", metavar="檢核表編號", help="檢核表編號")
    printing.add_argument(
        "--run", type=record_id, metavar="編號", help="填寫紀錄編號（不填則印空白表）"
    )
    printing.output_option("PDF 檔案路徑")


def list_checklists(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.checklists import service

    with profile(paths) as store, store.read() as session:
        templates = service.templates(session)
        runs = service.runs(session)
    if args.json:
        print_json(
            {"templates": [t.as_dict() for t in templates], "runs": [r.as_dict() for r in runs]}
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


def print_checklist(args: argparse.Namespace, paths: DataPaths) -> int:
    from schoolhr.checklists import service
    from schoolhr.checklists.printing import form_document
    from schoolhr.reports.pdf import render_form

    with profile(paths) as store:
        with store.read() as session:
            run = service.run_view(session, args.run) if args.run else None
            template = run.template if run else service.template(session, args.template_id)
            if run is not None and run.template.id != args.template_id:
                raise UserError(f"填寫紀錄 {args.run} 不是檢核表「{args.template_id}」的紀錄。")
        site_name = store.site().name
    document = form_document(template, run, site_name, date.today())
    target = args.output
    check_output_folder(target)
    result = render_form(document, target)
    print(f"已存成 {target}（{result.pages} 頁）")
    if result.missing_characters:
        print("注意：下列字元沒有字型可印，已以□代替：" + "".join(result.missing_characters))
    return int(ExitCode.OK)
